"""Delta matching for children (`tonggeo.ddar.watch`): a child drawn on a parent at its fixpoint and
saturated with the watch reaches exactly the records (facts and justifications, in order) of the same
child saturated with every match run in full; seeded random children and grandchildren of
problems/newclid/ statements."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import ROOT
from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Plan, Saturator, plans_for
from tonggeo.ddar.state import State, initial_state
from tonggeo.ddar.view import STRIDE
from tonggeo.diagram.model import DiagramError
from tonggeo.dsl import load_problems, parse_problem
from tonggeo.dsl.errors import DslError

PLANS: list[Plan] = plans_for(load_rules(), DEFAULT_DDAR)
STEPS = (("midpoint", 2), ("foot", 3), ("mirror", 2), ("circle", 3), ("orthocenter", 3), ("nsquare", 2),
         ("on_tline", 3), ("incenter", 3), ("on_pline", 3), ("intersection_ll", 4))
NAMES = ("ninepoints", "finding_mutual_circles", "miquel_quadrangle_theorem1", "two_goals_perp_cong",
         "miquel_theorem_angles", "finding_center_giving_cyclic")


def _saturate(state: State, *, delta: bool) -> tuple[Saturator, bool]:
    db = state.db
    if not delta:
        db.watch = None
        if db.linear is not None:
            db.linear.watch = None
    watch = db.watch
    saturator = Saturator(db, PLANS)
    saturator.run((), deadline=None)
    assert saturator.stats.stopped == "fixpoint"
    return saturator, watch is not None and watch.open


def _records(state: State) -> list[tuple[str, str]]:
    return [(str(r.fact), repr(r.why)) for r in state.db.records]


def _clause(state: State, rng: np.random.Generator) -> str:
    points = list(state.diagram.points)
    fresh = next(f"x{i}" for i in range(1000) if f"x{i}" not in points)
    name, arity = STEPS[int(rng.integers(len(STEPS)))]
    args = [points[i] for i in rng.choice(len(points), size=arity, replace=False)]
    return f"{fresh} = {name} {fresh} {' '.join(args)}"


def _child(state: State, text: str, seed: int) -> State:
    statement = "; ".join(c.to_text() for c in state.problem.clauses)
    clause = parse_problem(f"{statement}; {text} ? coll {text.split()[0]} {text.split()[0]} "
                           f"{text.split()[0]}", "child").clauses[-1]
    return state.extend(clause, np.random.default_rng(seed))


@pytest.mark.parametrize("name", NAMES)
def test_delta_children_reach_the_full_fixpoint(name: str) -> None:
    problem = next(p for p in load_problems(ROOT / "problems/newclid/large_examples.txt") if p.name == name)
    root = initial_state(problem, np.random.default_rng(0))
    _saturate(root, delta=False)
    rng = np.random.default_rng(sum(map(ord, name)))
    compared = kept_open = 0
    level = [root]
    for _depth in range(2):  # children, then grandchildren drawn on delta-saturated children
        nxt = []
        for parent in level:
            for k in range(4):
                text = _clause(parent, rng)
                try:
                    full, delta = (_child(parent, text, k) for _ in range(2))  # extend forks
                except (DiagramError, DslError):
                    continue
                assert delta.db.watch is not None  # drawn on a parent at its fixpoint, points unmoved
                _saturate(full, delta=False)
                _, still_open = _saturate(delta, delta=True)
                assert _records(delta) == _records(full), text
                assert delta.db.fired.__len__() <= full.db.fired.__len__()
                compared += 1
                kept_open += still_open
                nxt.append(delta)
        level = nxt[:2]
    assert compared >= 4
    assert kept_open >= 1  # some child ran delta matching to its fixpoint (the test exercises pruning)


FIXED = (  # children whose construction makes new facts about old points known (the watch must close)
    ("worlds_hardest_easy_geometry_problem2", "x0 = circle x0 d b c"),
    ("worlds_hardest_easy_geometry_problem2", "x0 = circle x0 b o e"),
)


@pytest.mark.parametrize(("name", "text"), FIXED)
def test_delta_child_that_learns_about_old_points(name: str, text: str) -> None:
    """Matching on old points only would miss facts here (eqangles on old points via the circle's centre):
    the watch closes and the fixpoint is the full one."""
    problem = next(p for p in load_problems(ROOT / "problems/newclid/large_examples.txt") if p.name == name)
    root = initial_state(problem, np.random.default_rng(0))
    _saturate(root, delta=False)
    full, delta = (_child(root, text, 0) for _ in range(2))
    _saturate(full, delta=False)
    _, still_open = _saturate(delta, delta=True)
    assert not still_open
    assert _records(delta) == _records(full)


def _watched_child() -> State:
    problem = parse_problem("a b c = triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a b",
                            "p")
    root = initial_state(problem, np.random.default_rng(0))
    _saturate(root, delta=False)
    child = _child(root, "x = foot x a b c", 0)
    assert child.db.watch is not None
    return child


def test_watch_closes_when_new_equations_relate_old_lines() -> None:
    watch = _watched_child().db.watch
    assert watch is not None
    assert watch.open  # the foot's own facts tell nothing new about a, b, c, d, e
    n = watch.n
    a, b, c, d = 0, 1, 2, 3
    x = n + 5  # a new point no equation has used yet

    def var(p: int, q: int) -> int:
        return min(p, q) * STRIDE + max(p, q)

    watch.equation(True, {var(x, a): 1, var(b, c): -1})  # perp x a, b c: defines line xa
    watch.equation(True, {var(x, b): 1, var(a, d): -1})  # another new line
    assert watch.open
    watch.equation(True, {var(x, a): 1, var(c, d): -1})  # with the first: line bc against line cd
    assert not watch.open


def test_watch_closes_on_old_only_equations_and_records() -> None:
    watch = _watched_child().db.watch
    assert watch is not None
    watch.equation(False, {0 * STRIDE + 1: 1, 1 * STRIDE + 2: -1})  # cong a b b c: old segments only
    assert not watch.open
    watch = _watched_child().db.watch
    assert watch is not None
    watch.record("simtri", [0, 1, 2, 2, 3, 4])  # points a..e are old
    assert not watch.open
