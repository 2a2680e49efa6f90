"""The checker's own reading of facts: one table entry per predicate kind.

An entry gives the number of points, the kind of constant (angle in units of pi, ratio, length), the
identity key (two statements of one fact, e.g. `para a b c d` and `para d c b a`, get equal keys; the
key is built from what the fact means, never from the engine's canonical order) and the residuals that
vanish when the fact holds.  A new fact kind is one entry of `KINDS`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol

from tonggeo.proof.check import numeric
from tonggeo.proof.check.values import BadConstant, angle, number, ratio

Pair = tuple[str, str]
Key = Hashable
CheckedKind = Literal[
    "coll", "cyclic", "para", "perp", "cong", "eqangle", "eqratio", "aconst", "aequation", "lequation",
    "rconst", "r2const", "lconst", "l2const", "midp", "circle", "simtri", "simtri2", "contri", "contri2",
]
"""The fact kinds the checker reads (its own list, the keys of `KINDS`: it never imports the engine's),
typed so that mypy checks every comparison with a statement's kind (`strict_equality`)."""


class Degenerate(ValueError):
    """A statement that is not a well-formed fact (wrong arity, a repeated point where one is not
    allowed, an unknown kind)."""


@dataclass(frozen=True, slots=True)
class Statement:
    """A fact as the checker reads it: kind, points, and the constant of valued kinds."""

    kind: CheckedKind
    points: tuple[str, ...]
    value: Fraction | None = None

    def text(self) -> str:
        return " ".join((self.kind, *self.points, *([] if self.value is None else [str(self.value)])))


class Record(Protocol):
    """A proof's fact record as the checker reads it (`value` too, for valued kinds)."""

    @property
    def kind(self) -> str: ...

    @property
    def args(self) -> tuple[str, ...]: ...


def _pair(a: str, b: str) -> Pair:
    if a == b:
        raise Degenerate(f"the pair {a} {b} repeats a point")
    return (a, b) if a < b else (b, a)


def _distinct(points: Sequence[str]) -> None:
    if len(set(points)) != len(points):
        raise Degenerate(f"repeated point in {' '.join(points)}")


def _set_key(least: int) -> Callable[[Statement], Key]:
    def key(s: Statement) -> Key:
        found = frozenset(s.points)
        if len(found) < least:
            raise Degenerate(f"{s.kind} needs {least} distinct points")
        return found

    return key


def _two_lines(s: Statement) -> Key:
    return frozenset((_pair(*s.points[0:2]), _pair(*s.points[2:4])))


def _linear(s: Statement) -> Key:
    """eqangle / eqratio p1 p2 p3 p4 (pairs) is x2 - x1 - x4 + x3 = 0: the form up to sign is the fact."""
    p = [_pair(*s.points[i : i + 2]) for i in range(0, 8, 2)]
    form: Counter[Pair] = Counter()
    for pair, c in zip(p, (-1, 1, 1, -1), strict=True):
        form[pair] += c
    plus = tuple(sorted((k, c) for k, c in form.items() if c))
    minus = tuple(sorted((k, -c) for k, c in form.items() if c))
    return min(plus, minus)


def _directed(modulus: bool) -> Callable[[Statement], Key]:
    """aconst (angle from p1 to p2 is v mod 1) and rconst (|p1| / |p2| = v): read both ways."""

    def key(s: Statement) -> Key:
        first, second = _pair(*s.points[0:2]), _pair(*s.points[2:4])
        value = s.value
        if value is None:
            raise Degenerate(f"{s.kind} needs a constant")
        if modulus:
            return min((first, second, value % 1), (second, first, (-value) % 1))
        if value <= 0:
            raise Degenerate("a ratio must be positive")
        return min((first, second, value), (second, first, 1 / value))

    return key


def _centred(s: Statement) -> Key:
    _distinct(s.points)
    return (s.points[0], frozenset(s.points[1:]))


def _triangles(s: Statement) -> Key:
    first, second = s.points[:3], s.points[3:6]
    _distinct(first)
    _distinct(second)
    there = tuple(sorted(zip(first, second, strict=True)))
    back = tuple(sorted(zip(second, first, strict=True)))
    return min(there, back)


def _length(s: Statement) -> Key:
    if s.value is None or s.value <= 0:
        raise Degenerate(f"{s.kind} needs a positive constant")
    return (_pair(*s.points[0:2]), s.value)


def _angle_sum(s: Statement) -> Key:
    """aequation groups a b c d (angle from line ab to line cd, coefficient 1): the sum as a form in the
    line directions, with its constant; a form and its negation state one fact."""
    if len(s.points) % 4 or s.value is None:
        raise Degenerate("aequation needs groups of four points and a constant")
    form: Counter[Pair] = Counter()
    for i in range(0, len(s.points), 4):
        form[_pair(*s.points[i + 2 : i + 4])] += 1
        form[_pair(*s.points[i : i + 2])] -= 1
    plus = (tuple(sorted((k, c) for k, c in form.items() if c)), s.value % 1)
    minus = (tuple(sorted((k, -c) for k, c in form.items() if c)), (-s.value) % 1)
    return min(plus, minus)


def _product_sum(s: Statement) -> Key:
    """lequation groups a b c d (the product |ab|.|cd|, coefficient 1), the first `value` of them on the
    left: the form left - right in the products, up to sign."""
    if len(s.points) % 4 or s.value is None or s.value.denominator != 1:
        raise Degenerate("lequation needs groups of four points and the size of its left side")
    form: Counter[tuple[Pair, Pair]] = Counter()
    for i in range(0, len(s.points), 4):
        first, second = _pair(*s.points[i : i + 2]), _pair(*s.points[i + 2 : i + 4])
        form[(first, second) if first <= second else (second, first)] += 1 if i // 4 < s.value else -1
    plus = tuple(sorted((k, c) for k, c in form.items() if c))
    minus = tuple(sorted((k, -c) for k, c in form.items() if c))
    if not plus:
        raise Degenerate("lequation states nothing")
    return min(plus, minus)


@dataclass(frozen=True, slots=True)
class Kind:
    """One predicate kind: `points` (exact) or at least `least` points; `constant` is '' (none),
    'angle', 'ratio' or 'length'; `key` identifies a fact; `residuals` vanish where it holds."""

    points: int | None
    least: int
    constant: str
    key: Callable[[Statement], Key]
    residuals: numeric.Residuals
    nondegenerate: str = ""
    """A side condition its first points must also satisfy to hold (cyclic: not collinear)."""


KINDS: Mapping[CheckedKind, Kind] = {
    "coll": Kind(None, 3, "", _set_key(3), numeric.coll),
    "cyclic": Kind(None, 4, "", _set_key(4), numeric.cyclic, "ncoll"),
    "para": Kind(4, 4, "", _two_lines, numeric.para),
    "perp": Kind(4, 4, "", _two_lines, numeric.perp),
    "cong": Kind(4, 4, "", _two_lines, numeric.cong),
    "eqangle": Kind(8, 8, "", _linear, numeric.eqangle),
    "eqratio": Kind(8, 8, "", _linear, numeric.eqratio),
    "aconst": Kind(4, 4, "angle", _directed(True), numeric.aconst),
    "aequation": Kind(None, 4, "angle", _angle_sum, numeric.aequation),
    "lequation": Kind(None, 4, "length", _product_sum, numeric.lequation),
    "rconst": Kind(4, 4, "ratio", _directed(False), numeric.rconst),
    "r2const": Kind(4, 4, "ratio", _directed(False), numeric.r2const),
    "lconst": Kind(2, 2, "length", _length, numeric.lconst),
    "l2const": Kind(2, 2, "length", _length, numeric.l2const),
    "midp": Kind(3, 3, "", _centred, numeric.midp),
    "circle": Kind(None, 3, "", _centred, numeric.circle),
    "simtri": Kind(6, 6, "", _triangles, numeric.simtri),
    "simtri2": Kind(6, 6, "", _triangles, numeric.simtri2),
    "contri": Kind(6, 6, "", _triangles, numeric.contri),
    "contri2": Kind(6, 6, "", _triangles, numeric.contri2),
}
ALIASES: Mapping[str, str] = {"eqangle6": "eqangle", "eqratio6": "eqratio", "simtrir": "simtri2",
                              "contrir": "contri2"}
REWRITES: Mapping[str, tuple[str, int, Callable[[Sequence[str]], tuple[str, ...]]]] = {
    "s_angle": ("aconst", 3, lambda p: (p[1], p[0], p[1], p[2])),
}
"""Predicates that state a fact of another kind: `s_angle a b x y` is `aconst b a b x y`."""


_NAMES: Mapping[str, CheckedKind] = {name: name for name in KINDS}


def checked_kind(name: str) -> CheckedKind:
    """The checked kind a predicate name (or an alias of one) states; `Degenerate` if none."""
    found = _NAMES.get(ALIASES.get(name, name))
    if found is None:
        raise Degenerate(f"unknown fact kind {name!r}")
    return found


def kind_of(name: str) -> Kind:
    return KINDS[checked_kind(name)]


def _constant(kind: Kind, name: str, rest: Sequence[str]) -> Fraction:
    if not rest:
        raise Degenerate(f"{name} needs a constant")
    try:
        if kind.constant == "ratio":
            return ratio(rest)
        if len(rest) == 1:
            return angle(rest[0]) if kind.constant == "angle" else number(rest[0])
    except BadConstant as exc:
        raise Degenerate(str(exc)) from None
    raise Degenerate(f"{name}: bad constant {' '.join(rest)!r}")


def statement(name: str, tokens: Sequence[str], value: Fraction | None = None) -> Statement:
    """A statement from a predicate's tokens (points, then the constant's tokens unless `value` is given)."""
    name = ALIASES.get(name, name)
    if name in REWRITES:
        name, size, arrange = REWRITES[name]
        if len(tokens) < size:
            raise Degenerate(f"{name} needs {size} points")
        tokens = (*arrange(tokens), *tokens[size:])
    checked = checked_kind(name)
    kind = KINDS[checked]
    count = len(tokens) - bool(kind.constant and value is None) if kind.points is None else kind.points
    points, rest = tuple(tokens[:count]), tuple(tokens[count:])
    if len(points) < kind.least:
        raise Degenerate(f"{name} needs {kind.least} points, got {len(points)}")
    if value is None and kind.constant:
        value = _constant(kind, name, rest)
    elif rest:
        raise Degenerate(f"{name}: unexpected tokens {' '.join(rest)!r}")
    return Statement(checked, points, value)


def of_record(fact: Record) -> Statement:
    """A proof's fact record as a statement."""
    value = getattr(fact, "value", None)
    return statement(fact.kind, tuple(fact.args), None if value is None else Fraction(value))


def key(s: Statement) -> Key:
    """The fact's identity (raises Degenerate)."""
    return (s.kind, kind_of(s.kind).key(s))


def residuals(s: Statement, coords: Mapping[str, complex]) -> list[float]:
    """Residuals at `coords` (KeyError for an unknown point)."""
    pts = [coords[p] for p in s.points]
    value = None if s.value is None else float(s.value)
    return kind_of(s.kind).residuals(pts, value)


def holds(s: Statement, coords: Mapping[str, complex], tol: float) -> bool:
    """Whether the fact holds at `coords` to `tol` (False for unknown points or a degenerate statement)."""
    try:
        key(s)
        kind = kind_of(s.kind)
        if kind.nondegenerate and not condition_holds(kind.nondegenerate, s.points[:3], coords, tol):
            return False
        return all(abs(r) <= tol for r in residuals(s, coords))
    except (Degenerate, KeyError, ZeroDivisionError):
        return False


def condition_holds(name: str, points: Sequence[str], coords: Mapping[str, complex], tol: float) -> bool:
    """A side condition (ncoll, sameclock...) at `coords`; False if it is malformed or unknown."""
    found = numeric.CONDITIONS.get(name)
    if found is None:
        return False
    size, decide = found
    if len(points) < size or (size != 3 and len(points) != size):
        return False
    try:
        return decide([coords[p] for p in points], tol)
    except KeyError:
        return False
