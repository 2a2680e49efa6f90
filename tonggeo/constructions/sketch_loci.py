"""Sketch primitives that return a locus (line, ray, segment or circle) for one new point.

Each takes `(rng, points, values)`: the sketch step's point arguments in written order and its numeric
parameters as text. The docstring names the arguments as the sketch lines of the catalogue write them.
"""

from __future__ import annotations

import math

import numpy as np

from tonggeo.constructions.planar import Circle, Degenerate, Line, circumcenter, rotate, unit
from tonggeo.constructions.values import angle_value, number_value

Pts = tuple[complex, ...]
Vals = tuple[str, ...]


def line(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """line a b: the line ab."""
    return Line.through(p[0], p[1])


def pline(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """pline a b c: the line through a parallel to bc."""
    return Line.along(p[0], p[2] - p[1])


def tline(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """tline a b c: the line through a perpendicular to bc."""
    return Line.along(p[0], 1j * (p[2] - p[1]))


def bline(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """bline a b: the perpendicular bisector of ab."""
    return Line.along((p[0] + p[1]) / 2, 1j * (p[1] - p[0]))


def bisect(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """bisect a b c: the internal bisector of angle abc (through b)."""
    a, b, c = p
    return Line.along(b, unit(a - b) + unit(c - b))


def exbisect(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """exbisect a b c: the external bisector of angle abc (through b)."""
    a, b, c = p
    return Line.along(b, unit(a - b) - unit(c - b))


def amirror(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """amirror a b c: the ray from b mirroring ray ba in line bc."""
    a, b, c = p
    u = unit(c - b)
    return Line.ray(b, u * u * unit(a - b).conjugate())


def circle(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """circle o a b: the circle of centre o and radius |ab|."""
    return Circle(p[0], abs(p[2] - p[1]))


def dia(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """dia a b: the circle of diameter ab."""
    return Circle((p[0] + p[1]) / 2, abs(p[1] - p[0]) / 2)


def cyclic(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """cyclic a b c: the circle through a, b, c."""
    o = circumcenter(p[0], p[1], p[2])
    return Circle(o, abs(p[0] - o))


def _turn(frm: complex, to: complex) -> complex:
    """The rotation (unit complex) taking the direction of `frm` to that of `to`."""
    return unit(to) * unit(frm).conjugate()


def aline(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """aline e d c b a: the line ax with angle(ax, ab) = angle(dc, de) (on_aline x a b c d e)."""
    e, d, c, b, a = p
    return Line.along(a, (b - a) * _turn(e - d, c - d))


def aline0(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """aline0 a b c d e f g: the line gx with angle(ab, cd) = angle(ef, gx)."""
    a, b, c, d, e, f, g = p
    return Line.along(g, (f - e) * _turn(b - a, d - c))


def _inscribed(a: complex, b: complex, turn: complex) -> Circle | Line:
    """Points x with directed angle(xa, xb) equal to the rotation `turn` (mod pi): a circle through a, b."""
    s = turn.imag
    if abs(s) < 1e-9:
        return Line.through(a, b)
    cot = turn.real / s
    centre = (a + b) / 2 + 0.5j * (b - a) * cot
    return Circle(centre, abs(a - centre))


def aline2(rng: np.random.Generator, p: Pts, v: Vals) -> Circle | Line:
    """aline2 e d c b a: the points x with angle(xa, xb) = angle(dc, de) (on_aline2 x a b c d e)."""
    e, d, c, b, a = p
    return _inscribed(a, b, _turn(c - d, e - d))


def eqangle3(rng: np.random.Generator, p: Pts, v: Vals) -> Circle | Line:
    """eqangle3 a b d e f: the points x with angle(xa, xb) = angle(de, df)."""
    a, b, d, e, f = p
    return _inscribed(a, b, _turn(e - d, f - d))


def s_angle(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """s_angle a b y: the line bx with angle(ab, bx) = y (degrees unless written `mpi/n`)."""
    a, b = p
    return Line.along(b, rotate(a - b, angle_value(v[0])))


def aconst(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """aconst a b c r: the line cx with angle(ab, cx) = r."""
    a, b, c = p
    return Line.along(c, rotate(b - a, angle_value(v[0])))


def on_opline(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """on_opline a b: the ray from a away from b."""
    return Line.ray(p[0], p[0] - p[1])


def onseg(rng: np.random.Generator, p: Pts, v: Vals) -> Line:
    """onseg a b: the segment ab (points strictly between a and b)."""
    return Line.segment(p[0], p[1])


def _radius(r: float) -> float:
    if not (r > 0 and math.isfinite(r)):
        raise Degenerate("a prescribed length is not positive")
    return r


def eqratio(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """eqratio a b c d e f g: the points x with ab/cd = ef/gx."""
    a, b, c, d, e, f, g = p
    ab = abs(b - a)
    if ab == 0:
        raise Degenerate("eqratio: the first segment has length 0")
    return Circle(g, _radius(abs(d - c) * abs(f - e) / ab))


def apollonius(a: complex, b: complex, k: float) -> Circle | Line:
    """The points x with |xa| / |xb| = k."""
    if not (k > 0 and math.isfinite(k)):
        raise Degenerate("a prescribed ratio is not positive")
    if abs(k - 1.0) < 1e-12:
        return Line.along((a + b) / 2, 1j * (b - a))
    k2 = k * k
    centre = (a - k2 * b) / (1 - k2)
    return Circle(centre, k * abs(a - b) / abs(1 - k2))


def eqratio6(rng: np.random.Generator, p: Pts, v: Vals) -> Circle | Line:
    """eqratio6 a c e f g h: the points x with ax/cx = ef/gh."""
    a, c, e, f, g, h = p
    gh = abs(h - g)
    if gh == 0:
        raise Degenerate("eqratio6: the last segment has length 0")
    return apollonius(a, c, abs(f - e) / gh)


def rconst(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """rconst a b c r: the points x with ab/cx = r."""
    a, b, c = p
    return Circle(c, _radius(abs(b - a) / number_value(v[0])))


def r2const(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """r2const a b c r: the points x with ab^2/cx^2 = r."""
    a, b, c = p
    return Circle(c, _radius(abs(b - a) / math.sqrt(_radius(number_value(v[0])))))


def rconst2(rng: np.random.Generator, p: Pts, v: Vals) -> Circle | Line:
    """rconst2 a b r: the points x with ax/bx = r."""
    return apollonius(p[0], p[1], number_value(v[0]))


def lconst(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """lconst a l: the points at distance l from a."""
    return Circle(p[0], _radius(number_value(v[0])))


def l2const(rng: np.random.Generator, p: Pts, v: Vals) -> Circle:
    """l2const a l: the points at squared distance l from a."""
    return Circle(p[0], math.sqrt(_radius(number_value(v[0]))))
