"""Plane geometry on Python complex numbers: loci (lines, rays, segments, circles) and their meets.

A point is a `complex` (x + iy): additions, rotations (multiplication by a unit) and lengths (`abs`) are
native and much faster than numpy for single 2-vectors. `Degenerate` reports a draw that cannot be used
(parallel lines, circles that miss, ...) so the diagram builder can redraw.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

import numpy as np

INF = math.inf


class Degenerate(Exception):
    """A numeric construction step failed for this draw (the reason is a human sentence)."""


def cross(u: complex, v: complex) -> float:
    """z-component of u x v."""
    return u.real * v.imag - u.imag * v.real


def dot(u: complex, v: complex) -> float:
    return u.real * v.real + u.imag * v.imag


def unit(v: complex) -> complex:
    n = abs(v)
    if n == 0.0:
        raise Degenerate("a direction between two coincident points is undefined")
    return v / n


def rotate(v: complex, angle: float) -> complex:
    return v * cmath.exp(1j * angle)


def foot(p: complex, a: complex, b: complex) -> complex:
    """Orthogonal projection of p on line ab."""
    d = b - a
    return a + d * (dot(p - a, d) / dot(d, d))


def reflect(p: complex, a: complex, b: complex) -> complex:
    """Mirror image of p in line ab."""
    return 2 * foot(p, a, b) - p


def circumcenter(a: complex, b: complex, c: complex) -> complex:
    ab, ac = b - a, c - a
    den = 2 * cross(ab, ac)
    if abs(den) <= 1e-12 * max(abs(ab), abs(ac)) ** 2:
        raise Degenerate("the three points are collinear: no circumcircle")
    return a + 1j * (ab * abs(ac) ** 2 - ac * abs(ab) ** 2) / den


def angle_of(v: complex) -> float:
    return math.atan2(v.imag, v.real)


@dataclass(frozen=True, slots=True)
class Line:
    """Points `origin + t * direction` with `lo <= t <= hi`: a line, a ray (lo = 0) or a segment.

    `direction` has unit length, so `t` is a distance along the locus.
    """

    origin: complex
    direction: complex
    lo: float = -INF
    hi: float = INF

    @staticmethod
    def through(a: complex, b: complex) -> Line:
        return Line(a, unit(b - a))

    @staticmethod
    def along(a: complex, direction: complex) -> Line:
        return Line(a, unit(direction))

    @staticmethod
    def ray(a: complex, direction: complex) -> Line:
        return Line(a, unit(direction), 0.0, INF)

    @staticmethod
    def segment(a: complex, b: complex) -> Line:
        return Line(a, unit(b - a), 0.0, abs(b - a))

    @property
    def kind(self) -> str:
        """'line', 'ray' or 'segment'."""
        if self.lo == -INF:
            return "line"
        return "ray" if self.hi == INF else "segment"

    @property
    def origin_xy(self) -> np.ndarray:
        return np.array([self.origin.real, self.origin.imag])

    @property
    def direction_xy(self) -> np.ndarray:
        return np.array([self.direction.real, self.direction.imag])

    def at(self, t: float) -> complex:
        return self.origin + t * self.direction

    def param(self, p: complex) -> float:
        return dot(p - self.origin, self.direction)

    def distance(self, p: complex) -> float:
        """Distance from p to the locus (to the nearest end for rays and segments)."""
        t = self.param(p)
        if t < self.lo:
            return abs(p - self.at(self.lo))
        if t > self.hi:
            return abs(p - self.at(self.hi))
        return abs(cross(self.direction, p - self.origin))


@dataclass(frozen=True, slots=True)
class Circle:
    """The circle of `center` and `radius`."""

    center: complex
    radius: float

    @property
    def kind(self) -> str:
        return "circle"

    @property
    def center_xy(self) -> np.ndarray:
        return np.array([self.center.real, self.center.imag])

    def distance(self, p: complex) -> float:
        return abs(abs(p - self.center) - self.radius)


Shape = Line | Circle


@dataclass(frozen=True, slots=True)
class Tolerance:
    """When loci count as parallel (|sin| < parallel), touching (half-chord < touch * r, a tangency
    that the problem asserts) or ill-conditioned (touch <= half-chord < tangent * r)."""

    parallel: float
    touch: float
    tangent: float


def _within(line: Line, t: float, slack: float) -> bool:
    return line.lo - slack <= t <= line.hi + slack


def meet_lines(l1: Line, l2: Line, parallel_tol: float) -> list[complex]:
    s = cross(l1.direction, l2.direction)
    if abs(s) < parallel_tol:
        raise Degenerate("two lines that must meet are (nearly) parallel")
    t = cross(l2.origin - l1.origin, l2.direction) / s
    p = l1.at(t)
    slack = 1e-9 * (1.0 + abs(p))
    if _within(l1, t, slack) and _within(l2, l2.param(p), slack):
        return [p]
    return []


def _half_chord(h2: float, r: float, tol: Tolerance, what: str) -> float:
    """Half the common chord from its square: 0 for a tangency (within `touch`), else well above `tangent`."""
    if abs(h2) <= (tol.touch * r) ** 2:
        return 0.0
    if h2 < 0:
        raise Degenerate(f"{what} that must meet miss each other")
    if h2 < (tol.tangent * r) ** 2:
        raise Degenerate(f"{what} that must meet are nearly tangent (ill-conditioned meet)")
    return math.sqrt(h2)


def meet_line_circle(line: Line, circle: Circle, tol: Tolerance) -> list[complex]:
    t0 = line.param(circle.center)
    f = line.at(t0)
    r = circle.radius
    h = _half_chord(r * r - abs(circle.center - f) ** 2, r, tol, "a line and a circle")
    slack = 1e-9 * (1.0 + abs(f) + r)
    ts = (t0,) if h == 0.0 else (t0 - h, t0 + h)
    return [line.at(t) for t in ts if _within(line, t, slack)]


def meet_circles(c1: Circle, c2: Circle, tol: Tolerance) -> list[complex]:
    v = c2.center - c1.center
    d = abs(v)
    if d < 1e-12 * (c1.radius + c2.radius):
        raise Degenerate("two circles that must meet are concentric")
    a = (c1.radius**2 - c2.radius**2 + d * d) / (2 * d)
    h = _half_chord(c1.radius**2 - a * a, min(c1.radius, c2.radius), tol, "two circles")
    u = v / d
    base = c1.center + a * u
    return [base] if h == 0.0 else [base + 1j * h * u, base - 1j * h * u]


def meet(s1: Shape, s2: Shape, tol: Tolerance) -> list[complex]:
    """Intersection points of two loci: none, one (a tangency) or two.

    Raises `Degenerate` for parallel lines, loci that miss, and near-tangencies that are not tangencies.
    """
    if isinstance(s1, Line):
        if isinstance(s2, Line):
            return meet_lines(s1, s2, tol.parallel)
        return meet_line_circle(s1, s2, tol)
    if isinstance(s2, Line):
        return meet_line_circle(s2, s1, tol)
    return meet_circles(s1, s2, tol)
