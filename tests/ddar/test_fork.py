"""Forks are copy-on-write and independent both ways, and an extended fork saturates to the same fixpoint
as the same statement saturated from scratch on the same diagram (random walks, seeded)."""

from __future__ import annotations

import numpy as np
import pytest

from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.premises import goal_fact
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Plan, Saturator, plans_for
from tonggeo.ddar.state import State, initial_state, state_of
from tonggeo.diagram.model import DiagramError
from tonggeo.dsl import parse_problem
from tonggeo.facts import Fact

PLANS: list[Plan] = plans_for(load_rules(), DEFAULT_DDAR)
STEPS = (  # constructions with no free choice, over 2 or 3 existing points
    ("midpoint", 2), ("foot", 3), ("mirror", 2), ("circle", 3), ("orthocenter", 3), ("nsquare", 2),
    ("on_tline", 3), ("incenter", 3),
)


def saturate(state: State) -> None:
    saturator = Saturator(state.db, PLANS)
    saturator.run((), deadline=None)
    assert saturator.stats.stopped == "fixpoint"


def facts(state: State) -> set[Fact]:
    return {record.fact for record in state.db.records}


def assert_same_fixpoint(incremental: State, scratch: State) -> None:
    missing = [f for f in facts(scratch) if not incremental.db.holds(f)]
    extra = [f for f in facts(incremental) if not scratch.db.holds(f)]
    assert not missing, f"the extended fork misses {missing[:5]}"
    assert not extra, f"the saturation from scratch misses {extra[:5]}"


def extend_and_compare(parent: State, clause_text: str, rng: np.random.Generator) -> State:
    """Extend the saturated `parent` by one clause, saturate it, and compare with a saturation from
    scratch of the child's statement on the child's diagram."""
    before = facts(parent)
    problem = parse_problem(f"{_statement(parent)}; {clause_text} ? coll a a b", "walk")
    child = parent.extend(problem.clauses[-1], rng)
    saturate(child)
    assert facts(parent) == before  # the parent never sees the child's facts
    scratch = state_of(child.problem, child.diagram)
    saturate(scratch)
    assert_same_fixpoint(child, scratch)
    return child


def _statement(state: State) -> str:
    return "; ".join(clause.to_text() for clause in state.problem.clauses)


def test_fork_is_independent_both_ways() -> None:
    state = initial_state(parse_problem("a b c = triangle a b c; d = midpoint d a b ? coll a d b", "f"),
                          np.random.default_rng(0))
    saturate(state)
    child = state.fork()
    rng = np.random.default_rng(1)
    foot = parse_problem("a b c = triangle a b c; e = foot e c a b ? coll a a b", "g").clauses[-1]
    grown = child.extend(foot, rng)
    saturate(grown)
    assert len(facts(grown)) > len(facts(state))
    # the parent grows after the fork: the fork does not see it
    circle = parse_problem("a b c = triangle a b c; e = circle e a b c ? coll a a b", "h").clauses[-1]
    other = state.extend(circle, rng)
    saturate(other)
    assert not any(f.kind == "circle" for f in facts(grown))
    assert all(child.db.holds(f) for f in facts(state))


def test_midpoint_medians_reach_points_added_later() -> None:
    # the counterexample of the proposing issue: incremental saturation stopped short of this eqratio
    base = initial_state(
        parse_problem("a b = segment a b; c = nsquare c b a; d = mirror d b c ? perp c b b a", "base"),
        np.random.default_rng(0),
    )
    saturate(base)
    child = extend_and_compare(base, "e = foot e d a c", np.random.default_rng(0))
    goal = parse_problem(f"{_statement(child)} ? eqratio a b b d c e a c", "goal").goals[0]
    assert child.db.holds(goal_fact(goal))


@pytest.mark.parametrize("seed", range(30))
def test_random_walks_reach_the_fixpoint_from_scratch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = ("a b c = triangle a b c", "a b = segment a b; c = nsquare c b a")[seed % 2]
    state = initial_state(parse_problem(f"{base} ? coll a a b", "walk"), rng)
    saturate(state)
    fresh = iter("defghijk")
    for _ in range(4):
        for _attempt in range(10):
            name, arity = STEPS[int(rng.integers(len(STEPS)))]
            points = list(state.diagram.points)
            args = [points[i] for i in rng.choice(len(points), size=arity, replace=False)]
            point = next(fresh)
            text = f"{point} = {name} {point} {' '.join(args)}"
            try:
                state = extend_and_compare(state, text, rng)
                break
            except DiagramError:
                fresh = iter([point, *fresh])  # the name is still free
                continue
