"""build_diagram: the Diagram API, reproducibility, explicit coordinates, and degeneracy rejection."""

from __future__ import annotations

import numpy as np
import pytest

from tonggeo.diagram import Diagram, DiagramError, build_diagram, check_goal
from tonggeo.dsl import parse_problem


def build(text: str, seed: int = 0, **kwargs: object) -> Diagram:
    return build_diagram(parse_problem(text, "t"), np.random.default_rng(seed), **kwargs)  # type: ignore[arg-type]


def test_points_are_float64_pairs_and_loci_are_tagged() -> None:
    d = build("a b c = triangle a b c; o = circle o a b c; m = midpoint m b c; x = on_circle x o a, "
              "on_line x a m")
    assert set(d.points) == {"a", "b", "c", "o", "m", "x"}
    for xy in d.points.values():
        assert xy.dtype == np.float64 and xy.shape == (2,)
    np.testing.assert_array_equal(d.coords("o"), d.points["o"])
    kinds = sorted((locus.point, locus.shape.kind) for locus in d.loci)
    assert kinds == [("o", "line"), ("o", "line"), ("x", "circle"), ("x", "line")]
    assert all(locus.call for locus in d.loci)
    # x is the second meet of line am with the circle, not a
    assert np.linalg.norm(d.coords("x") - d.coords("a")) > 1e-3


def test_same_seed_same_diagram_and_different_seed_differs() -> None:
    text = "a b c = triangle a b c; d = on_line d b c; e = on_circle e a d"
    d1, d2, d3 = build(text, 5), build(text, 5), build(text, 6)
    for p in "abcde":
        np.testing.assert_array_equal(d1.coords(p), d2.coords(p))
    assert not np.allclose(d1.coords("a"), d3.coords("a"))


def test_explicit_coordinates_are_honoured() -> None:
    d = build("a@0_0 b@4_0 c@0_3 = triangle a b c; m = midpoint m b c; w@1.5_-2 = free w")
    np.testing.assert_array_equal(d.coords("b"), [4.0, 0.0])
    np.testing.assert_allclose(d.coords("m"), [2.0, 1.5])
    np.testing.assert_array_equal(d.coords("w"), [1.5, -2.0])


def test_aux_points_only_when_asked() -> None:
    text = "a b c = triangle a b c; h = on_tline h b a c, on_tline h c a b | d = foot d a b c ? perp a h b c"
    plain = build(text)
    with_aux = build(text, include_aux=True)
    assert "d" not in plain.points and plain.aux_points == ()
    assert with_aux.aux_points == ("d",)
    for p in "abch":
        np.testing.assert_array_equal(plain.coords(p), with_aux.coords(p))


def test_goals_choose_between_intersections() -> None:
    # e is one of two points of line bc at distance cd from c; only one makes ae = bd
    text = "a b = segment a b; c = on_bline c a b; d = on_line d a c; e = on_circle e c d, on_line e b c"
    problem = parse_problem(text + " ? cong a e b d", "t")
    for seed in range(5):
        d = build_diagram(problem, np.random.default_rng(seed))
        assert all(check_goal(d, g) for g in problem.goals)


def test_false_goal_is_reported_or_allowed() -> None:
    text = "a b c = triangle a b c ? cong a b a c"
    with pytest.raises(DiagramError) as info:
        build(text, max_attempts=5)
    assert info.value.problem == "t"
    assert info.value.clause == "cong a b a c"
    assert "numerically false" in info.value.reason
    d = build(text, require_goals=False)
    assert not check_goal(d, parse_problem(text, "t").goals[0])


@pytest.mark.parametrize(
    ("text", "clause", "reason"),
    [
        ("a b c = triangle a b c; d = on_pline d a b c, on_line d b c", "d = on_pline d a b c, on_line d b c",
         "parallel"),
        ("a b c = triangle a b c; d = on_line d a b, on_line d b a", "d = on_line d a b, on_line d b a",
         "parallel"),
        ("o = free o; w = lconst w o 10; x = lconst x o 1, lconst x w 1", "x = lconst x o 1, lconst x w 1",
         "miss"),
        ("a b = segment a b; c = midpoint c a a", "c = midpoint c a a", "precondition 'diff a a'"),
        ("a b = segment a b; c = on_line c a b; d = circle d a b c", "d = circle d a b c",
         "precondition 'ncoll a b c'"),
        ("a b c = triangle a b c; d = on_tline d a a b, on_circle d b a",
         "d = on_tline d a a b, on_circle d b a", "existing points"),
        ("a b c = triangle a b c; d = on_line d a b, on_line d a c, on_line d b c",
         "d = on_line d a b, on_line d a c, on_line d b c", "no common point"),
        ("o = free o; w = lconst w o 1; a = lconst a o 5; b = lconst b w 2; x y = cc_tangent0 x y o a w b",
         "x y = cc_tangent0 x y o a w b", "no such common tangent"),
    ],
)
def test_degenerate_problems_raise_with_reason(text: str, clause: str, reason: str) -> None:
    with pytest.raises(DiagramError) as info:
        build(text, max_attempts=3)
    assert info.value.clause == clause
    assert reason in info.value.reason
    assert "cannot build" in str(info.value)


def test_asserted_tangency_is_used() -> None:
    # d on the circle with cd a diameter: circle (c, 2r) touches circle abc at one point
    text = "a b = segment a b; o = midpoint o a b; c = on_circle c o a; "
    text += "d = on_circum d a b c, eqdistance d c a b"
    d = build(text + " ? coll o c d")
    np.testing.assert_allclose(d.coords("d"), 2 * d.coords("o") - d.coords("c"), atol=1e-9)


def test_unusable_draws_are_redrawn() -> None:
    # a random point of line bc is often inside the circle: it has no tangents then, and is redrawn
    text = "a b c = triangle a b c; o = circle o a b c; p = on_line p b c; x y = tangent x y p o a"
    for seed in range(5):
        d = build(text, seed)
        o, a, p = d.coords("o"), d.coords("a"), d.coords("p")
        assert np.linalg.norm(p - o) > np.linalg.norm(a - o)


def test_flips_draw_the_other_intersection_with_the_same_free_points() -> None:
    text = ("a b = segment a b; c = eq_triangle c a b; f = midpoint f a c; "
            "d = on_circle d f b, on_pline d c a b")
    base = build(text, 3, require_goals=False)
    assert base.choices == 2  # c (two circles) and d (a circle and a line); f has one place
    flipped = build(text, 3, require_goals=False, flips=frozenset({0}))
    np.testing.assert_array_equal(flipped.coords("a"), base.coords("a"))
    np.testing.assert_array_equal(flipped.coords("b"), base.coords("b"))
    # c is the mirror image of the base drawing's c in line ab
    a, b = base.complex_points["a"], base.complex_points["b"]
    c, c2 = base.complex_points["c"], flipped.complex_points["c"]
    mirrored = a + ((c - a) / (b - a)).conjugate() * (b - a)
    assert abs(c2 - mirrored) < 1e-9 and abs(c2 - c) > 1e-3
    same = build(text, 3, require_goals=False, flips=frozenset())
    for p in "abcdf":
        np.testing.assert_array_equal(same.coords(p), base.coords(p))
    other_d = build(text, 3, require_goals=False, flips=frozenset({1}))
    for p in "abc":
        np.testing.assert_array_equal(other_d.coords(p), base.coords(p))
    assert abs(other_d.complex_points["d"] - base.complex_points["d"]) > 1e-3
