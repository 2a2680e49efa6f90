"""Symmetries of a configuration read off its saturated database, and the mirror pairs the search tries:
IMO 2018 P1 is symmetric under b<->c, d<->e, f<->g although its clauses are not written symmetrically,
and its auxiliary points (the reflections of a in df and in eg) come as such a pair."""

from __future__ import annotations

import time

import numpy as np

from solvers.ddar import solve as ddar_solve
from solvers.search import HeuristicPolicy, Ranked, SearchState
from solvers.search.beam import expansion_groups
from solvers.search.tasks import ChildTask
from tonggeo.config import SearchConfig
from tonggeo.ddar import initial_state
from tonggeo.ddar.premises import split_goals
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Clause
from tonggeo.symmetry.exact import configuration_symmetries, mirror_clause

IMO_2018_P1 = (
    "a b c = triangle a b c; o = circle o a b c; d = on_line d a b; e = on_line e a c, on_circle e a d; "
    "f = on_bline f b d, on_circle f o a; g = on_bline g e c, on_circle g o a ? para d e f g"
)
SWAP = {"b": "c", "c": "b", "d": "e", "e": "d", "f": "g", "g": "f"}


def _root(text: str) -> SearchState:
    problem = parse_problem(text, "p")
    goals, _ = split_goals(problem.goals)
    state = initial_state(problem, np.random.default_rng(0))
    Saturator(state.db, plans_for(load_rules())).run(goals, deadline=time.monotonic() + 30)
    return SearchState(state, (), tuple(goals))


def _moved(sigma: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in sigma.items() if k != v}


def test_a_symmetry_not_written_in_the_clauses_is_found() -> None:
    node = _root(IMO_2018_P1)
    found = [_moved(dict(s)) for s in configuration_symmetries(node.state.db, list(node.state.diagram.points),
                                                               node.goals)]
    assert SWAP in found


def test_no_symmetry_where_the_figure_has_none() -> None:
    # d is the midpoint of ab, not of ac: swapping b and c maps the figure to another one
    node = _root("a b c = triangle a b c; d = midpoint d a b; e = foot e c a b ? perp c e a d")
    assert configuration_symmetries(node.state.db, list(node.state.diagram.points), node.goals) == ()


def test_mirror_clause_maps_inputs_and_renames_the_new_point() -> None:
    problem = parse_problem(IMO_2018_P1.replace(" ? ", "; i = reflect i a d f ? "), "m")
    clause = problem.clauses[-1]
    image = mirror_clause(clause, SWAP, list(problem.points))
    assert image is not None and image.to_text() == "h = reflect h a e g"
    assert mirror_clause(problem.clauses[0], {"q": "r", "r": "q"}, list(problem.points)) is None


def test_policy_pairs_candidates_with_their_mirrors_and_the_pair_proves_2018_p1() -> None:
    node = _root(IMO_2018_P1)
    ranked = HeuristicPolicy(SearchConfig(mirror_candidates=64)).rank(node, 64, np.random.default_rng(0))
    paired = [r for r in ranked if r.mirror is not None]
    assert paired, "no candidate got a mirror partner"
    for r in paired:  # the partner is the image of the candidate, and lands elsewhere
        image = mirror_clause(r.clause, SWAP, list(node.state.diagram.points))
        assert image is not None and r.mirror is not None
        assert [c.args for c in r.mirror.clause.calls] == [c.args for c in image.calls]
        assert all(abs(z - w) > 1e-9 for z in r.mirror.coords for w in r.coords)
    # the reflections of a in df and in eg, a mirror pair, prove the goal (DDAR alone does not)
    assert ddar_solve(parse_problem(IMO_2018_P1, "p"), timeout=30, rng=np.random.default_rng(0)).status \
        == "unproved"
    pair = IMO_2018_P1.replace(" ? ", "; i = reflect i a d f; h = reflect h a e g ? ")
    assert ddar_solve(parse_problem(pair, "p"), timeout=30, rng=np.random.default_rng(0)).status == "proved"


def test_a_pair_is_built_right_after_its_single_and_is_not_a_batch_probe() -> None:
    mirrors = {i: Ranked(Clause((), ()), (complex(100 + i),), 0.0) for i in (1, 5)}
    ranked = [Ranked(Clause((), ()), (complex(i),), -float(i), mirrors.get(i)) for i in range(8)]
    groups = list(expansion_groups(ranked, singles=8, batches=2, size=4))
    # the first block's candidates get a pair child; every batch carries its members' mirror images
    assert [len(g) for g in groups] == [1, 1, 2, 1, 1, 5, 1, 1, 1, 1, 5]
    assert groups[2] == (ranked[1], mirrors[1]) and groups[5] == (*ranked[:4], mirrors[1])
    assert groups[-1] == (*ranked[4:], mirrors[5])
    task = ChildTask(1, 0, b"", groups[2], 0, 0.0, pair=True)
    assert not task.batch and ChildTask(1, 0, b"", tuple(ranked), 0, 0.0).batch
