"""Labelled drawings for the learned detector: statements (proposing's construction walks, plain and
symmetric, from every base: the caller hands the stream in, `tonggeo.cli.train_symmetry.walk_problems`, so
symmetry never imports propose), each labelled by the exact detector after saturation; records are JSON
lines {"problem", "symmetric", "pairs", "seconds", "error"} so a data set can be re-featurized and
re-drawn."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Problem
from tonggeo.symmetry.detect import detect_exact


def problem_text(problem: Problem) -> str:
    return "; ".join(c.to_text() for c in problem.clauses)


def build(
    out: Path,
    count: int,
    seed: int,
    statements: Callable[[np.random.Generator], Iterable[Problem]],
    *,
    timeout: float = 20.0,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, float]:
    """Write the first `count` statements of `statements(rng)` to `out` (JSON lines), labelled; statistics
    of the labels.  One generator seeded by `seed` draws the statements and each labelling's seed."""
    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = symmetric = errors = 0
    seconds = 0.0
    start = time.monotonic()
    with out.open("w") as handle:
        for problem in statements(rng):
            if done >= count:
                break
            found = detect_exact(problem, np.random.default_rng(int(rng.integers(2**31))), timeout=timeout)
            record = {
                **found.to_json(),
                "saturation": found.saturation,
                "pairs_complete": found.pairs_complete,
                "problem": problem_text(problem),
            }
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            done += 1
            symmetric += found.symmetric
            errors += found.error is not None
            seconds += found.seconds
            if progress is not None:
                progress(done, count)
    return {
        "records": done,
        "symmetric": symmetric,
        "errors": errors,
        "exact_seconds": seconds,
        "wall_seconds": time.monotonic() - start,
    }


def read(path: Path) -> list[tuple[Problem, dict[str, object]]]:
    """The records of `path` with their parsed problems (records with an error are skipped)."""
    out = []
    for line_no, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        if record.get("error"):
            continue
        out.append((parse_problem(record["problem"], f"{path.name}:{line_no}"), record))
    return out


def relabel(
    src: Path,
    out: Path,
    seed: int,
    *,
    timeout: float = 20.0,
    keep: Callable[[dict[str, object]], bool] = lambda record: True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, float]:
    """Label the statements of `src` (those `keep` accepts) again with the current exact detector, to
    `out`: the same statements, new labels (after a fix of the exact detector)."""
    records = [record for _, record in read(src) if keep(record)]
    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    changed = 0
    with out.open("w") as handle:
        for k, old in enumerate(records, 1):
            problem = parse_problem(str(old["problem"]), f"{src.name}:{k}")
            found = detect_exact(problem, np.random.default_rng(int(rng.integers(2**31))), timeout=timeout)
            record = {
                **found.to_json(),
                "saturation": found.saturation,
                "pairs_complete": found.pairs_complete,
                "problem": old["problem"],
            }
            changed += sorted(map(sorted, old["pairs"])) != sorted(map(sorted, record["pairs"]))  # type: ignore[call-overload]
            handle.write(json.dumps(record) + "\n")
            handle.flush()
            if progress is not None:
                progress(k, len(records))
    return {"records": len(records), "changed": changed}
