"""Records and helpers shared by the triangular-set builder and its locus parametrisations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from solvers.algebraic.polys import AlgebraUnsupported, Deadline, Poly, normalize

X, Y = 0, 1
RADICAL_SLOTS = (2, 3, 4, 5)
FIRST_POINT_SLOT = 6
Vec = tuple[Poly, Poly]
RootMap = Callable[[Vec], tuple[Poly, Poly] | None]


class InconsistentDiagram(Exception):
    """The numeric diagram does not satisfy a hypothesis as the prover reads it."""


@dataclass(frozen=True, slots=True)
class Equation:
    """A hypothesis polynomial in the placeholders (X, Y) of the point being placed."""

    poly: Poly
    source: str
    circle: tuple[str, str, str] | None = None
    """(centre, p, q) when the equation says the point is on the circle about centre of radius |pq|."""


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """A predicate a construction asserts about its new points, bound to the problem's names."""

    name: str
    args: tuple[str, ...]

    def to_text(self) -> str:
        return " ".join((self.name, *self.args))


@dataclass(frozen=True, slots=True)
class Root:
    """An existing point known to satisfy the new point's equations, as a value var = num / den."""

    point: str
    num: Poly
    den: Poly


def degree_xy(poly: Poly) -> int:
    return max((m[X] + m[Y] for m in poly.keys()), default=0)


def coeff_xy(poly: Poly, exponents: tuple[int, int]) -> Poly:
    """The coefficient of X^i Y^j in `poly` (a polynomial in the other generators)."""
    ring = poly.ring
    terms = {}
    for monom, coeff in poly.items():
        if (monom[X], monom[Y]) == exponents:
            rest = list(monom)
            rest[X] = rest[Y] = 0
            terms[tuple(rest)] = coeff
    return ring.from_dict(terms) if terms else ring.zero


def eliminate(first: Poly, second: Poly, index: int, deadline: Deadline, max_terms: int) -> tuple[Poly, Poly]:
    """(a polynomial free of generator `index`, the last one still containing it): a pseudo-remainder
    sequence, i.e. a multiple of the resultant and the sub-resultant the variable is solved from."""
    high, low = (first, second) if first.degree(index) >= second.degree(index) else (second, first)
    gen = first.ring.gens[index]
    while low.degree(index) >= 1:
        deadline.check("elimination")
        high, low = low, normalize(high.prem(low, gen))
        if len(low) > max_terms:
            raise AlgebraUnsupported(f"elimination grew past {max_terms} terms")
    return low, high
