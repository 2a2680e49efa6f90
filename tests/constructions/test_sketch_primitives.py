"""Sketch primitives and plane geometry: properties beyond the facts each construction declares."""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

from tonggeo.constructions.planar import Circle, Degenerate, Line, Tolerance, cross, dot, meet
from tonggeo.constructions.sketch import PRIMITIVES, Placed
from tonggeo.constructions.values import BadValue, angle_value, number_value, ratio_value

TOL = Tolerance(parallel=1e-4, touch=1e-5, tangent=1e-3)
A, B, C = 0.1 + 0.2j, 2.3 - 0.1j, 0.9 + 1.7j  # a scalene acute triangle


def run(name: str, *points: complex, values: tuple[str, ...] = (), seed: int = 0) -> object:
    return PRIMITIVES[name](np.random.default_rng(seed), points, values)


def placed(name: str, *points: complex, seed: int = 0) -> tuple[complex, ...]:
    out = run(name, *points, seed=seed)
    assert isinstance(out, Placed)
    return out.points


def dist_to_line(p: complex, a: complex, b: complex) -> float:
    return abs(cross(b - a, p - a)) / abs(b - a)


def angle_at(v: complex, p: complex, q: complex) -> float:
    """Undirected angle pvq in radians."""
    return abs(cmath.phase((q - v) / (p - v)))


def test_bisectors() -> None:
    inner = run("bisect", A, B, C)
    outer = run("exbisect", A, B, C)
    assert isinstance(inner, Line) and isinstance(outer, Line)
    x = inner.at(0.7)
    assert angle_at(B, A, x) == pytest.approx(angle_at(B, x, C))
    assert abs(dot(inner.direction, outer.direction)) < 1e-12
    assert dot(inner.direction, A - B) > 0 and dot(inner.direction, C - B) > 0


def test_amirror_and_opline_are_rays() -> None:
    ray = run("amirror", A, B, C)
    assert isinstance(ray, Line) and ray.kind == "ray" and ray.origin == B
    x = ray.at(1.0)
    assert angle_at(B, A, C) == pytest.approx(angle_at(B, C, x))
    assert cross(C - B, A - B) * cross(C - B, x - B) < 0  # x and a on opposite sides of bc
    op = run("on_opline", A, B)
    assert isinstance(op, Line) and op.kind == "ray"
    assert dot(op.at(1.0) - A, B - A) < 0


def test_incenter_and_excenter() -> None:
    x, y, z, i = placed("incenter2", A, B, C)
    r = abs(i - x)
    for p, q in ((B, C), (C, A), (A, B)):
        assert dist_to_line(i, p, q) == pytest.approx(r)
    assert abs(i - y) == pytest.approx(r) and abs(i - z) == pytest.approx(r)
    # the incentre is inside: same side of each side as the opposite vertex
    assert cross(C - B, i - B) * cross(C - B, A - B) > 0
    _, _, _, e = placed("excenter2", A, B, C)
    assert cross(C - B, e - B) * cross(C - B, A - B) < 0  # opposite a across bc
    assert dist_to_line(e, A, B) == pytest.approx(dist_to_line(e, B, C))


def test_trisect_splits_the_angle_in_three() -> None:
    x, y = placed("trisect", A, B, C)
    whole = angle_at(B, A, C)
    assert angle_at(B, A, x) == pytest.approx(whole / 3)
    assert angle_at(B, A, y) == pytest.approx(2 * whole / 3)
    assert dot(x - A, C - A) > 0 and abs(x - A) < abs(C - A)


def test_2l1c_circle_touches_both_lines_and_the_circle() -> None:
    o, big = 0.3 + 0.1j, 1.5
    a, b = o + big * cmath.exp(2.5j), o + big * cmath.exp(0.4j)
    c = o + 0.2 - 0.5j  # inside the circle
    x, _, z, i = placed("2l1c", a, b, c, o)
    r = abs(i - x)
    assert dist_to_line(i, a, c) == pytest.approx(r) and dist_to_line(i, b, c) == pytest.approx(r)
    assert abs(z - o) == pytest.approx(big)
    assert abs(i - o) + r == pytest.approx(big)


def test_tangents_from_a_point_and_common_tangents() -> None:
    o, b = 0j, 1 + 0j
    x, y = placed("tangent", 3 + 1j, o, b)
    for t in (x, y):
        assert abs(t) == pytest.approx(1.0)
        assert dot(t - o, t - (3 + 1j)) == pytest.approx(0.0, abs=1e-12)
    assert abs(x - y) > 0.1
    w, bw = 4 + 0j, 4.5 + 0j
    for name, same_side in (("cc_tangent", True), ("cc_itangent", False)):
        x, y, z, i = placed(name, o, b, w, bw)
        for p, q in ((x, y), (z, i)):
            assert abs(p - o) == pytest.approx(1.0) and abs(q - w) == pytest.approx(0.5)
            assert dot(p - o, q - p) == pytest.approx(0.0, abs=1e-12)
            assert dot(q - w, q - p) == pytest.approx(0.0, abs=1e-12)
            assert (cross(w - o, p - o) * cross(w - o, q - o) > 0) == same_side
    with pytest.raises(Degenerate):
        placed("cc_itangent", o, b, 1.2 + 0j, 1.5 + 0j)


def test_e5128_second_point_differs_from_d() -> None:
    b, c = 0j, 1 + 0j
    a = 1.5j  # ab perpendicular to bc
    d = c + cmath.exp(0.8j)
    x, y = placed("e5128", a, b, c, d)
    assert y == (a + b) / 2
    assert abs(x - c) == pytest.approx(1.0) and abs(x - d) > 1e-3
    assert dist_to_line(y, x, d) == pytest.approx(0.0, abs=1e-12)


def test_inscribed_angle_circle() -> None:
    circle = run("eqangle3", A, B, 0j, 1 + 0j, cmath.exp(0.9j))
    assert isinstance(circle, Circle)
    for t in (0.3, 2.0, 4.5):
        x = circle.center + circle.radius * cmath.exp(1j * t)
        turn = (B - x) / (A - x)
        assert cmath.phase(turn) % math.pi == pytest.approx(0.9)


@pytest.mark.parametrize("k", ["1/3", "2/1", "1/1"])
def test_apollonius_locus(k: str) -> None:
    locus = run("rconst2", A, B, values=(k,))
    assert isinstance(locus, Circle | Line)
    ratio = number_value(k)
    for t in (0.2, 1.9, 3.3):
        x = locus.center + locus.radius * cmath.exp(1j * t) if isinstance(locus, Circle) else locus.at(t)
        assert abs(x - A) / abs(x - B) == pytest.approx(ratio)


def test_segment_locus_and_s_angle() -> None:
    seg = run("onseg", A, B)
    assert isinstance(seg, Line) and seg.kind == "segment" and seg.hi == pytest.approx(abs(B - A))
    line = run("s_angle", A, B, values=("30",))
    assert isinstance(line, Line)
    assert cmath.phase(line.direction / (A - B)) % math.pi == pytest.approx(math.radians(30))


@pytest.mark.parametrize("seed", range(20))
def test_base_shapes_are_well_conditioned(seed: int) -> None:
    a, b, c = placed("triangle", seed=seed)
    for v, p, q in ((a, b, c), (b, c, a), (c, a, b)):
        assert math.radians(15) < angle_at(v, p, q) < math.radians(165)
    a, b, c, _ = placed("rectangle", seed=seed)
    assert abs(abs(b - a) - abs(c - b)) > 0.05
    c, a, b = placed("between", seed=seed)
    assert dot(a - c, b - c) < 0 and dist_to_line(c, a, b) < 1e-12
    for name in ("quadrangle", "pentagon", "eq_trapezoid", "r_trapezoid", "trapezoid", "isquare"):
        pts = placed(name, seed=seed)
        assert min(abs(p - q) for i, p in enumerate(pts) for q in pts[:i]) > 0.1


def test_meets() -> None:
    horizontal = Line.through(0j, 1 + 0j)
    assert meet(horizontal, Line.through(0.5 - 1j, 0.5 + 1j), TOL) == [0.5 + 0j]
    with pytest.raises(Degenerate, match="parallel"):
        meet(horizontal, Line.through(1j, 1 + 1j), TOL)
    assert sorted(meet(horizontal, Circle(0j, 2.0), TOL), key=lambda z: z.real) == [-2 + 0j, 2 + 0j]
    assert meet(Line.ray(0j, 1 + 0j), Circle(0j, 2.0), TOL) == [2 + 0j]
    assert meet(horizontal, Circle(1j, 1.0), TOL) == [0j]  # an exact tangency gives its touch point
    with pytest.raises(Degenerate, match="nearly tangent"):
        meet(horizontal, Circle(1j, 1.0000001), TOL)
    with pytest.raises(Degenerate, match="miss"):
        meet(horizontal, Circle(2j, 1.0), TOL)
    pts = meet(Circle(0j, 1.0), Circle(1 + 0j, 1.0), TOL)
    assert len(pts) == 2 and all(abs(abs(p) - 1) < 1e-12 and abs(abs(p - 1) - 1) < 1e-12 for p in pts)


def test_numeric_values() -> None:
    assert angle_value("1pi/3") == pytest.approx(math.pi / 3)
    assert angle_value("5pi/18") == pytest.approx(math.radians(50))
    assert angle_value("60o") == pytest.approx(math.radians(60))
    assert angle_value("-15") == pytest.approx(math.radians(-15))
    assert ratio_value(("1", "2")) == 0.5 and ratio_value(("3/4",)) == 0.75
    assert number_value("2.5") == 2.5
    for bad in ("pi/", "abc", "1/0"):
        with pytest.raises(BadValue):
            angle_value(bad) if "pi" in bad or bad == "abc" else number_value(bad)
