"""End to end: JGEX problems proved with checked proofs; unprovable goals stay unproved."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.ddar import solve
from tests.conftest import ROOT
from tonggeo.dsl import load_problems, parse_problem

JGEX = load_problems(ROOT / "problems" / "jgex_ag_231.txt")


@pytest.mark.parametrize("index", [0, 3, 12, 20, 40, 60], ids=lambda i: f"jgex{i}")
def test_jgex_problem_proved_and_checked(index: int) -> None:
    result = solve(JGEX[index], timeout=60, rng=np.random.default_rng(0))
    assert result.status == "proved", result.message
    assert result.proof is not None and result.steps > 0


def test_false_goal_is_not_proved() -> None:
    problem = parse_problem("a b c = triangle a b c; m = midpoint m a b ? cong m a m c", "false")
    result = solve(problem, timeout=10, rng=np.random.default_rng(0))
    assert result.status == "error"  # the diagram refuses a goal that is false numerically
