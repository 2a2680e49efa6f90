"""Sketch primitives that place new points directly, from existing ones.

Each returns a `Placed` whose points follow the construction's outputs in order (e.g. `incenter2`
returns the touch points on bc, ca, ab, then the incentre, as in `incenter2 x y z i a b c`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tonggeo.constructions.planar import (
    Degenerate,
    circumcenter,
    cross,
    dot,
    foot,
    reflect,
    rotate,
    unit,
)

Pts = tuple[complex, ...]
Vals = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Placed:
    """Concrete new points, in the order of the construction's outputs."""

    points: tuple[complex, ...]


def midp(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """midp a b: the midpoint of ab."""
    return Placed(((p[0] + p[1]) / 2,))


def pmirror(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """pmirror a b: the mirror image of a through b."""
    return Placed((2 * p[1] - p[0],))


def reflect_(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """reflect a b c: the mirror image of a in line bc."""
    return Placed((reflect(p[0], p[1], p[2]),))


def bmirror(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """bmirror c a b: the mirror image of c in the perpendicular bisector of ab."""
    c, a, b = p
    m = (a + b) / 2
    return Placed((reflect(c, m, m + 1j * (b - a)),))


def rotatep90(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """rotatep90 a b: b turned by +90 degrees about a."""
    return Placed((p[0] + 1j * (p[1] - p[0]),))


def rotaten90(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """rotaten90 a b: b turned by -90 degrees about a."""
    return Placed((p[0] - 1j * (p[1] - p[0]),))


def shift(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """shift d c b: the point x = b + c - d (so xb = cd and xc = bd)."""
    d, c, b = p
    return Placed((b + c - d,))


def square(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """square a b: x, y completing the square a b x y."""
    a, b = p
    x = b + 1j * (b - a)
    return Placed((x, x + a - b))


def _line_meet(p1: complex, d1: complex, p2: complex, d2: complex) -> complex:
    s = cross(d1, d2)
    if abs(s) < 1e-9 * abs(d1) * abs(d2):
        raise Degenerate("two lines that must meet are parallel")
    return p1 + d1 * (cross(p2 - p1, d2) / s)


def _tangent_circle(centre: complex, a: complex, b: complex, c: complex) -> Placed:
    return Placed((foot(centre, b, c), foot(centre, c, a), foot(centre, a, b), centre))


def incenter2(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """incenter2 a b c: touch points of the incircle on bc, ca, ab, then the incentre."""
    a, b, c = p
    la, lb, lc = abs(c - b), abs(a - c), abs(b - a)
    i = (la * a + lb * b + lc * c) / (la + lb + lc)
    return _tangent_circle(i, a, b, c)


def excenter2(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """excenter2 a b c: touch points of the excircle opposite a on bc, ca, ab, then its centre."""
    a, b, c = p
    la, lb, lc = abs(c - b), abs(a - c), abs(b - a)
    den = -la + lb + lc
    if den <= 0:
        raise Degenerate("excenter of a degenerate triangle")
    i = (-la * a + lb * b + lc * c) / den
    return _tangent_circle(i, a, b, c)


def centroid(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """centroid a b c: midpoints of bc, ca, ab, then the centroid."""
    a, b, c = p
    return Placed(((b + c) / 2, (c + a) / 2, (a + b) / 2, (a + b + c) / 3))


def ninepoints(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """ninepoints a b c: midpoints of bc, ca, ab, then the nine-point centre."""
    a, b, c = p
    x, y, z = (b + c) / 2, (c + a) / 2, (a + b) / 2
    return Placed((x, y, z, circumcenter(x, y, z)))


def eqangle2(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """eqangle2 a b c: a random x with angle(ab, ax) = angle(cx, cb)."""
    a, b, c = p
    turn = complex(math.cos(t := rng.uniform(-1.2, 1.2)), math.sin(t))
    return Placed((_line_meet(a, (b - a) * turn, c, (b - c) * turn.conjugate()),))


def trisect(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """trisect a b c: x, y on ac with bx, by trisecting angle abc."""
    a, b, c = p
    ua = unit(a - b)
    turn = unit(c - b) * ua.conjugate()
    third = math.atan2(turn.imag, turn.real) / 3
    x = _line_meet(b, rotate(ua, third), a, c - a)
    y = _line_meet(b, rotate(ua, 2 * third), a, c - a)
    return Placed((x, y))


def trisegment(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """trisegment a b: the two points dividing ab in three equal parts."""
    a, b = p
    return Placed((a + (b - a) / 3, a + 2 * (b - a) / 3))


def e5128(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """e5128 a b c d: y the midpoint of ab, x the second meet of line dy with circle (c, cb)."""
    a, b, c, d = p
    y = (a + b) / 2
    u = unit(y - d)
    # d lies on the circle: the other meet is d + 2 * ((c - d) . u) u
    x = d + 2 * dot(c - d, u) * u
    return Placed((x, y))


def threepeq(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """3peq a b c: z random on bc, then x on ab and y on ac with z the midpoint of xy."""
    a, b, c = p
    z = b + (c - b) * rng.uniform(-0.5, 1.5)
    # y on ac and x = 2z - y on ab: intersect ab with ac mirrored through z
    x = _line_meet(a, b - a, 2 * z - a, a - c)
    return Placed((x, 2 * z - x, z))


def twol1c(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """2l1c a b c o: circle i tangent to lines ca, cb (at x, y) and internally to circle (o, oa) at z."""
    a, b, c, o = p
    big = abs(a - o)
    ua, ub = unit(a - c), unit(b - c)
    u = unit(ua + ub)
    s = abs(cross(u, ua))
    # i = c + t u has distance t s to both lines; |i - o| = R - t s
    w = c - o
    qa, qb, qc = 1 - s * s, 2 * (dot(u, w) + big * s), abs(w) ** 2 - big * big
    disc = qb * qb - 4 * qa * qc
    if qa <= 1e-12 or disc < 0:
        raise Degenerate("2l1c: no circle tangent to both lines and the circle")
    t = (-qb + math.sqrt(disc)) / (2 * qa)
    i = c + t * u
    if t <= 0 or t * s >= big:
        raise Degenerate("2l1c: no circle tangent to both lines and the circle")
    z = o + big * unit(i - o)
    return Placed((foot(i, a, c), foot(i, b, c), z, i))


def _tangent_normals(o: complex, w: complex, cos_phi: float, what: str) -> tuple[complex, complex]:
    if abs(cos_phi) >= 1 - 1e-9:
        raise Degenerate(f"{what}: the circles have no such common tangent")
    u = unit(w - o)
    sin_phi = math.sqrt(1 - cos_phi * cos_phi)
    return u * complex(cos_phi, sin_phi), u * complex(cos_phi, -sin_phi)


def tangent(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """tangent a o b: the touch points x, y of the tangents from a to the circle (o, ob)."""
    a, o, b = p
    r, d = abs(b - o), abs(a - o)
    if d <= r:
        raise Degenerate("tangent: the point is not outside the circle")
    n1, n2 = _tangent_normals(o, a, r / d, "tangent")
    return Placed((o + r * n1, o + r * n2))


def _cc(p: Pts, internal: bool) -> tuple[complex, complex, complex, complex]:
    o, a, w, b = p
    r1, r2, d = abs(a - o), abs(b - w), abs(w - o)
    sign = -1.0 if internal else 1.0
    if d == 0:
        raise Degenerate("common tangents of concentric circles")
    n1, n2 = _tangent_normals(o, w, (r1 - sign * r2) / d, "cc_tangent")
    return o + r1 * n1, w + sign * r2 * n1, o + r1 * n2, w + sign * r2 * n2


def cc_tangent0(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """cc_tangent0 o a w b: touch points x (on circle o) and y (on circle w) of one external tangent."""
    x, y, _, _ = _cc(p, internal=False)
    return Placed((x, y))


def cc_tangent(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """cc_tangent o a w b: touch points x, y and z, i of the two external common tangents."""
    return Placed(_cc(p, internal=False))


def cc_itangent(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """cc_itangent o a w b: touch points x, y and z, i of the two internal common tangents."""
    return Placed(_cc(p, internal=True))


def simtri(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """simtri a b c p q: r with triangle pqr directly similar to abc."""
    a, b, c, pp, q = p
    return Placed((pp + (c - a) * (q - pp) / (b - a),))


def simtrir(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """simtrir a b c p q: r with triangle pqr oppositely similar to abc."""
    a, b, c, pp, q = p
    return Placed((pp + ((c - a) / (b - a)).conjugate() * (q - pp),))


def contri(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """contri a b c p: q, r with pqr directly congruent to abc (random rotation about p)."""
    a, b, c, pp = p
    turn = complex(math.cos(t := rng.uniform(-math.pi, math.pi)), math.sin(t))
    return Placed((pp + (b - a) * turn, pp + (c - a) * turn))


def contrir(rng: np.random.Generator, p: Pts, v: Vals) -> Placed:
    """contrir a b c p: q, r with pqr oppositely congruent to abc (random rotation about p)."""
    a, b, c, pp = p
    turn = complex(math.cos(t := rng.uniform(-math.pi, math.pi)), math.sin(t))
    return Placed((pp + (b - a).conjugate() * turn, pp + (c - a).conjugate() * turn))
