"""Children start from their parent's saturated database: they keep its records and only add to them,
and their saturation does less work than saturating the extended statement from scratch."""

from __future__ import annotations

import numpy as np

from solvers.search.expand import renamed
from tonggeo.ddar import initial_state
from tonggeo.ddar.match import Plan
from tonggeo.ddar.premises import split_goals
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl

STATEMENT = "a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
GOAL = "cong e c c d"
AUX = Clause((PointDecl("f"),), (ConstructionCall("intersection_lc", ("f", "d", "c", "b")),))


class CountingSaturator(Saturator):
    """Counts every complete rule match the saturation considers (whether or not it adds a fact)."""

    matches = 0

    def fire(self, plan: Plan, binding: list[int]) -> None:
        self.matches += 1
        super().fire(plan, binding)


def test_child_keeps_the_parent_database_and_does_less_work_than_from_scratch() -> None:
    problem = parse_problem(f"{STATEMENT} ? {GOAL}", "L058-9")
    goals, _ = split_goals(problem.goals)
    plans = plans_for(load_rules())
    rng = np.random.default_rng(0)
    parent = initial_state(problem, rng)
    root = CountingSaturator(parent.db, plans)
    assert not root.run(goals)
    parent_records = list(parent.db.records)

    child = parent.extend(AUX, rng)
    assert child.db.records[: len(parent_records)] == parent_records  # the parent's facts, as they were
    incremental = CountingSaturator(child.db, plans)
    assert incremental.run(goals)
    assert len(parent.db.records) == len(parent_records)  # and the parent is untouched

    statement = parse_problem(f"{STATEMENT}; {AUX.to_text()} ? {GOAL}", "L058-9 with aux")
    fresh = initial_state(statement, np.random.default_rng(0))
    scratch = CountingSaturator(fresh.db, plans)
    assert scratch.run(goals)
    # the child derives only what the parent did not know, in fewer rule matches
    assert incremental.stats.rule_facts < scratch.stats.rule_facts
    assert incremental.matches < scratch.matches


def test_candidates_of_one_state_get_distinct_names_when_drawn_together() -> None:
    clause = renamed(AUX, {"a", "b", "c", "d", "e", "f"})
    assert clause.point_names == ("g",)
    assert clause.calls[0].args == ("g", "d", "c", "b")
    assert renamed(AUX, {"a", "b"}) is AUX
