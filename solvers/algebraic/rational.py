"""Wu's reduction with rational substitution: linear chain links solved as reduced fractions.

A link linear in its variable, c1 w + c0, gives w = -c0 / c1. Pseudo-division by it multiplies by c1
without ever cancelling, so remainders swell. Here every such variable becomes a fraction in lowest
terms (in the parameters and the non-linear variables only), the goal is evaluated on fractional
coordinates with cancellation at each operation, and only the numerator is pseudo-divided by the
remaining (non-linear) links. A zero remainder proves the goal where the links' initials and the
fractions' denominators (products of those initials) do not vanish: the same conditions as plain Wu.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sympy.polys.fields import FracField

from solvers.algebraic.chain import Chain, ChainLink
from solvers.algebraic.polys import Deadline, Poly, coefficients, normalize
from solvers.algebraic.predicates import equations

if TYPE_CHECKING:
    from solvers.algebraic.builder import ChainBuilder

Frac = Any  # sympy FracElement (untyped)


class RationalChain:
    """The builder's chain with its linear variables replaced by fractions."""

    def __init__(self, builder: ChainBuilder, deadline: Deadline) -> None:
        self.builder = builder
        self.deadline = deadline
        ring = builder.ring
        self.field = FracField(ring.symbols, ring.domain, ring.order)
        self.fractions: dict[int, tuple[Poly, Poly]] = {}
        self.order: list[int] = []
        self.algebraic = Chain()
        self.links = 0
        self.version = builder.chain.version
        for link in builder.chain.links:
            self.add(link)
        self._coords: dict[str, tuple[Frac, Frac]] = {}

    def add(self, link: ChainLink) -> None:
        """Take in the next link of the chain: a fraction if it is linear, else an algebraic link."""
        self.deadline.check("rational substitution")
        ring = self.builder.ring
        if link.degree == 1:
            gen = ring.gens[link.var]
            c0 = self.fraction(link.poly.coeff_wrt(gen, 0))
            c1 = self.fraction(link.poly.coeff_wrt(gen, 1))
            if not c1:
                raise ZeroDivisionError(f"the equation of {link.point} degenerates")
            value = -c0 / c1
            self.fractions[link.var] = (value.numer, value.denom)
            self.order.append(link.var)
        else:
            numer = self.fraction(link.poly).numer
            if numer.degree(link.var) < 1:
                raise ZeroDivisionError(f"the equation of {link.point} degenerates")
            self.algebraic.append(ChainLink(link.var, normalize(numer), link.point))
        self.links += 1

    def numerator(self, poly: Poly, max_terms: int) -> Poly:
        """A polynomial in the parameters and non-linear variables vanishing exactly where `poly` does
        (on the chain, away from the conditions): the reduced numerator of its fraction."""
        return self.algebraic.reduce(self.fraction(poly).numer, self.deadline, max_terms)

    def fraction(self, poly: Poly) -> Frac:
        """`poly` with every linear variable replaced by its fraction, in lowest terms."""
        numer, denom = poly, poly.ring.one
        for var in reversed(self.order):
            degree = numer.degree(var)
            if degree < 1:
                continue
            top, bottom = self.fractions[var]
            tops, bottoms = [poly.ring.one], [poly.ring.one]
            for _ in range(degree):
                tops.append(tops[-1] * top)
                bottoms.append(bottoms[-1] * bottom)
            result = poly.ring.zero
            for k, coeff in enumerate(coefficients(numer, var)):
                if coeff:
                    result += coeff * tops[k] * bottoms[degree - k]
            numer, denom = result, denom * bottoms[degree]
            self.deadline.check("rational substitution")
        return self.field((numer, denom))

    # -- CoordinateSource over fractions ----------------------------------------------------------
    def point(self, name: str) -> tuple[Frac, Frac]:
        if name not in self._coords:
            x, y = self.builder.point(name)
            self._coords[name] = (self.fraction(x), self.fraction(y))
        return self._coords[name]

    def sqrt3(self) -> Frac:
        return self.field(self.builder.sqrt3())

    def goal_remainders(self, name: str, args: Sequence[str], max_terms: int) -> list[Poly]:
        """Wu remainders of the goal's numerators by the non-linear links (all zero: the goal holds)."""
        found = []
        for value in equations(self, name, args):
            self.deadline.check("rational goal")
            found.append(self.algebraic.reduce(value.numer, self.deadline, max_terms))
        return found
