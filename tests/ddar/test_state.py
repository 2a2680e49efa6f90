"""States branch: a fork is independent of its parent, and an extended fork proves with its aux point."""

from __future__ import annotations

import numpy as np

from tests.conftest import ROOT
from tonggeo.ddar import initial_state
from tonggeo.ddar.premises import goal_fact
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.support import support
from tonggeo.dsl import load_problems
from tonggeo.proof import check_proof, extract_proof


def test_fork_is_independent_and_extend_adds_the_aux_point() -> None:
    problem = {p.name: p for p in load_problems(ROOT / "problems" / "newclid" / "imo.txt")}["2019_p2"]
    goals = [goal_fact(g) for g in problem.goals]
    plans = plans_for(load_rules())
    rng = np.random.default_rng(0)
    parent = initial_state(problem, rng)
    assert not Saturator(parent.db, plans).run(goals)
    before = len(parent.db.records)

    child = parent.fork()
    for clause in problem.aux:
        child = child.extend(clause, rng)
    assert Saturator(child.db, plans).run(goals)
    assert len(parent.db.records) == before  # the parent did not see the child's facts
    assert set(parent.numeric.names) < set(child.numeric.names)

    ids = [support(child.db, g) for g in goals]
    assert all(i is not None for i in ids)
    proof = extract_proof(child.db.records, ids, goals, problem.name, child.points)  # type: ignore[arg-type]
    assert check_proof(proof, child.problem).ok
