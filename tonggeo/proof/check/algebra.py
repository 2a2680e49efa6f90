"""Algebraic steps: the stated combination of the cited facts' linear equations must be the fact's own
equation (directions of lines mod pi, log-lengths with Menelaus, squared lengths with their selectors)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from fractions import Fraction

from sympy import factorint

from tonggeo.facts.justification import AlgebraStep
from tonggeo.proof.check import facts as F
from tonggeo.proof.check.context import Context, merge
from tonggeo.proof.check.lengths import own_equation, selected_equation
from tonggeo.proof.check.numeric import side


def _lines(why: AlgebraStep, facts: Mapping[int, F.Statement]) -> list[set[str]] | str:
    sets = []
    for number in why.structure:
        if facts[number].kind != "coll":
            return f"structure step {number} is not a coll fact"
        sets.append(set(facts[number].points))
    return merge(sets, 2)


def check_angle(
    ctx: Context, fact: F.Statement, why: AlgebraStep, facts: Mapping[int, F.Statement]
) -> str | None:
    groups = _lines(why, facts)
    if isinstance(groups, str):
        return groups

    def line(a: str, b: str) -> Hashable:
        for k, g in enumerate(groups):
            if a in g and b in g:
                return k
        return (a, b) if a < b else (b, a)

    target = angle_equation(fact, line)
    if target is None:
        return "not an angle fact"
    k = why.multiplier
    if k < 1:
        return "multiplier must be positive"
    total: dict[Hashable, Fraction] = {}
    const = Fraction(0)
    for number, coef in why.terms:
        eq = angle_equation(facts[number], line)
        if eq is None:
            return f"step {number} is not an angle fact"
        scaled = coef * k
        if scaled.denominator != 1:
            return f"coefficient {coef} times multiplier {k} is not an integer"
        for var, c in eq[0].items():
            total[var] = total.get(var, Fraction(0)) + scaled * c
        const += scaled * eq[1]
    lhs = {v: c for v, c in total.items() if c}
    if lhs != {v: c * k for v, c in target[0].items() if c}:
        return "the combination does not give the fact's angle equation"
    if (const - k * target[1]) % 1 != 0:
        return "the constants do not add up (mod pi)"
    if k > 1 and 1 / k <= 4 * ctx.angle_tol:
        return f"multiplier {k} too large to pick a solution from the diagram"
    return None


def check_squared(
    ctx: Context, fact: F.Statement, why: AlgebraStep, facts: Mapping[int, F.Statement]
) -> str | None:
    target = own_equation(fact)
    if target is None:
        return "not a perp/cong/rconst fact"
    selectors = why.selectors or ("",) * len(why.terms)
    if len(selectors) != len(why.terms):
        return "selectors do not match the terms"
    groups = _lines(why, facts)
    if isinstance(groups, str):
        return groups

    def on_line(points: Sequence[str], through: Sequence[str]) -> bool:
        if set(points) <= set(through):
            return True
        return any(set(points) | set(through) <= g for g in groups)

    def where(p: str, x: str, y: str) -> int:
        return side(ctx.coords[p], ctx.coords[x], ctx.coords[y], ctx.tol)

    total: dict[object, Fraction] = {}
    for (number, coef), selector in zip(why.terms, selectors, strict=True):
        try:
            eq = selected_equation(facts[number], selector, on_line, where)
        except KeyError:
            return f"step {number}: a point is not in the diagram"
        if isinstance(eq, str):
            return f"step {number} ({selector or 'own equation'}): {eq}"
        for var, c in eq.items():
            total[var] = total.get(var, Fraction(0)) + coef * c
    lhs = {v: c for v, c in total.items() if c}
    # both sides are homogeneous with right side 0, so the target may come out scaled
    if not target:
        return None if not lhs else "the combination is not zero"
    first = next(iter(target))
    scale = lhs.get(first, Fraction(0)) / target[first]
    if scale == 0 or lhs != {v: c * scale for v, c in target.items()}:
        return "the combination does not give the fact's squared-length equation"
    return None


def _menelaus(ctx: Context, selector: str, why: AlgebraStep, facts: Mapping[int, F.Statement]
              ) -> tuple[dict[tuple[str, str], int], Fraction] | str:
    """Menelaus: triangle ABC, X on BC, Y on CA, Z on AB with X, Y, Z on one line (all by the step's
    coll structure): BX.CY.AZ = XC.YA.ZB."""
    words = selector.split()
    if len(words) != 7 or words[0] != "menelaus":
        return "unknown selector"
    a, b, c, x, y, z = words[1:]
    if len(set(words[1:])) != 6:
        return "the six points are not distinct"
    groups = _lines(why, facts)
    if isinstance(groups, str):
        return groups
    for triple in ((b, c, x), (c, a, y), (a, b, z), (x, y, z)):
        if not any(set(triple) <= g for g in groups):
            return f"{' '.join(triple)} are not known collinear"
    if not F.condition_holds("ncoll", (a, b, c), ctx.coords, ctx.tol):
        return "the triangle is degenerate in the diagram"
    coeffs: dict[tuple[str, str], int] = {}
    for p, q, s in ((b, x, 1), (x, c, -1), (c, y, 1), (y, a, -1), (a, z, 1), (z, b, -1)):
        k = (p, q) if p < q else (q, p)
        coeffs[k] = coeffs.get(k, 0) + s
    return {k: v for k, v in coeffs.items() if v}, Fraction(1)


def check_ratio(
    ctx: Context, fact: F.Statement, why: AlgebraStep, facts: Mapping[int, F.Statement]
) -> str | None:
    target = ratio_equation(fact)
    if target is None:
        return "not a ratio fact"
    total: dict[tuple[str, str], Fraction] = {}
    const: dict[int, Fraction] = {}
    selectors = why.selectors or ("",) * len(why.terms)
    if len(selectors) != len(why.terms):
        return "selectors do not match the terms"
    for (number, coef), selector in zip(why.terms, selectors, strict=True):
        eq: tuple[dict[tuple[str, str], int], Fraction] | None
        if selector:
            found = _menelaus(ctx, selector, why, facts)
            if isinstance(found, str):
                return f"step {number} ({selector}): {found}"
            eq = found
        else:
            eq = ratio_equation(facts[number])
        if eq is None:
            return f"step {number} is not a ratio fact"
        for var, c in eq[0].items():
            total[var] = total.get(var, Fraction(0)) + coef * c
        for p, e in prime_exponents(eq[1]).items():
            const[p] = const.get(p, Fraction(0)) + coef * e
    if {v: c for v, c in total.items() if c} != {v: Fraction(c) for v, c in target[0].items() if c}:
        return "the combination does not give the fact's ratio equation"
    if {p: e for p, e in const.items() if e} != prime_exponents(target[1]):
        return "the constants do not multiply out"
    return None


def angle_equation(fact: F.Statement, line: Callable[[str, str], Hashable]
                   ) -> tuple[dict[Hashable, int], Fraction] | None:
    """Directions as variables: the angle from line p to line q is x_q - x_p (units of pi, mod 1)."""
    p = fact.points
    coeffs: dict[Hashable, int] = {}

    def put(a: str, b: str, c: int) -> None:
        var = line(a, b)
        coeffs[var] = coeffs.get(var, 0) + c

    if fact.kind in ("para", "perp"):
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        return coeffs, Fraction(1, 2) if fact.kind == "perp" else Fraction(0)
    if fact.kind == "eqangle":
        put(p[2], p[3], 1)
        put(p[0], p[1], -1)
        put(p[6], p[7], -1)
        put(p[4], p[5], 1)
        return coeffs, Fraction(0)
    if fact.kind == "aconst" and fact.value is not None:
        put(p[2], p[3], 1)
        put(p[0], p[1], -1)
        return coeffs, fact.value
    if fact.kind == "aequation" and fact.value is not None:  # groups a b c d, each the angle ab -> cd
        for i in range(0, len(p) - 3, 4):
            put(p[i + 2], p[i + 3], 1)
            put(p[i], p[i + 1], -1)
        return coeffs, fact.value
    return None


def ratio_equation(fact: F.Statement) -> tuple[dict[tuple[str, str], int], Fraction] | None:
    """Log-lengths as variables: `sum(c * log|s|) = log(const)`."""
    p = fact.points
    coeffs: dict[tuple[str, str], int] = {}

    def put(a: str, b: str, c: int) -> None:
        s = (a, b) if a < b else (b, a)
        coeffs[s] = coeffs.get(s, 0) + c

    if fact.kind == "cong":
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        return coeffs, Fraction(1)
    if fact.kind == "eqratio":
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        put(p[4], p[5], -1)
        put(p[6], p[7], 1)
        return coeffs, Fraction(1)
    if fact.kind == "rconst" and fact.value is not None:
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        return coeffs, fact.value
    if fact.kind == "r2const" and fact.value is not None:  # 2 log|ab| - 2 log|cd| = log r
        put(p[0], p[1], 2)
        put(p[2], p[3], -2)
        return coeffs, fact.value
    if fact.kind in ("lconst", "l2const") and fact.value is not None:  # log|ab| = log L, or 2 log|ab|
        put(p[0], p[1], 1 if fact.kind == "lconst" else 2)
        return coeffs, fact.value
    return None


def prime_exponents(value: Fraction) -> dict[int, Fraction]:
    out: dict[int, Fraction] = {}
    for p, e in factorint(value.numerator).items():
        out[p] = out.get(p, Fraction(0)) + e
    for p, e in factorint(value.denominator).items():
        out[p] = out.get(p, Fraction(0)) - e
    return {p: e for p, e in out.items() if e}
