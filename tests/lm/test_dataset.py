"""The dataset builder: dedup by key, split by key (test from other folders, never trained on), and
the next/rest/value records of every prefix of the aux sequence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.lm.conftest import RUN_A, RUN_B
from tonggeo.cli import main
from tonggeo.lm.dataset import DatasetError, build


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_splits_are_disjoint_and_deduplicated(dataset: Path) -> None:
    split_keys = {}
    for split in ("train", "valid", "test"):
        records = _records(dataset / "value" / f"{split}.jsonl")
        split_keys[split] = {r["key"] for r in records}
    assert not split_keys["train"] & split_keys["test"]
    assert not split_keys["valid"] & split_keys["test"]
    assert not split_keys["train"] & split_keys["valid"]
    stats = json.loads((dataset / "stats.json").read_text())
    # run_a: 5 distinct aux problems (one line repeated) + 1 aux-free; run_b: 4 aux problems
    assert stats["train"]["problems"] + stats["valid"]["problems"] == 6
    assert stats["test"]["problems"] == 4
    assert stats["test"]["aux_counts"] == {"1": 4}


def test_records_of_a_two_aux_problem(dataset: Path) -> None:
    records = [
        r
        for split in ("train", "valid")
        for r in _records(dataset / "policy" / f"{split}.jsonl")
        + _records(dataset / "value" / f"{split}.jsonl")
        if r["key"] == "synthetic-two-aux"
    ]
    by_task = {t: [r for r in records if r["task"] == t] for t in ("next", "rest", "value")}
    statement = "a b c = triangle a b c"
    assert [r["completion"] for r in by_task["next"]] == [" d = midpoint d b c", " e = midpoint e a c"]
    assert by_task["rest"][0]["completion"] == " d = midpoint d b c; e = midpoint e a c"
    assert by_task["rest"][0]["prompt"] == f"rest: {statement} ? para d e a b =>"
    assert by_task["next"][1]["prompt"] == f"next: {statement} | d = midpoint d b c ? para d e a b =>"
    assert [r["completion"] for r in by_task["value"]] == [" 2", " 1", " 0"]


def test_aux_free_problems_have_value_zero(dataset: Path) -> None:
    records = [
        r
        for split in ("train", "valid")
        for r in _records(dataset / "value" / f"{split}.jsonl")
        if r["aux"] == 0
    ]
    assert len(records) == 1 and records[0]["completion"] == " 0"
    assert records[0]["prompt"].startswith("value: a b c = triangle a b c; d = midpoint d a b")


def test_test_problems_file_parses(dataset: Path) -> None:
    from tonggeo.dsl import load_problems

    problems = load_problems(dataset / "test_problems.txt")
    assert len(problems) == 4 and all(len(p.aux) == 1 for p in problems)


def test_cli_and_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["train", "data", str(RUN_A), "--test", str(RUN_B), "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    assert "test: 4 problems (4 with aux)" in result.output
    with pytest.raises(DatasetError, match=r"no training\.jsonl"):
        build([tmp_path], [RUN_B], tmp_path / "e")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "training.jsonl").write_text('{"problem": "a b = segment a b ? cong a b"}\n')
    result = CliRunner().invoke(
        main, ["train", "data", str(broken), "--test", str(RUN_B), "--out", str(tmp_path / "f")]
    )
    assert result.exit_code != 0 and "training.jsonl:1" in result.output


def test_augmented_copies_rename_training_problems_only(tmp_path: Path) -> None:
    """Each training problem gains renamed copies (same key, same figure: the renamed problem parses and
    its points map one-to-one); valid and test records are never augmented; the seed fixes the copies."""
    from tonggeo.dsl import parse_problem
    from tonggeo.lm.dataset import augmented, sources

    plain, aug, again = (tmp_path / n for n in ("plain", "aug", "again"))
    build([RUN_A], [RUN_B], plain, valid_share=0.3)
    stats = build([RUN_A], [RUN_B], aug, valid_share=0.3, augment=3, seed=5)
    build([RUN_A], [RUN_B], again, valid_share=0.3, augment=3, seed=5)
    for split, factor in (("train", 4), ("valid", 1), ("test", 1)):
        base = _records(plain / "value" / f"{split}.jsonl")
        assert len(_records(aug / "value" / f"{split}.jsonl")) == factor * len(base), split
        assert {r["key"] for r in _records(aug / "value" / f"{split}.jsonl")} == {r["key"] for r in base}
    assert stats["augment"] == 3
    assert (aug / "policy" / "train.jsonl").read_text() == (again / "policy" / "train.jsonl").read_text()
    assert (aug / "policy" / "train.jsonl").read_text() != (plain / "policy" / "train.jsonl").read_text()

    import random

    source = next(s for s in sources([RUN_A]) if s.key == "synthetic-two-aux")
    for copy in augmented(source, 5, random.Random(1)):
        text = copy.problem.to_text()
        parsed = parse_problem(text, "copy")
        assert parsed.to_text() == text and len(parsed.aux) == 2
        names = [*source.problem.points, *(p for c in source.problem.aux for p in c.point_names)]
        new = [*copy.problem.points, *(p for c in copy.problem.aux for p in c.point_names)]
        assert len(set(new)) == len(names)
        mapping = dict(zip(names, new, strict=True))
        assert copy.problem.goals[0].args == tuple(mapping[a] for a in source.problem.goals[0].args)
