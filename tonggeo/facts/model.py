"""Facts: one frozen record per predicate kind (a tagged union), always in canonical argument order.

`make_fact` is the only constructor the engine uses: it puts the arguments in a canonical order, so two
statements of the same fact (`para a b c d` and `para d c b a`) are the same record, hash equal, and print
back to the same DSL text.  Angles are directed, mod pi; `aconst` values are in units of pi, mod 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from tonggeo.facts.spec import SPECS, FactKind, canonicaliser, names
from tonggeo.facts.values import format_angle, format_ratio

Points = tuple[str, ...]


class FactError(ValueError):
    """A statement that is not a well-formed fact (wrong arity, repeated point, unknown kind)."""


@dataclass(frozen=True, slots=True)
class Coll:
    """The points lie on one line."""

    args: Points
    kind: ClassVar[FactKind] = "coll"


@dataclass(frozen=True, slots=True)
class Cyclic:
    """The points lie on one circle."""

    args: Points
    kind: ClassVar[FactKind] = "cyclic"


@dataclass(frozen=True, slots=True)
class Para:
    """AB parallel to CD."""

    args: Points
    kind: ClassVar[FactKind] = "para"


@dataclass(frozen=True, slots=True)
class Perp:
    """AB perpendicular to CD."""

    args: Points
    kind: ClassVar[FactKind] = "perp"


@dataclass(frozen=True, slots=True)
class Cong:
    """|AB| = |CD|."""

    args: Points
    kind: ClassVar[FactKind] = "cong"


@dataclass(frozen=True, slots=True)
class EqAngle:
    """The directed angle from AB to CD equals the one from EF to GH (mod pi)."""

    args: Points
    kind: ClassVar[FactKind] = "eqangle"


@dataclass(frozen=True, slots=True)
class EqRatio:
    """|AB| / |CD| = |EF| / |GH|."""

    args: Points
    kind: ClassVar[FactKind] = "eqratio"


@dataclass(frozen=True, slots=True)
class Midp:
    """M is the midpoint of AB (args M, A, B)."""

    args: Points
    kind: ClassVar[FactKind] = "midp"


@dataclass(frozen=True, slots=True)
class Circle:
    """O is equidistant from A, B, C (args O, A, B, C)."""

    args: Points
    kind: ClassVar[FactKind] = "circle"


@dataclass(frozen=True, slots=True)
class SimTri:
    """ABC similar to PQR with the same orientation (A->P, B->Q, C->R)."""

    args: Points
    kind: ClassVar[FactKind] = "simtri"


@dataclass(frozen=True, slots=True)
class SimTri2:
    """ABC similar to PQR with opposite orientation."""

    args: Points
    kind: ClassVar[FactKind] = "simtri2"


@dataclass(frozen=True, slots=True)
class ConTri:
    """ABC congruent to PQR with the same orientation."""

    args: Points
    kind: ClassVar[FactKind] = "contri"


@dataclass(frozen=True, slots=True)
class ConTri2:
    """ABC congruent to PQR with opposite orientation."""

    args: Points
    kind: ClassVar[FactKind] = "contri2"


@dataclass(frozen=True, slots=True)
class AConst:
    """The directed angle from AB to CD is `value` * pi (mod pi)."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "aconst"


@dataclass(frozen=True, slots=True)
class RConst:
    """|AB| / |CD| = `value`."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "rconst"


@dataclass(frozen=True, slots=True)
class R2Const:
    """|AB|^2 / |CD|^2 = `value`."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "r2const"


@dataclass(frozen=True, slots=True)
class LConst:
    """|AB| = `value`, in the figure's absolute units."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "lconst"


@dataclass(frozen=True, slots=True)
class L2Const:
    """|AB|^2 = `value`, in the figure's absolute units."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "l2const"


@dataclass(frozen=True, slots=True)
class AEquation:
    """A sum of directed angles is `value` * pi (mod pi): `args` are groups of four points `a b c d`, each
    the angle from line ab to line cd, all with coefficient 1 (an integer coefficient n is n copies of its
    group, a negative one the reversed angle from cd to ab)."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "aequation"


@dataclass(frozen=True, slots=True)
class LEquation:
    """A homogeneous equation in products of two lengths: `args` are groups of four points `a b c d`, each
    the product |ab|.|cd| (a square when the two segments are one), all with coefficient 1; the first
    `value` groups add up to the others (an integer coefficient n is n copies of its group)."""

    args: Points
    value: Fraction
    kind: ClassVar[FactKind] = "lequation"


Fact = (
    Coll
    | Cyclic
    | Para
    | Perp
    | Cong
    | EqAngle
    | EqRatio
    | Midp
    | Circle
    | SimTri
    | SimTri2
    | ConTri
    | ConTri2
    | AConst
    | RConst
    | R2Const
    | LConst
    | L2Const
    | AEquation
    | LEquation
)

VALUED = (AConst, RConst, R2Const, LConst, L2Const, AEquation, LEquation)
"""The fact classes that carry a numeric `value`."""

# Predicate names of the DSL that are the same fact kind under another name.
ALIASES: dict[str, str] = {
    "simtrir": "simtri2",
    "contrir": "contri2",
    "eqangle6": "eqangle",
    "eqratio6": "eqratio",
}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _distinct(kind: str, points: Sequence[str]) -> None:
    if len(set(points)) != len(points):
        raise FactError(f"{kind}: repeated point in {' '.join(points)}")


def _set_form(kind: str, minimum: int) -> Callable[[Points], Points]:
    least = canonicaliser(kind)

    def canon(args: Points) -> Points:
        points = least(args)
        if len(points) < minimum:
            raise FactError(f"{kind} needs at least {minimum} distinct points, got {' '.join(args)}")
        return points

    return canon


def _from_spec(kind: str, *distinct: slice) -> Callable[[Points], Points]:
    """The least image under the spec's argument symmetries (`tonggeo.facts.spec.canonicaliser`); the
    points within each of the `distinct` parts must differ."""
    arity = SPECS[kind].arity
    least = canonicaliser(kind)

    def canon(args: Points) -> Points:
        if len(args) != arity:
            raise FactError(f"{kind} needs {arity} points, got {len(args)}")
        for part in distinct:
            _distinct(kind, args[part])
        return least(args)

    return canon


# para/perp/cong and eqangle/eqratio are written out (pairs sorted first, then the least of 2 or 8 pair
# orders instead of 8 or 128 images): the engine builds them most; tests/facts checks they equal
# `canonical_args`.
def _two_pairs(kind: str) -> Callable[[Points], Points]:
    def canon(args: Points) -> Points:
        if len(args) != 4:
            raise FactError(f"{kind} needs 4 points, got {len(args)}")
        first, second = _pair(args[0], args[1]), _pair(args[2], args[3])
        if first[0] == first[1] or second[0] == second[1]:
            raise FactError(f"{kind}: a pair repeats a point: {' '.join(args)}")
        return first + second if first <= second else second + first

    return canon


def _four_pairs(kind: str) -> Callable[[Points], Points]:
    """eqangle / eqratio `p1 p2 p3 p4` (pairs) mean x2 - x1 = x4 - x3: eight equivalent orders."""

    def canon(args: Points) -> Points:
        if len(args) != 8:
            raise FactError(f"{kind} needs 8 points, got {len(args)}")
        pairs = [_pair(args[i], args[i + 1]) for i in range(0, 8, 2)]
        if any(a == b for a, b in pairs):
            raise FactError(f"{kind}: a pair repeats a point: {' '.join(args)}")
        p1, p2, p3, p4 = pairs
        forms = (
            (p1, p2, p3, p4),
            (p1, p3, p2, p4),
            (p4, p2, p3, p1),
            (p4, p3, p2, p1),
            (p2, p1, p4, p3),
            (p2, p4, p1, p3),
            (p3, p1, p4, p2),
            (p3, p4, p1, p2),
        )
        best = min(forms)
        return best[0] + best[1] + best[2] + best[3]

    return canon


_CANON: dict[str, Callable[[Points], Points]] = {
    "coll": _set_form("coll", 3),
    "cyclic": _set_form("cyclic", 4),
    "para": _two_pairs("para"),
    "perp": _two_pairs("perp"),
    "cong": _two_pairs("cong"),
    "eqangle": _four_pairs("eqangle"),
    "eqratio": _four_pairs("eqratio"),
    "midp": _from_spec("midp", slice(0, 3)),
    "circle": _from_spec("circle", slice(0, 4)),
    "simtri": _from_spec("simtri", slice(0, 3), slice(3, 6)),
    "simtri2": _from_spec("simtri2", slice(0, 3), slice(3, 6)),
    "contri": _from_spec("contri", slice(0, 3), slice(3, 6)),
    "contri2": _from_spec("contri2", slice(0, 3), slice(3, 6)),
}

_PLAIN: dict[str, type[Coll | Cyclic | Para | Perp | Cong | EqAngle | EqRatio | Midp | Circle]
             | type[SimTri | SimTri2 | ConTri | ConTri2]] = {
    "coll": Coll,
    "cyclic": Cyclic,
    "para": Para,
    "perp": Perp,
    "cong": Cong,
    "eqangle": EqAngle,
    "eqratio": EqRatio,
    "midp": Midp,
    "circle": Circle,
    "simtri": SimTri,
    "simtri2": SimTri2,
    "contri": ConTri,
    "contri2": ConTri2,
}

FACT_KINDS: frozenset[str] = names(fact=True)  # every kind has a record: `_PLAIN` or a valued one


def make_fact(kind: str, args: Sequence[str], value: Fraction | None = None) -> Fact:
    """The canonical fact `kind args [value]`; raises `FactError` if it is malformed."""
    kind = ALIASES.get(kind, kind)
    points = tuple(args)
    if kind == "aconst":
        if value is None:
            raise FactError("aconst needs an angle value")
        first, second = _two_pairs_ordered(kind, points)
        angle = Fraction(value) % 1
        if second < first:
            first, second, angle = second, first, (-angle) % 1
        return AConst(first + second, angle)
    if kind == "rconst":
        if value is None or value <= 0:
            raise FactError("rconst needs a positive ratio")
        first, second = _two_pairs_ordered(kind, points)
        ratio = Fraction(value)
        if second < first:
            first, second, ratio = second, first, 1 / ratio
        return RConst(first + second, ratio)
    if kind == "r2const":
        if value is None or value <= 0:
            raise FactError("r2const needs a positive ratio")
        first, second = _two_pairs_ordered(kind, points)
        ratio = Fraction(value)
        if second < first:
            first, second, ratio = second, first, 1 / ratio
        return R2Const(first + second, ratio)
    if kind == "aequation":
        if value is None:
            raise FactError("aequation needs an angle value")
        return AEquation(_angle_groups(points), Fraction(value) % 1)
    if kind == "lequation":
        if value is None or value.denominator != 1 or not 0 <= value <= len(points) // 4:
            raise FactError("lequation needs the number of its left-hand groups")
        return _product_sides(points, int(value))
    if kind in ("lconst", "l2const"):
        if value is None or value <= 0:
            raise FactError(f"{kind} needs a positive length")
        if len(points) != 2 or points[0] == points[1]:
            raise FactError(f"{kind} needs 2 distinct points, got {' '.join(points)}")
        pair = _pair(points[0], points[1])
        return (LConst if kind == "lconst" else L2Const)(pair, Fraction(value))
    if value is not None:
        raise FactError(f"{kind} takes no numeric value")
    try:
        canon = _CANON[kind]
    except KeyError:
        raise FactError(f"unknown fact kind {kind!r}") from None
    return _PLAIN[kind](canon(points))


def _angle_groups(points: Points) -> Points:
    """aequation groups `a b c d` (angle from line ab to line cd) in canonical order: each line's pair
    sorted, opposite groups cancelled, zero angles (one line twice) dropped, groups sorted."""
    if not points or len(points) % 4:
        raise FactError(f"aequation needs groups of 4 points, got {' '.join(points)}")
    groups: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for i in range(0, len(points), 4):
        first, second = _two_pairs_ordered("aequation", points[i : i + 4])
        if first == second:
            continue
        if (second, first) in groups:
            groups.remove((second, first))
        else:
            groups.append((first, second))
    if not groups:
        raise FactError(f"aequation {' '.join(points)} has no angle left: it states a constant")
    return tuple(p for first, second in sorted(groups) for p in (*first, *second))


def _product_sides(points: Points, left: int) -> LEquation:
    """lequation groups in canonical order: each product's segments sorted, products common to both sides
    cancelled, each side sorted, and the side that sorts first written first."""
    if not points or len(points) % 4:
        raise FactError(f"lequation needs groups of 4 points, got {' '.join(points)}")
    groups = []
    for i in range(0, len(points), 4):
        first, second = _two_pairs_ordered("lequation", points[i : i + 4])
        groups.append((first, second) if first <= second else (second, first))
    lhs, rhs = groups[:left], groups[left:]
    for group in list(lhs):
        if group in rhs:
            lhs.remove(group)
            rhs.remove(group)
    if not lhs or not rhs:
        raise FactError(f"lequation {' '.join(points)}: one side is empty after cancelling")
    one, other = sorted(lhs), sorted(rhs)
    if other < one:
        one, other = other, one
    flat = tuple(p for first, second in (*one, *other) for p in (*first, *second))
    return LEquation(flat, Fraction(len(one)))


def _two_pairs_ordered(kind: str, points: Points) -> tuple[tuple[str, str], tuple[str, str]]:
    if len(points) != 4:
        raise FactError(f"{kind} needs 4 points, got {len(points)}")
    first, second = _pair(points[0], points[1]), _pair(points[2], points[3])
    if first[0] == first[1] or second[0] == second[1]:
        raise FactError(f"{kind}: a pair repeats a point: {' '.join(points)}")
    return first, second


def _groups(args: Points) -> list[Points]:
    return [args[i : i + 4] for i in range(0, len(args), 4)]


def _group_counts(args: Points) -> dict[Points, int]:
    """Groups of four points with their multiplicities, in order of first appearance."""
    counts: dict[Points, int] = {}
    for group in _groups(args):
        counts[group] = counts.get(group, 0) + 1
    return counts


def fact_text(fact: Fact) -> str:
    """The fact in the DSL (`eqangle a b c d e f g h`, `aconst a b c d 1pi/3`)."""
    match fact:
        case AConst(args, value):
            return " ".join((fact.kind, *args, format_angle(value)))
        case LEquation(args, value):  # as a goal writes it: `2/1 a b * a b -1/1 c d * c d 0`
            counts = _group_counts(args)
            left = set(_groups(args)[: value.numerator])
            terms = [f"{n if g in left else -n}/1 {g[0]} {g[1]} * {g[2]} {g[3]}" for g, n in counts.items()]
            return " ".join(("lequation", *terms, "0"))
        case AEquation(args, value):  # as a goal writes it: `2/1 a b c d 1/1 e f g h 1pi/3`
            terms = [f"{n}/1 {' '.join(g)}" for g, n in _group_counts(args).items()]
            return " ".join(("aequation", *terms, format_angle(value)))
        case RConst(args, value) | R2Const(args, value) | LConst(args, value) | L2Const(args, value):
            return " ".join((fact.kind, *args, format_ratio(value)))
        case _:
            return " ".join((fact.kind, *fact.args))


def fact_points(fact: Fact) -> frozenset[str]:
    return frozenset(fact.args)
