"""Predicates as polynomial equations in point coordinates (each predicate: a list of polynomials = 0).

One function per primitive predicate name, gathered in the closed table `EQUATIONS`. Angles are directed
mod pi: angle(AB, CD) = angle(EF, GH) becomes cross(u,v) dot(w,z) - dot(u,v) cross(w,z) = 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, Protocol

from sympy import QQ

from solvers.algebraic.constants import angle_degrees, ratio, tangent
from solvers.algebraic.polys import AlgebraUnsupported, Poly

Vec = tuple[Poly, Poly]


class CoordinateSource(Protocol):
    """Where predicate translation gets point coordinates and the algebraic number sqrt(3)."""

    def point(self, name: str) -> Vec: ...

    def sqrt3(self) -> Poly: ...


def _vec(src: CoordinateSource, a: str, b: str) -> Vec:
    (xa, ya), (xb, yb) = src.point(a), src.point(b)
    return xb - xa, yb - ya


def _q(value: Fraction) -> Any:
    """A Fraction as an element of the ground field QQ."""
    return QQ(value.numerator, value.denominator)


def cross(u: Vec, v: Vec) -> Poly:
    return u[0] * v[1] - u[1] * v[0]


def dot(u: Vec, v: Vec) -> Poly:
    return u[0] * v[0] + u[1] * v[1]


def norm2(u: Vec) -> Poly:
    return dot(u, u)


def _cmul(u: Vec, v: Vec) -> Vec:
    return u[0] * v[0] - u[1] * v[1], u[0] * v[1] + u[1] * v[0]


def _conj(u: Vec) -> Vec:
    return u[0], -u[1]


def _points(args: Sequence[str], count: int, name: str) -> Sequence[str]:
    if len(args) < count:
        raise AlgebraUnsupported(f"{name} needs {count} points, got {len(args)}")
    return args


def coll(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, *rest = _points(args, 3, "coll")
    ab = _vec(src, a, b)
    return [cross(ab, _vec(src, a, c)) for c in rest]


def para(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d = _points(args, 4, "para")[:4]
    return [cross(_vec(src, a, b), _vec(src, c, d))]


def perp(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d = _points(args, 4, "perp")[:4]
    return [dot(_vec(src, a, b), _vec(src, c, d))]


def cong(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d = _points(args, 4, "cong")[:4]
    return [norm2(_vec(src, a, b)) - norm2(_vec(src, c, d))]


def cyclic(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, *rest = _points(args, 4, "cyclic")
    rows = [_vec(src, a, p) for p in (b, c)]
    found = []
    for d in rest:
        (x1, y1), (x2, y2), (x3, y3) = (*rows, _vec(src, a, d))
        n1, n2, n3 = x1 * x1 + y1 * y1, x2 * x2 + y2 * y2, x3 * x3 + y3 * y3
        found.append(n1 * (x2 * y3 - x3 * y2) - n2 * (x1 * y3 - x3 * y1) + n3 * (x1 * y2 - x2 * y1))
    return found


def eqangle(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d, e, f, g, h = _points(args, 8, "eqangle")[:8]
    u, v, w, z = _vec(src, a, b), _vec(src, c, d), _vec(src, e, f), _vec(src, g, h)
    return [cross(u, v) * dot(w, z) - dot(u, v) * cross(w, z)]


def eqratio(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d, e, f, g, h = _points(args, 8, "eqratio")[:8]
    ab, cd, ef, gh = (norm2(_vec(src, p, q)) for p, q in ((a, b), (c, d), (e, f), (g, h)))
    return [ab * gh - cd * ef]


def midp(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    m, a, b = _points(args, 3, "midp")[:3]
    (xm, ym), (xa, ya), (xb, yb) = src.point(m), src.point(a), src.point(b)
    return [2 * xm - xa - xb, 2 * ym - ya - yb]


def circle(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    o, a, b, c = _points(args, 4, "circle")[:4]
    return cong(src, (o, a, o, b)) + cong(src, (o, a, o, c))


def _angle_equation(src: CoordinateSource, u: Vec, v: Vec, degrees: Fraction) -> Poly:
    """angle from direction u to direction v equals `degrees` mod 180."""
    tan = tangent(degrees)
    if tan.infinite:
        return dot(u, v)
    parallel = dot(u, v)
    found = cross(u, v) - parallel * _q(tan.rational)
    if tan.sqrt3:
        found -= parallel * src.sqrt3() * _q(tan.sqrt3)
    return found


def aconst(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d, value = _points(args, 5, "aconst")[:5]
    return [_angle_equation(src, _vec(src, a, b), _vec(src, c, d), angle_degrees(value))]


def s_angle(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    """s_angle a b x y: the ray b->x is b->a turned by y degrees."""
    a, b, x, value = _points(args, 4, "s_angle")[:4]
    return [_angle_equation(src, _vec(src, b, a), _vec(src, b, x), angle_degrees(value))]


def rconst(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d, *value = _points(args, 5, "rconst")
    r = ratio(tuple(value))
    return [norm2(_vec(src, a, b)) - norm2(_vec(src, c, d)) * _q(r * r)]


def r2const(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, c, d, *value = _points(args, 5, "r2const")
    return [norm2(_vec(src, a, b)) - norm2(_vec(src, c, d)) * _q(ratio(tuple(value)))]


def lconst(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, *value = _points(args, 3, "lconst")
    length = ratio(tuple(value))
    return [norm2(_vec(src, a, b)) - _q(length * length)]


def l2const(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    a, b, *value = _points(args, 3, "l2const")
    return [norm2(_vec(src, a, b)) - _q(ratio(tuple(value)))]


def _similar(src: CoordinateSource, args: Sequence[str], mirrored: bool) -> list[Poly]:
    a, b, c, p, q, r = args[:6]
    ab, ac, pq, pr = _vec(src, a, b), _vec(src, a, c), _vec(src, p, q), _vec(src, p, r)
    if mirrored:
        pq, pr = _conj(pq), _conj(pr)
    left, right = _cmul(ab, pr), _cmul(pq, ac)
    return [left[0] - right[0], left[1] - right[1]]


def simtri(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    return _similar(src, _points(args, 6, "simtri"), mirrored=False)


def simtri2(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    return _similar(src, _points(args, 6, "simtri2"), mirrored=True)


def contri(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    return simtri(src, args) + cong(src, (args[0], args[1], args[3], args[4]))


def contri2(src: CoordinateSource, args: Sequence[str]) -> list[Poly]:
    return simtri2(src, args) + cong(src, (args[0], args[1], args[3], args[4]))


EquationMaker = Callable[[CoordinateSource, Sequence[str]], list[Poly]]

EQUATIONS: dict[str, EquationMaker] = {
    "coll": coll,
    "para": para,
    "perp": perp,
    "cong": cong,
    "cyclic": cyclic,
    "eqangle": eqangle,
    "eqratio": eqratio,
    "midp": midp,
    "circle": circle,
    "aconst": aconst,
    "s_angle": s_angle,
    "rconst": rconst,
    "r2const": r2const,
    "lconst": lconst,
    "l2const": l2const,
    "simtri": simtri,
    "simtri2": simtri2,
    "simtrir": simtri2,
    "contri": contri,
    "contri2": contri2,
    "contrir": contri2,
}

# Predicates whose truth changes under a scaling of the plane.
SCALE_DEPENDENT = frozenset({"lconst", "l2const"})

# Inequalities and orientation conditions: no polynomial equation; a construction's facts of these kinds
# are left out of the hypotheses (which only weakens them), the diagram having settled them.
INEQUALITIES = frozenset(
    {"ncoll", "npara", "nperp", "diff", "sameclock", "sameside", "nsameside", "obtuse_angle"}
)


def equations(src: CoordinateSource, name: str, args: Sequence[str]) -> list[Poly]:
    """The polynomials of predicate `name` over `args` (all must vanish)."""
    maker = EQUATIONS.get(name)
    if maker is None:
        raise AlgebraUnsupported(f"predicate {name!r} has no polynomial form")
    return maker(src, args)
