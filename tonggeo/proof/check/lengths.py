"""The checker's reading of facts as linear equations in squared lengths and products of lengths.

A variable is an unordered pair of segments: (s, s) is |s|^2, (s, t) is |s|.|t|.  Each fact gives one
equation, or one of several picked by a selector (see `AlgebraStep.selectors`):

* ``""``: perp AB CD is AC^2 + BD^2 - AD^2 - BC^2 = 0 (for any four points this is 2 (B - A).(D - C)),
  cong AB CD is AB^2 - CD^2 = 0, rconst AB CD r is AB^2 - r^2 CD^2 = 0, r2const AB CD r is
  AB^2 - r CD^2 = 0, eqratio AB CD EF GH (as a target) is AB.GH - CD.EF = 0;
* ``"X"``: midp M A B is XA^2 + XB^2 - 2 XM^2 - 2 MA^2 = 0 (the median, Apollonius);
* ``"A B C D"``: perp ab cd at points A, B of line ab and C, D of line cd;
* ``"power P X Y"``: cong O X O Y (X, Y on a circle centred at O) with P on line XY gives
  OP^2 - OX^2 = +PX.PY if P is outside segment XY and -PX.PY if inside (the power of P);
* ``"product"``: eqratio AB CD EF GH is AB.GH - CD.EF = 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from tonggeo.proof.check.facts import Statement

Seg = tuple[str, str]
Var = tuple[Seg, Seg]
Equation = dict[Var, Fraction]


UNIT: Var = (("", "1"), ("", "1"))
"""The square of the unit length (no point is named ""): lconst AB L is AB^2 - L^2 UNIT = 0."""


def seg(a: str, b: str) -> Seg:
    return (a, b) if a < b else (b, a)


def product(s: Seg, t: Seg) -> Var:
    return (s, t) if s <= t else (t, s)


class _Builder:
    def __init__(self) -> None:
        self.out: Equation = {}

    def square(self, a: str, b: str, c: Fraction | int) -> None:
        if a != b:
            self.times(seg(a, b), seg(a, b), c)

    def times(self, s: Seg, t: Seg, c: Fraction | int) -> None:
        if s[0] != s[1] and t[0] != t[1]:
            key = product(s, t)
            self.out[key] = self.out.get(key, Fraction(0)) + c

    def done(self) -> Equation:
        return {k: v for k, v in self.out.items() if v}


def own_equation(fact: Statement, order: Sequence[str] = ()) -> Equation | None:
    """perp / cong / rconst as an equation; `order` writes a perp at other points (sign depends on it)."""
    p = tuple(order) or fact.points
    eq = _Builder()
    if fact.kind == "perp":
        eq.square(p[0], p[2], 1)
        eq.square(p[1], p[3], 1)
        eq.square(p[0], p[3], -1)
        eq.square(p[1], p[2], -1)
    elif fact.kind == "cong":
        eq.square(p[0], p[1], 1)
        eq.square(p[2], p[3], -1)
    elif fact.kind == "rconst":
        eq.square(p[0], p[1], 1)
        eq.square(p[2], p[3], -((fact.value or 0) ** 2))
    elif fact.kind == "r2const":
        eq.square(p[0], p[1], 1)
        eq.square(p[2], p[3], -(fact.value or 0))
    elif fact.kind in ("lconst", "l2const") and fact.value is not None:
        eq.square(p[0], p[1], 1)
        eq.out[UNIT] = -(fact.value ** 2 if fact.kind == "lconst" else fact.value)
    elif fact.kind == "lequation" and fact.value is not None:  # products |ab|.|cd|, the first `value` left
        for i in range(0, len(p) - 3, 4):
            eq.times(seg(p[i], p[i + 1]), seg(p[i + 2], p[i + 3]), 1 if i // 4 < fact.value else -1)
    elif fact.kind == "eqratio":
        eq.times(seg(p[0], p[1]), seg(p[6], p[7]), 1)
        eq.times(seg(p[2], p[3]), seg(p[4], p[5]), -1)
    else:
        return None
    return eq.done()


def selected_equation(
    fact: Statement,
    selector: str,
    on_line: Callable[[Sequence[str], Sequence[str]], bool],
    side: Callable[[str, str, str], int],
) -> Equation | str:
    """The equation a selector picks from a fact, or a reason why it picks none.

    `on_line(points, line)` says whether the points lie on the line through `line` (by the step's coll
    structure); `side(p, x, y)` is +1 if P lies outside segment XY in the diagram, -1 inside, 0 at an end.
    """
    words = selector.split()
    if not words:
        eq = own_equation(fact)
        return "no squared-length equation" if eq is None else eq
    if words[0] == "power":
        return _power(fact, words[1:], on_line, side)
    if words == ["product"]:
        if fact.kind != "eqratio":
            return "a product relation needs an eqratio"
        a = fact.points
        out = _Builder()
        out.times(seg(a[0], a[1]), seg(a[6], a[7]), 1)
        out.times(seg(a[2], a[3]), seg(a[4], a[5]), -1)
        return out.done()
    if len(words) == 1:
        x = words[0]
        if fact.kind != "midp" or x in fact.points:
            return f"no median relation of {x}"
        m, end1, end2 = fact.points
        out = _Builder()
        out.square(x, end1, 1)
        out.square(x, end2, 1)
        out.square(x, m, -2)
        out.square(m, end1, -2)
        return out.done()
    if len(words) == 4:
        if fact.kind != "perp":
            return "points given for a fact that is not perp"
        first, second, line1, line2 = words[:2], words[2:], fact.points[:2], fact.points[2:]
        straight = on_line(first, line1) and on_line(second, line2)
        crossed = on_line(first, line2) and on_line(second, line1)
        if not (straight or crossed) or words[0] == words[1] or words[2] == words[3]:
            return f"{selector} are not points of its lines"
        eq = own_equation(Statement("perp", tuple(words)), words)
        assert eq is not None
        return eq
    return f"unknown selector {selector!r}"


def _power(
    fact: Statement,
    words: Sequence[str],
    on_line: Callable[[Sequence[str], Sequence[str]], bool],
    side: Callable[[str, str, str], int],
) -> Equation | str:
    if len(words) != 3 or fact.kind != "cong":
        return "the power of a point needs 'power P X Y' on a cong O X O Y"
    p, x, y = words
    a = fact.points
    ends = [set(a[:2]), set(a[2:])]
    common = ends[0] & ends[1]
    if len(common) != 1:
        return "the cong does not share a centre"
    (o,) = common
    if {x, y} != (ends[0] | ends[1]) - {o} or p in (x, y, o) or not on_line((p,), (x, y)):
        return f"{p} is not on the chord {x}{y} of the circle about {o}"
    sign = side(p, x, y)
    if sign == 0:
        return "the point is at an end of the chord"
    out = _Builder()
    out.square(o, p, 1)
    out.square(o, x, -1)
    out.times(seg(p, x), seg(p, y), -sign)
    return out.done()
