"""Which rules the algebraic tables make redundant: those whose conclusion is a linear consequence of
their premises (angles mod pi over line directions, or log-lengths), decided exactly by a small table
over the rule's own point pairs.  Such rules (transitivity of eqangle, perp + perp => para, ...) are
skipped when saturation runs with the tables; a rule like the incentre theorem, whose premises and
conclusion are all eqangle but which is a genuine theorem, is not linear and is kept."""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from tonggeo.ddar.algebra import AngleTable, RatioTable
from tonggeo.facts import parse_angle, parse_ratio
from tonggeo.rules.model import ANGLE_PREDICATES, RATIO_PREDICATES, Literal, Rule


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _equation(lit: Literal, var: dict[tuple[str, str], int]) -> tuple[dict[int, int], Fraction]:
    a = lit.args
    pairs = [_pair(a[i], a[i + 1]) for i in range(0, len(a), 2)]
    for p in pairs:
        var.setdefault(p, len(var))
    signs = {"para": (1, -1), "perp": (1, -1), "cong": (1, -1), "aconst": (-1, 1), "rconst": (1, -1),
             "eqangle": (-1, 1, 1, -1), "eqratio": (1, -1, -1, 1)}[lit.name]
    coeffs: dict[int, int] = {}
    for p, s in zip(pairs, signs, strict=True):
        coeffs[var[p]] = coeffs.get(var[p], 0) + s
    if lit.name == "perp":
        return coeffs, Fraction(1, 2)
    if lit.name in ("cong", "eqratio"):
        return coeffs, Fraction(1)
    if lit.name == "aconst":
        return coeffs, parse_angle(lit.value or "0")
    if lit.name == "rconst":
        return coeffs, parse_ratio(lit.value or "1")
    return coeffs, Fraction(0)


@cache
def algebraic_domain(rule: Rule) -> str | None:
    """'angle' or 'ratio' if the rule's conclusions follow linearly from its premises in that table."""
    names = {lit.name for lit in (*rule.premises, *rule.conclusions)}
    if names <= ANGLE_PREDICATES:
        table: AngleTable | RatioTable = AngleTable()
        domain = "angle"
    elif names <= RATIO_PREDICATES:
        table = RatioTable()
        domain = "ratio"
    else:
        return None
    var: dict[tuple[str, str], int] = {}
    for k, lit in enumerate(rule.premises):
        coeffs, const = _equation(lit, var)
        if any(coeffs.values()):
            table.add(coeffs, const, k)
    for lit in rule.conclusions:
        coeffs, const = _equation(lit, var)
        if any(coeffs.values()) and not table.implied(coeffs, const):
            return None
    return domain
