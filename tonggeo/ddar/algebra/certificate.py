"""Equations, certificates and their independent replay.

A certificate says: the listed facts' equations, combined with the listed rational coefficients, give
exactly the claimed left side, and their constants combine to the claimed constant. For angles (mod pi)
combining is only sound with integer coefficients, so a certificate with coefficient denominators
proves `k * equation` for their lcm `k` (its `multiplier`): the constant is then known mod 1/k, and the
branch `(base + j)/k` is the one the diagram shows. `verify_certificate` checks exactly that, using the
numeric values it is given for the branch (and rejects a `k > 1` certificate without them).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from math import lcm

from tonggeo.config import DEFAULT_ALGEBRA, AlgebraTablesConfig
from tonggeo.ddar.algebra.constants import PowerProduct, Rational

Const = Fraction | PowerProduct
"""A right-hand side: a Fraction (angles in units of pi, lengths) or a PowerProduct (ratios)."""


class TableKind(Enum):
    ANGLE = "angle"
    RATIO = "ratio"
    DISTANCE = "distance"


@dataclass(frozen=True, slots=True)
class Equation:
    """`sum(c * x_var) = const` with the variables sorted and no zero coefficient.

    Angles: x are line directions in units of pi and the equation holds mod 1. Ratios: x are
    log-lengths and `const` is the product the lengths' powers equal. Distances: x are lengths.
    """

    kind: TableKind
    coeffs: tuple[tuple[int, int], ...]
    const: Const

    @staticmethod
    def of(kind: TableKind, coeffs: Mapping[int, int], const: Rational | Const) -> Equation:
        items = tuple(sorted((v, int(c)) for v, c in coeffs.items() if c))
        return Equation(kind, items, normalize_const(kind, const))

    def __str__(self) -> str:
        return f"{format_lhs(self.kind, self.coeffs)} = {format_const(self.kind, self.const)}"


def normalize_const(kind: TableKind, const: Rational | Const) -> Const:
    if kind is TableKind.RATIO:
        return PowerProduct.of(const)
    if isinstance(const, PowerProduct):
        raise TypeError(f"a {kind.value} constant must be rational, got {const}")
    value = Fraction(const)
    return value % 1 if kind is TableKind.ANGLE else value


def format_lhs(kind: TableKind, coeffs: tuple[tuple[int, int], ...]) -> str:
    sym = {TableKind.ANGLE: "d", TableKind.RATIO: "log s", TableKind.DISTANCE: "s"}[kind]
    parts = []
    for i, (v, c) in enumerate(coeffs):
        sign = "-" if c < 0 else ("+" if i else "")
        mag = "" if abs(c) == 1 else f"{abs(c)}*"
        parts.append(f"{sign} {mag}{sym}{v}".strip() if i else f"{sign}{mag}{sym}{v}")
    return " ".join(parts) if parts else "0"


def format_const(kind: TableKind, const: Const) -> str:
    if kind is TableKind.ANGLE:
        return f"{const}*pi (mod pi)"
    if kind is TableKind.RATIO:
        return f"log({const})"
    return str(const)


@dataclass(frozen=True, slots=True)
class Certificate:
    """`equation` follows from `sum(coef * fact)` over `terms`; see the module docstring for `multiplier`.

    `equations[i]` is the equation of `terms[i]`'s fact that is used (a fact may give several, e.g. a coll
    record tying three lines; then its id appears in several terms).
    """

    kind: TableKind
    terms: tuple[tuple[int, Fraction], ...]
    equation: Equation
    multiplier: int = 1
    equations: tuple[Equation, ...] = ()

    @property
    def facts(self) -> tuple[int, ...]:
        return tuple(f for f, _ in self.terms)

    def __str__(self) -> str:
        combo = " ".join(f"{'+' if c > 0 else '-'} {abs(c)}*[fact {f}]" for f, c in self.terms)
        text = f"{self.kind.value}: {combo.lstrip('+ ')} => {self.equation}"
        if self.multiplier > 1:
            text += (
                f"  (proves {self.multiplier} * lhs exactly; the constant is known mod 1/{self.multiplier}"
                " and the branch is the one the diagram shows)"
            )
        return text


def verify_certificate(
    cert: Certificate,
    facts: Mapping[int, Equation | Collection[Equation]],
    values: Mapping[int, float] | None = None,
    config: AlgebraTablesConfig = DEFAULT_ALGEBRA,
) -> bool:
    """Replay `cert` from the stated facts' equations alone; True iff it proves its equation.

    `facts` gives each fact id's equation, or all the equations the fact stands for. `values` are the
    numeric variable values (angles in radians as given to `AngleTable.add_variable`), needed only to
    confirm the branch of an angle certificate with `multiplier > 1`.
    """
    kind = cert.kind
    if cert.equation.kind is not kind or cert.multiplier < 1:
        return False
    if cert.equations and len(cert.equations) != len(cert.terms):
        return False
    lhs: dict[int, Fraction] = {}
    terms: list[tuple[Equation, Fraction]] = []
    for i, (fact, coef) in enumerate(cert.terms):
        eq = _fact_equation(facts.get(fact), cert.equations[i] if cert.equations else None)
        if eq is None or eq.kind is not kind or coef == 0:
            return False
        coef = Fraction(coef)
        terms.append((eq, coef))
        for v, c in eq.coeffs:
            lhs[v] = lhs.get(v, Fraction(0)) + coef * c
    if {v: c for v, c in lhs.items() if c} != dict(cert.equation.coeffs):
        return False
    claimed = cert.equation.const
    if kind is TableKind.ANGLE:
        return _verify_angle(cert, terms, values, config)
    if kind is TableKind.RATIO:
        prod = PowerProduct()
        for eq, coef in terms:
            assert isinstance(eq.const, PowerProduct)
            prod = prod * eq.const**coef
        return prod == claimed
    total = sum((coef * eq.const for eq, coef in terms if isinstance(eq.const, Fraction)), Fraction(0))
    return total == claimed


def _fact_equation(known: Equation | Collection[Equation] | None, used: Equation | None) -> Equation | None:
    """The equation a term uses, if the fact stands for it (the fact's only equation when not stated)."""
    if known is None:
        return None
    if isinstance(known, Equation):
        return known if used is None or used == known else None
    if used is None:
        return next(iter(known)) if len(known) == 1 else None
    return used if used in known else None


def _verify_angle(
    cert: Certificate,
    terms: list[tuple[Equation, Fraction]],
    values: Mapping[int, float] | None,
    config: AlgebraTablesConfig,
) -> bool:
    k = cert.multiplier
    need = 1
    for _, coef in terms:
        need = lcm(need, coef.denominator)
    if k % need:
        return False
    base = Fraction(0)
    for eq, coef in terms:
        assert isinstance(eq.const, Fraction)
        base += int(coef * k) * eq.const
    claimed = cert.equation.const
    assert isinstance(claimed, Fraction)
    if (k * claimed - base) % 1 != 0:
        return False
    if k == 1:
        return True
    if values is None or any(v not in values for v, _ in cert.equation.coeffs):
        return False
    numeric = sum(c * values[v] for v, c in cert.equation.coeffs) / math.pi
    return _circular_distance(numeric, float(claimed)) < config.branch_tol and 1 / k > 4 * config.branch_tol


def _circular_distance(a: float, b: float) -> float:
    """Distance between two reals mod 1."""
    d = (a - b) % 1.0
    return min(d, 1.0 - d)
