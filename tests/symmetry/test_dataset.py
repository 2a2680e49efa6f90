"""The detector's training set: `build` labels the statements its caller hands in (the CLI hands in
proposing's walks, so symmetry never imports propose), reproducibly from the seed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from tonggeo.cli.train_symmetry import walk_problems
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Problem
from tonggeo.symmetry.dataset import build, problem_text, read

ISOSCELES = "a b = segment a b; c = on_bline c a b"
PLAIN = "a b c = triangle a b c; d = on_line d a b; e = foot e d b c"


def _two(rng: np.random.Generator) -> Iterator[Problem]:
    while True:
        yield parse_problem(ISOSCELES, "iso")
        yield parse_problem(PLAIN, "plain")


def test_build_labels_the_callers_statements(tmp_path: Path) -> None:
    out = tmp_path / "labels.jsonl"
    stats = build(out, 3, 0, _two, timeout=10)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["problem"] for r in records] == [ISOSCELES, PLAIN, ISOSCELES]
    assert stats["records"] == 3 and stats["errors"] == 0
    assert [r["pairs"] for r in records] == [[["a", "b"]], [], [["a", "b"]]]
    assert [problem_text(p) for p, _ in read(out)] == [ISOSCELES, PLAIN, ISOSCELES]


def test_the_walk_stream_is_drawn_from_builds_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    build(first, 2, 7, walk_problems, timeout=10)
    build(second, 2, 7, walk_problems, timeout=10)
    assert first.read_text().splitlines()[0] and _problems(first) == _problems(second)


def _problems(path: Path) -> list[str]:
    return [json.loads(line)["problem"] for line in path.read_text().splitlines()]


def test_relabel_keeps_the_statements_and_replaces_the_labels(tmp_path: Path) -> None:
    from tonggeo.symmetry.dataset import relabel
    from tonggeo.symmetry.training import complete

    src, out = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old = [
        {"name": "a", "symmetric": False, "pairs": [], "seconds": 0.1, "error": None,
         "saturation": "fixpoint", "problem": ISOSCELES},  # a wrong old label
        {"name": "b", "symmetric": False, "pairs": [], "seconds": 0.1, "error": None,
         "saturation": "timeout", "problem": PLAIN},  # incomplete: not relabelled
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in old))
    stats = relabel(src, out, 0, timeout=10, keep=complete)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert stats == {"records": 1, "changed": 1}
    assert [r["problem"] for r in records] == [ISOSCELES]
    assert records[0]["pairs"] == [["a", "b"]] and records[0]["pairs_complete"] is True
    assert complete(records[0]) and not complete({**records[0], "pairs_complete": False})
