"""Saturation's goal answer follows every change of what the database knows, including equations the
tables take without a record (a Menelaus relation). It was cached per `db.version` only, so `solve`
called a goal the database held "unproved": three aux problems of the proposer's session-6 run failed
validation that way (this figure is one of them, from `tonggeo propose`, not a benchmark problem)."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.ddar import solve
from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import parse_problem
from tonggeo.facts import make_fact

TEXT = ("a b c = r_triangle a b c; d = intersection_lt d a c b b c; e = intersection_lt e a b c c b; "
        "g = midpoint g b d; h = parallelogram c g e h; j = intersection_lt j c g d e h | "
        "f = midpoint f c e; l m n o = centroid l m n o a d h ? eqratio b e d j g h b j")


@pytest.mark.parametrize("seed", [0, 1])
def test_run_answers_what_the_database_holds(seed: int) -> None:
    problem = parse_problem(TEXT, "p").with_aux()
    state = initial_state(problem, np.random.default_rng(seed))
    goal = make_fact("eqratio", tuple("bedjghbj"))
    saturator = Saturator(state.db, plans_for(load_rules(), DEFAULT_DDAR), DEFAULT_DDAR)
    answer = saturator.run([goal], deadline=float("inf"))
    assert state.db.holds(goal)
    assert answer


@pytest.mark.parametrize("seed", [0, 1])
def test_the_aux_problem_validates(seed: int) -> None:
    problem = parse_problem(TEXT, "p")
    assert solve(problem, timeout=60, rng=np.random.default_rng(seed)).status == "unproved"
    assert solve(problem.with_aux(), timeout=60, rng=np.random.default_rng(seed)).status == "proved"
