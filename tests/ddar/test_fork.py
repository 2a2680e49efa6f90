"""Forks are copy-on-write and independent both ways, and an extended fork saturates to the same fixpoint
as the same statement saturated from scratch on the same diagram (random walks, seeded)."""

from __future__ import annotations

import copyreg
import dataclasses
import pickle
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.match import run_plan
from tonggeo.ddar.premises import goal_fact
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Plan, Saturator, plans_for
from tonggeo.ddar.state import State, initial_state, state_of
from tonggeo.ddar.structures import Layered
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


def _random_walk(seed: int, rng: np.random.Generator, steps: int, prepare: Callable[[State], State]) -> None:
    """A seeded walk of `steps` random constructions; before each, `prepare` turns the current state into
    the one extended (itself, or a shipped copy), and every extension is compared with scratch."""
    base = ("a b c = triangle a b c", "a b = segment a b; c = nsquare c b a")[seed % 2]
    state = initial_state(parse_problem(f"{base} ? coll a a b", "walk"), rng)
    saturate(state)
    fresh = iter("defghijk")
    for _ in range(steps):
        for _attempt in range(10):
            name, arity = STEPS[int(rng.integers(len(STEPS)))]
            points = list(state.diagram.points)
            args = [points[i] for i in rng.choice(len(points), size=arity, replace=False)]
            point = next(fresh)
            text = f"{point} = {name} {point} {' '.join(args)}"
            try:
                state = extend_and_compare(prepare(state), text, rng)
                break
            except DiagramError:
                fresh = iter([point, *fresh])  # the name is still free
                continue


@pytest.mark.parametrize("seed", range(30))
def test_random_walks_reach_the_fixpoint_from_scratch(seed: int) -> None:
    _random_walk(seed, np.random.default_rng(seed), 4, lambda state: state)


@pytest.mark.parametrize("seed", range(6))
def test_random_walks_through_pickled_states_reach_the_fixpoint(seed: int) -> None:
    # a search ships states between processes: the fired matches, the record marks and the diagram's
    # match cache travel with it; the child must still reach the fixpoint from scratch
    def ship(state: State) -> State:
        shipped = _ship(state)
        assert len(shipped.db.fired) == len(state.db.fired) and shipped.db.ran == state.db.ran
        assert shipped.numeric.match_cache == state.numeric.match_cache
        return shipped

    _random_walk(seed, np.random.default_rng(100 + seed), 3, ship)


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _ship(state: State) -> State:
    """`state` through pickle, as the search sends it to a worker (diagrams hold mapping proxies)."""
    def reduce(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
        return _proxy, (dict(proxy),)

    previous = copyreg.dispatch_table.get(MappingProxyType)  # the search registers its own
    copyreg.pickle(MappingProxyType, reduce)
    try:
        shipped = pickle.loads(pickle.dumps(state))
    finally:
        if previous is None:
            copyreg.dispatch_table.pop(MappingProxyType, None)
        else:
            copyreg.dispatch_table[MappingProxyType] = previous
    assert isinstance(shipped, State)
    return shipped


def _bindings(plan: Plan, state: State, since: int = 0) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    run_plan(plan, state.db, lambda _plan, binding: out.append(tuple(binding)), None, since)
    return out


@pytest.mark.parametrize("text", [
    "a b c = triangle a b c; d = on_circum d a b c; e = on_circum e a b c; f = on_circum f a b c"
    " ? coll a a b",
    "a b c = iso_triangle a b c; d = on_circum d a b c; e = on_circum e a b c ? coll a a b",
])
def test_cached_condition_prefix_gives_the_plain_matches(text: str) -> None:
    state = initial_state(parse_problem(text, "prefix"), np.random.default_rng(3))
    saturate(state)
    prefixed = [plan for plan in PLANS if plan.prefix]
    assert prefixed, "no plan starts with a class and side conditions"
    for plan in prefixed:
        plain = sorted(_bindings(dataclasses.replace(plan, prefix=0), state))
        assert sorted(_bindings(plan, state)) == plain  # computes the cache
        assert sorted(_bindings(plan, state)) == plain  # reads it
    assert any(state.numeric.match_cache.values())  # some tuples passed the conditions


def test_records_since_reads_exactly_the_newer_records() -> None:
    state = initial_state(
        parse_problem("a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c; f = midpoint f b c"
                      " ? coll a a b", "records"), np.random.default_rng(5))
    saturate(state)
    plans = [plan for plan in PLANS if plan.records_only]
    assert plans
    for plan in plans:
        kind = plan.rule.premises[0].name
        fids = state.db.by_kind.get(kind, [])
        everything = _bindings(plan, state)
        for cut in (0, *fids, len(state.db.records)):
            newer = _bindings(plan, state, since=cut)
            assert set(newer) <= set(everything)
            if cut > 0 and not [f for f in fids if f >= cut]:
                assert not newer
        if fids:
            assert everything and _bindings(plan, state, since=fids[0]) == everything


def test_layered_set_forks_independently() -> None:
    parent: Layered[int] = Layered()
    parent.add(1)
    child = parent.copy()
    child.add(2)
    parent.add(3)
    assert 1 in child and 2 in child and 3 not in child
    assert 1 in parent and 3 in parent and 2 not in parent
    for k in range(20):  # many generations: layers are merged, nothing is lost
        child = child.copy()
        child.add(100 + k)
    assert all(100 + k in child for k in range(20)) and len(child) == 22
    assert len(child._layers) <= Layered.MAX_LAYERS


def test_sibling_forks_name_their_own_new_points() -> None:
    # forks share the memo of facts on point indices until they add points: two children of one parent
    # give their new point the same index and different names
    problem = parse_problem("a b c = triangle a b c ? coll a a b", "sib")
    parent = initial_state(problem, np.random.default_rng(0))
    saturate(parent)
    parent.db.fact("coll", (0, 1, 2))
    clauses = parse_problem("a b c = triangle a b c; d = midpoint d a b; e = foot e c a b ? coll a a b",
                            "sib").clauses
    first = parent.extend(clauses[1], np.random.default_rng(1))
    second = parent.extend(clauses[2], np.random.default_rng(1))
    assert set(first.db.fact("coll", (3, 0, 1)).args) == {"d", "a", "b"}
    assert set(second.db.fact("coll", (3, 0, 1)).args) == {"e", "a", "b"}
    saturate(first)
    saturate(second)
    assert all(set(r.fact.args) <= set("abcd") for r in first.db.records)
    assert all(set(r.fact.args) <= set("abce") for r in second.db.records)
