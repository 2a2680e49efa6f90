"""Every problem of the shipped files builds, and its goals hold numerically (seed 0).

The few problems listed in problems/newclid/BAD_TEXTS.md are genuinely degenerate or false as written;
they must keep failing with the stated kind of reason (so a regression that makes everything "pass" is
caught too).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import PROBLEMS as ROOT
from tonggeo.diagram import DiagramError, build_diagram, check_goal
from tonggeo.dsl import DslError, iter_problems

FILES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.txt"))

BAD_TEXTS = ROOT / "newclid" / "BAD_TEXTS.md"


def read_bad_texts(path: Path = BAD_TEXTS) -> dict[tuple[str, str], str]:
    """(file, problem) -> a phrase of the expected DiagramError reason, from the table in BAD_TEXTS.md."""
    found: dict[tuple[str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].endswith(".txt"):
            found[(cells[0], cells[1])] = cells[2]
    return found


EXPECTED_FAILURES = read_bad_texts()


def test_bad_texts_list_is_read_and_names_real_problems() -> None:
    assert len(EXPECTED_FAILURES) >= 8
    for file, name in EXPECTED_FAILURES:
        assert file in FILES, file
        names = {p.name for p in iter_problems((ROOT / file).read_text(encoding="utf-8"), file)
                 if not isinstance(p, DslError)}
        assert name in names, (file, name)


@pytest.mark.parametrize("file", FILES, ids=str)
def test_file_builds_with_goals_true(file: str) -> None:
    text = (ROOT / file).read_text(encoding="utf-8")
    failures: dict[str, str] = {}
    count = 0
    for problem in iter_problems(text, file):
        assert not isinstance(problem, DslError), str(problem)
        count += 1
        try:
            diagram = build_diagram(problem, np.random.default_rng(0))
        except DiagramError as exc:
            failures[problem.name] = exc.reason
            continue
        false = [g.to_text() for g in problem.goals if not check_goal(diagram, g)]
        assert not false, f"{problem.name}: {false}"
    expected = {name: why for (f, name), why in EXPECTED_FAILURES.items() if f == file}
    assert set(failures) == set(expected), failures
    for name, why in expected.items():
        assert why in failures[name], (name, failures[name])
    assert count > 0
