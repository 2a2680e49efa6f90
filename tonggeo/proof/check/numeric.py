"""The checker's own numeric geometry: dimensionless residuals of each predicate (0 when it holds) and the
side conditions (non-degeneracy, orientation, betweenness) decided on the checker's coordinates.

Residuals are sines, cosines and relative differences, so one tolerance serves any diagram scale; the
same functions verify constructed points (as equations solved by Newton's method) and stated facts.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Sequence

Residuals = Callable[[Sequence[complex], float | None], list[float]]


def cross(u: complex, v: complex) -> float:
    return u.real * v.imag - u.imag * v.real


def dot(u: complex, v: complex) -> float:
    return u.real * v.real + u.imag * v.imag


def _ratio(x: float, y: float) -> float:
    """(x - y) / (|x| + |y|): 0 iff equal, dimensionless."""
    total = abs(x) + abs(y)
    return 0.0 if total == 0 else (x - y) / total


def _sine(u: complex, v: complex) -> float:
    n = abs(u) * abs(v)
    return 1.0 if n == 0 else cross(u, v) / n


def _cosine(u: complex, v: complex) -> float:
    n = abs(u) * abs(v)
    return 1.0 if n == 0 else dot(u, v) / n


def coll(p: Sequence[complex], _: float | None) -> list[float]:
    base = p[1] - p[0]
    return [0.0 if q == p[0] else _sine(base, q - p[0]) for q in p[2:]]


def para(p: Sequence[complex], _: float | None) -> list[float]:
    return [_sine(p[1] - p[0], p[3] - p[2])]


def perp(p: Sequence[complex], _: float | None) -> list[float]:
    return [_cosine(p[1] - p[0], p[3] - p[2])]


def cong(p: Sequence[complex], _: float | None) -> list[float]:
    return [_ratio(abs(p[1] - p[0]) ** 2, abs(p[3] - p[2]) ** 2)]


def _turn(a: complex, b: complex, c: complex, d: complex) -> complex:
    """A complex number whose argument is the directed angle from line AB to line CD (mod pi)."""
    return (d - c) * (b - a).conjugate()


def eqangle(p: Sequence[complex], _: float | None) -> list[float]:
    return [_sine(_turn(*p[4:8]), _turn(*p[0:4]))]


def aconst(p: Sequence[complex], value: float | None) -> list[float]:
    """The angle from AB to CD is `value` (units of pi) mod pi."""
    assert value is not None
    return [_sine(cmath.exp(1j * math.pi * value), _turn(*p[0:4]))]


def aequation(p: Sequence[complex], value: float | None) -> list[float]:
    """The angles from line p0p1 to line p2p3, from p4p5 to p6p7, ... add up to `value` (units of pi)."""
    assert value is not None
    total = complex(1.0)
    for i in range(0, len(p) - 3, 4):
        turn = _turn(*p[i : i + 4])
        total *= turn / abs(turn) if turn else 0.0
    return [_sine(cmath.exp(1j * math.pi * value), total)]


def lequation(p: Sequence[complex], value: float | None) -> list[float]:
    """The products |p0p1|.|p2p3|, ... of the first `value` groups add up to those of the others."""
    assert value is not None
    terms = [abs(p[i + 1] - p[i]) * abs(p[i + 3] - p[i + 2]) for i in range(0, len(p) - 3, 4)]
    return [_ratio(sum(terms[: int(value)]), sum(terms[int(value) :]))]


def eqratio(p: Sequence[complex], _: float | None) -> list[float]:
    ab, cd, ef, gh = (abs(p[i + 1] - p[i]) for i in (0, 2, 4, 6))
    return [_ratio(ab * gh, cd * ef)]


def rconst(p: Sequence[complex], value: float | None) -> list[float]:
    assert value is not None
    return [_ratio(abs(p[1] - p[0]), value * abs(p[3] - p[2]))]


def r2const(p: Sequence[complex], value: float | None) -> list[float]:
    assert value is not None
    return [_ratio(abs(p[1] - p[0]) ** 2, value * abs(p[3] - p[2]) ** 2)]


def lconst(p: Sequence[complex], value: float | None) -> list[float]:
    assert value is not None
    return [_ratio(abs(p[1] - p[0]), value)]


def l2const(p: Sequence[complex], value: float | None) -> list[float]:
    assert value is not None
    return [_ratio(abs(p[1] - p[0]) ** 2, value)]


def midp(p: Sequence[complex], _: float | None) -> list[float]:
    m, a, b = p
    size = abs(b - a) or 1.0
    gap = (m - (a + b) / 2) / size
    return [gap.real, gap.imag]


def circle(p: Sequence[complex], _: float | None) -> list[float]:
    o, a, *rest = p
    return [cong((o, a, o, q), None)[0] for q in rest]


def cyclic(p: Sequence[complex], _: float | None) -> list[float]:
    """Four points are concyclic (or collinear) iff their cross-ratio is real; the first three must not
    be collinear (`holds` adds that), so collinear points do not pass."""
    a, b, c = p[:3]
    out = []
    for d in p[3:]:
        z = (a - c) * (b - d) * ((a - d) * (b - c)).conjugate()
        out.append(0.0 if z == 0 else z.imag / abs(z))
    return out


def _similar(p: Sequence[complex], reflected: bool) -> list[float]:
    a, b, c, x, y, z = p
    u, v = (c - a) * (y - x), (b - a) * (z - x)
    if reflected:
        u, v = (c - a) * (y - x).conjugate(), (b - a) * (z - x).conjugate()
    size = abs(u) + abs(v)
    gap = 0j if size == 0 else (u - v) / size
    return [gap.real, gap.imag]


def simtri(p: Sequence[complex], _: float | None) -> list[float]:
    return _similar(p, False)


def simtri2(p: Sequence[complex], _: float | None) -> list[float]:
    return _similar(p, True)


def contri(p: Sequence[complex], _: float | None) -> list[float]:
    return _similar(p, False) + cong((p[0], p[1], p[3], p[4]), None)


def contri2(p: Sequence[complex], _: float | None) -> list[float]:
    return _similar(p, True) + cong((p[0], p[1], p[3], p[4]), None)


# ---------------------------------------------------------------------- side conditions
def _scale(p: Sequence[complex]) -> float:
    return max((abs(q - p[0]) for q in p), default=1.0) or 1.0


def diff(p: Sequence[complex], tol: float) -> bool:
    return abs(p[0] - p[1]) > tol * max(abs(p[0]), abs(p[1]), 1.0)


def orientation(a: complex, b: complex, c: complex, tol: float) -> int:
    """+1 counter-clockwise, -1 clockwise, 0 (nearly) collinear."""
    area = cross(b - a, c - a)
    if abs(area) <= tol * max(abs(b - a), abs(c - a), abs(c - b)) ** 2:
        return 0
    return 1 if area > 0 else -1


def ncoll(p: Sequence[complex], tol: float) -> bool:
    return any(orientation(p[0], p[1], q, tol) != 0 for q in p[2:]) and diff(p[:2], tol)


def npara(p: Sequence[complex], tol: float) -> bool:
    return abs(p[1] - p[0]) > 0 and abs(p[3] - p[2]) > 0 and abs(para(p, None)[0]) > tol


def nperp(p: Sequence[complex], tol: float) -> bool:
    return abs(p[1] - p[0]) > 0 and abs(p[3] - p[2]) > 0 and abs(perp(p, None)[0]) > tol


def sameclock(p: Sequence[complex], tol: float) -> bool:
    first, second = orientation(p[0], p[1], p[2], tol), orientation(p[3], p[4], p[5], tol)
    return first != 0 and first == second


def side(a: complex, b: complex, c: complex, tol: float) -> int:
    """+1 if A lies outside segment BC (on its line or not), -1 strictly inside, 0 at an end."""
    d = dot(b - a, c - a)
    if abs(d) <= tol * max(abs(b - a), abs(c - a)) ** 2:
        return 0
    return 1 if d > 0 else -1


def sameside(p: Sequence[complex], tol: float) -> bool:
    first, second = side(p[0], p[1], p[2], tol), side(p[3], p[4], p[5], tol)
    return first != 0 and first == second


def nsameside(p: Sequence[complex], tol: float) -> bool:
    first, second = side(p[0], p[1], p[2], tol), side(p[3], p[4], p[5], tol)
    return first != 0 and second != 0 and first != second


def obtuse_angle(p: Sequence[complex], tol: float) -> bool:
    a, b, c = p
    return dot(a - b, c - b) < -tol * abs(a - b) * abs(c - b)


Condition = Callable[[Sequence[complex], float], bool]
CONDITIONS: dict[str, tuple[int, Condition]] = {
    "diff": (2, diff),
    "ncoll": (3, ncoll),
    "npara": (4, npara),
    "nperp": (4, nperp),
    "sameclock": (6, sameclock),
    "sameside": (6, sameside),
    "nsameside": (6, nsameside),
    "obtuse_angle": (3, obtuse_angle),
}
"""Side conditions: name -> (number of points, decision on coordinates with a relative tolerance)."""
