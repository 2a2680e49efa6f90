"""The search's heuristics: goal objects, numeric incidences of a candidate point, the policy's ranking
and the value's preference for progress on the goal."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.search import HeuristicPolicy, HeuristicValue, SearchState
from solvers.search.coincidence import Incidence, incidences, new_incidence_weight
from solvers.search.goals import GoalObjects
from tonggeo.config import SearchConfig
from tonggeo.ddar import initial_state, writer
from tonggeo.ddar.premises import split_goals
from tonggeo.dsl import parse_problem
from tonggeo.facts import make_fact
from tonggeo.facts.justification import Given


def _node(text: str) -> SearchState:
    problem = parse_problem(text, "p")
    goals, _ = split_goals(problem.goals)
    return SearchState(initial_state(problem, np.random.default_rng(0)), (), tuple(goals))


def test_goal_objects_of_an_isosceles_goal() -> None:
    goals = GoalObjects.of([make_fact("cong", ("e", "c", "c", "d"))])
    assert goals.points == {"c", "d", "e"}
    assert goals.segments == {frozenset("ce"), frozenset("cd")}
    assert goals.triangles == {frozenset("cde")}
    assert goals.touches(frozenset("dc")) and not goals.touches(frozenset("de"))
    assert goals.overlap(("c", "d", "x", "y")) == pytest.approx(2 / 3)


def test_incidences_of_a_point_find_lines_circles_and_centres() -> None:
    points = {"a": 1 + 0j, "b": 2 + 0j, "c": 1 + 1j, "d": 1j, "e": -1 + 0j, "f": -1j}
    found = {(inc.kind, inc.points) for inc in incidences(0j, points, 2.0)}
    assert ("line", frozenset("abe")) in found and ("line", frozenset("df")) in found
    assert ("centre", frozenset("adef")) in found
    assert ("circle", frozenset("acd")) in found  # 0, 1, 1+i, i: a square is cyclic
    assert all(kind != "circle" or not {"b", "e"} <= pts for kind, pts in found)


def test_only_incidences_the_construction_did_not_ask_for_count() -> None:
    line = Incidence("line", frozenset("abd"))
    assert line.new_count({"a", "b"}) == 0  # the line of its own inputs (a midpoint of ab)
    assert line.new_count({"x", "y"}) == 2  # three points on a line through it: two coincidences
    centre = Incidence("centre", frozenset("abc"))
    assert centre.new_count({"a", "b"}) == 1  # a midpoint of ab as far from c: the circumcentre
    assert centre.new_count({"a", "b", "c"}) == 0  # the circumcentre of abc itself
    assert Incidence("circle", frozenset("abcd")).new_count({"x"}) == 2
    weight = new_incidence_weight([line], {"x"}, {"a", "d"}, goal_bonus=0.5)
    assert weight == pytest.approx(2 * (1 + 0.5 * 2))


def test_policy_prefers_constructions_on_goal_objects() -> None:
    node = _node("a b c = triangle a b c; d = on_line d b c; e = midpoint e a d ? cong e a e d")
    ranked = HeuristicPolicy(SearchConfig(jobs=1)).rank(node, 400, np.random.default_rng(0))
    texts = [r.clause.to_text().split(" = ", 1)[1] for r in ranked]

    assert texts[0].split()[0] in ("foot", "circumcenter", "midpoint", "mirror", "reflect")
    # a midpoint of a goal segment (e a) before a midpoint of a segment away from the goal (b c)
    def midpoint_of(pair: set[str]) -> int:
        return min(i for i, t in enumerate(texts) if t.startswith("midpoint") and set(t.split()[2:]) == pair)

    goal_mid, other_mid = midpoint_of({"a", "e"}), midpoint_of({"b", "c"})
    assert goal_mid < other_mid
    first_block = [r.score for r in ranked[:8]]  # blocks of the goal's ranking come first, best first
    assert first_block == sorted(first_block, reverse=True)


def test_policy_returns_distinct_drawable_points_within_limit() -> None:
    node = _node("a b c = triangle a b c; h = orthocenter h a b c ? perp a h b c")
    ranked = HeuristicPolicy(SearchConfig(jobs=1)).rank(node, 12, np.random.default_rng(0))
    assert len(ranked) == 12
    coords = [z for r in ranked for z in r.coords]
    assert all(abs(z - w) > 1e-6 for i, z in enumerate(coords) for w in coords[i + 1 :])
    existing = node.state.diagram.complex_points.values()
    assert all(abs(z - w) > 1e-6 for z in coords for w in existing)
    again = HeuristicPolicy(SearchConfig(jobs=1)).rank(node, 12, np.random.default_rng(0))
    assert [r.clause for r in again] == [r.clause for r in ranked]


def test_value_rewards_facts_about_the_goal() -> None:
    text = ("a b c = triangle a b c; d = midpoint d b c; e = midpoint e a c; f g h = triangle f g h; "
            "i = midpoint i f g; j = midpoint j f h ? para d e a b")
    value = HeuristicValue(root_facts=len(_node(text).state.db.records))

    def scored(fact: tuple[str, ...] | None) -> float:
        node = _node(text)
        if fact is not None:
            writer.add(node.state.db, make_fact(fact[0], fact[1:]), Given("test"))
        return value.score(node)

    base = scored(None)
    off_goal = scored(("para", "i", "j", "g", "h"))  # true, but about the other triangle
    on_goal = scored(("para", "d", "e", "a", "b"))  # true, and the goal itself
    assert base < off_goal < on_goal


def test_children_of_a_state_are_blocks_of_singles_each_followed_by_its_batch() -> None:
    from solvers.search import Ranked
    from solvers.search.beam import expansion_groups, mixed_batches
    from tonggeo.dsl.ast import Clause

    ranked = [Ranked(Clause((), ()), (complex(i),), -float(i)) for i in range(20)]
    groups = list(expansion_groups(ranked, singles=6, batches=3, size=4))
    sizes = [len(g) for g in groups]
    # ranks 0-3 one by one, then together; ranks 4-5 one by one, then 4-7 together; then 8-11 together
    assert sizes == [1, 1, 1, 1, 4, 1, 1, 4, 4]
    assert groups[4] == tuple(ranked[:4]) and groups[-1] == tuple(ranked[8:12])
    mixed = mixed_batches(ranked, 50, 4, np.random.default_rng(0))
    assert len(mixed) == 50 and all(len(set(map(id, g))) == 4 for g in mixed)
    counts = np.bincount([int(r.coords[0].real) for g in mixed for r in g], minlength=20)
    assert counts[:5].sum() > counts[-5:].sum()  # the better ranks are drawn more often


def test_draw_is_where_clauses_become_candidates() -> None:
    from solvers.search.expand import draw
    from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl

    node = _node("a b c = triangle a b c; d = midpoint d b c ? cong d b d c")

    def clause(point: str, name: str, *args: str) -> Clause:
        return Clause((PointDecl(point),), (ConstructionCall(name, (point, *args)),))

    scored = [
        (clause("e", "midpoint", "a", "b"), 3.0),
        (clause("f", "midpoint", "b", "c"), 2.5),  # lands on d: dropped
        (clause("d", "midpoint", "a", "c"), 2.0),  # new point named like a known one: renamed
        (clause("g", "midpoint", "q", "c"), 1.5),  # unknown point: dropped
        (clause("h", "circumcenter", "a", "b", "c"), 1.0),
    ]
    ranked = draw(node, scored, 8, np.random.default_rng(0))
    texts = [r.clause.to_text() for r in ranked]
    assert texts[0] == "e = midpoint e a b" and texts[2] == "h = circumcenter h a b c"
    assert texts[1] == "e = midpoint e a c"  # the first free name (candidates are alternatives)
    assert [r.score for r in ranked] == [3.0, 2.0, 1.0]
    points = node.state.diagram.complex_points
    assert ranked[0].coords[0] == pytest.approx((points["a"] + points["b"]) / 2)
    assert len(draw(node, scored, 2, np.random.default_rng(0))) == 2
    avoided = draw(node, scored, 8, np.random.default_rng(0), avoid=ranked[0].coords)
    assert [r.clause.to_text() for r in avoided] == texts[1:]


def test_the_heuristic_draws_through_expand_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    import solvers.search.expand as expand
    import solvers.search.lm_policy as lm_policy
    import solvers.search.policy as policy

    calls: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return expand.draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(policy, "draw", counted)
    monkeypatch.setattr(lm_policy, "draw", counted)
    node = _node("a b c = triangle a b c; d = on_line d b c; e = midpoint e a d ? cong e a e d")
    assert HeuristicPolicy(SearchConfig(jobs=1)).rank(node, 8, np.random.default_rng(0))
    assert calls
