"""Sketch primitives that draw base shapes from nothing: free points, triangles, quadrilaterals, ...

Shapes are drawn at unit scale (coordinates roughly within [-2, 2]) with angles kept away from 0 and
180 degrees, then moved by a random rotation and translation, so that they are well conditioned.
Points come back in the order of the construction's outputs.
"""

from __future__ import annotations

import cmath
import math

import numpy as np

from tonggeo.constructions.sketch_points import Placed

Pts = tuple[complex, ...]
Vals = tuple[str, ...]


def _place(rng: np.random.Generator, *points: complex) -> Placed:
    """Move a shape drawn around the origin by a random similarity (either orientation)."""
    turn = cmath.exp(1j * rng.uniform(-math.pi, math.pi)) * rng.uniform(0.8, 1.25)
    shift = complex(rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5))
    centre = sum(points) / len(points)
    mirror = rng.random() < 0.5
    return Placed(tuple(shift + ((p - centre).conjugate() if mirror else p - centre) * turn for p in points))


def _on_circle(rng: np.random.Generator, n: int, min_gap: float) -> list[complex]:
    """n points on the unit circle, in order, with consecutive arcs at least `min_gap` radians."""
    while True:
        angles = np.sort(rng.uniform(0.0, 2 * math.pi, n))
        gaps = np.diff(np.append(angles, angles[0] + 2 * math.pi))
        if gaps.min() >= min_gap:
            return [cmath.exp(1j * float(t)) for t in angles]


def free(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """free: a random point."""
    return Placed((complex(rng.uniform(-1, 1), rng.uniform(-1, 1)),))


def segment(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """segment: two random points 0.5 to 1.2 apart, the first anywhere in [-1, 1]^2."""
    a = complex(rng.uniform(-1, 1), rng.uniform(-1, 1))
    return Placed((a, a + rng.uniform(0.5, 1.2) * cmath.exp(1j * rng.uniform(-math.pi, math.pi))))


def triangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """triangle: a random triangle with all angles between about 20 and 140 degrees."""
    while True:
        a, b, c = _on_circle(rng, 3, math.radians(40))
        if max(abs(b - a), abs(c - b), abs(a - c)) < 1.98:  # keeps the largest angle below ~164
            return _place(rng, a, b, c)


def acute_triangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """acute_triangle: a triangle with every angle between about 20 and 85 degrees.

    On the circumcircle an angle is half the opposite arc, so arcs between 40 and 170 degrees give it.
    """
    while True:
        a, b, c = _on_circle(rng, 3, math.radians(40))
        arcs = [cmath.phase(y / x) % (2 * math.pi) for x, y in ((a, b), (b, c), (c, a))]
        if max(arcs) < math.radians(170):
            return _place(rng, a, b, c)


def quadrangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """quadrangle: a random convex quadrilateral."""
    pts = [z * rng.uniform(0.8, 1.2) for z in _on_circle(rng, 4, math.radians(40))]
    return _place(rng, *pts)


def pentagon(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """pentagon: a random convex pentagon."""
    pts = [z * rng.uniform(0.85, 1.15) for z in _on_circle(rng, 5, math.radians(35))]
    return _place(rng, *pts)


def isos(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """isos: a, b, c with ab = ac (apex a), apex angle between 25 and 150 degrees."""
    half = math.radians(rng.uniform(12.5, 75))
    b, c = cmath.exp(1j * (-math.pi / 2 - half)), cmath.exp(1j * (-math.pi / 2 + half))
    return _place(rng, 0j, b, c)


def r_triangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """r_triangle: a, b, c with the right angle at a."""
    return _place(rng, 0j, complex(rng.uniform(0.7, 1.5), 0), complex(0, rng.uniform(0.7, 1.5)))


def risos(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """risos: a, b, c with the right angle at a and ab = ac."""
    return _place(rng, 0j, 1 + 0j, 1j)


def triangle12(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """triangle12: a, b, c with ab / ac = 1/2."""
    angle = math.radians(rng.uniform(30, 150))
    return _place(rng, 0j, 0.6 + 0j, 1.2 * cmath.exp(1j * angle))


def ieq_triangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """ieq_triangle: an equilateral triangle."""
    return _place(rng, 0j, 1 + 0j, cmath.exp(1j * math.pi / 3))


def _base_and_apex(rng: np.random.Generator) -> tuple[complex, complex, complex]:
    """a = 0, b = (L, 0) and a point c above ab, ahead of b's foot region."""
    length = rng.uniform(0.9, 1.4)
    c = complex(length * rng.uniform(0.6, 1.2), rng.uniform(0.6, 1.2))
    return 0j, complex(length, 0), c


def eq_quadrangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """eq_quadrangle: a, b, c, d with ad = bc."""
    a, b, c = _base_and_apex(rng)
    d = a + abs(c - b) * cmath.exp(1j * math.radians(rng.uniform(70, 120)))
    return _place(rng, a, b, c, d)


def eq_trapezoid(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """eq_trapezoid: an isosceles trapezoid abcd with ab parallel to cd and ad = bc."""
    w1, h = rng.uniform(0.6, 1.0), rng.uniform(0.6, 1.2)
    w2 = w1 * rng.choice([rng.uniform(0.3, 0.75), rng.uniform(1.3, 1.8)])
    return _place(rng, complex(-w1, 0), complex(w1, 0), complex(w2, h), complex(-w2, h))


def eqdia_quadrangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """eqdia_quadrangle: a, b, c, d with bd = ac."""
    a, b, c = _base_and_apex(rng)
    d = b + abs(c - a) * cmath.exp(1j * math.radians(rng.uniform(100, 140)))
    return _place(rng, a, b, c, d)


def r_trapezoid(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """r_trapezoid: a, b, c, d with ab parallel to cd and ab perpendicular to ad."""
    length, h = rng.uniform(0.9, 1.4), rng.uniform(0.6, 1.2)
    top = length * rng.choice([rng.uniform(0.4, 0.8), rng.uniform(1.2, 1.6)])
    return _place(rng, 0j, complex(length, 0), complex(top, h), complex(0, h))


def rectangle(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """rectangle: a rectangle abcd that is not a square."""
    w = rng.uniform(0.8, 1.4)
    h = w * rng.choice([rng.uniform(0.45, 0.8), rng.uniform(1.25, 1.6)])
    return _place(rng, 0j, complex(w, 0), complex(w, h), complex(0, h))


def isquare(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """isquare: a square abcd."""
    return _place(rng, 0j, 1 + 0j, 1 + 1j, 1j)


def trapezoid(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """trapezoid: a, b, c, d with ab parallel to cd."""
    a, b, c = _base_and_apex(rng)
    d = c - rng.uniform(0.4, 1.3) * (b - a)
    return _place(rng, a, b, c, d)


def between(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """between: c, a, b with c strictly between a and b."""
    a, b = 0j, complex(rng.uniform(0.9, 1.5), 0)
    return _place(rng, a + (b - a) * rng.uniform(0.2, 0.8), a, b)


def test_r20(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """test_r20: o, a, b, c with o the centre of circle abc and ac a diameter."""
    b = cmath.exp(1j * rng.uniform(0.3, math.pi - 0.3))
    return _place(rng, 0j, -1 + 0j, b, 1 + 0j)


def test_r25(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """test_r25: a, b, c, d, m with m the midpoint of both ab and cd."""
    a, c = _on_circle(rng, 2, math.radians(40))
    a, c = a * rng.uniform(0.6, 1.2), c * rng.uniform(0.6, 1.2)
    return _place(rng, a, -a, c, -c, 0j)
