"""Regression: two problems from outside the benchmarks whose DDAR proofs the checker used to reject.

Both proofs had a squared-length step citing an `rconst AB CD p/q` fact: the engine's table holds it as
q^2 AB^2 - p^2 CD^2 = 0, the proof format as AB^2 - (p/q)^2 CD^2 = 0, and the certificate's coefficient
was written in the engine's scale.  They must end as proved (checker-accepted) or unproved, never error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solvers.ddar import solve
from tonggeo.dsl import Problem, load_problems
from tonggeo.facts.justification import AlgebraStep
from tonggeo.proof import check_proof

DATA = Path(__file__).parent / "data" / "outside_benchmarks.txt"
PROBLEMS = {p.name: p for p in load_problems(DATA)}


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_proved_or_unproved_never_error(name: str) -> None:
    problem: Problem = PROBLEMS[name]
    result = solve(problem, timeout=300, rng=np.random.default_rng(0))
    assert result.status in ("proved", "unproved"), result.message
    if result.status == "proved":
        assert result.proof is not None
        assert check_proof(result.proof, problem).ok


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_the_squared_steps_cite_rconst_facts(name: str) -> None:
    """The regression is about rconst terms of squared-length steps: the proofs still contain them."""
    result = solve(PROBLEMS[name], timeout=300, rng=np.random.default_rng(0))
    assert result.proof is not None, result.message
    steps = {s.number: s for s in result.proof.steps}
    cited = [
        steps[n].fact.kind
        for s in result.proof.steps
        if isinstance(s.why, AlgebraStep) and s.why.domain == "squared"
        for n, _ in s.why.terms
    ]
    assert "rconst" in cited
