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
from typing import TYPE_CHECKING

from solvers.algebraic.chain import Chain, ChainLink
from solvers.algebraic.fractions import Frac
from solvers.algebraic.polys import Deadline, Poly, coefficients, normalize
from solvers.algebraic.predicates import equations

if TYPE_CHECKING:
    from solvers.algebraic.state import ChainState


class RationalChain:
    """A state's chain with its linear variables replaced by fractions."""

    def __init__(self, state: ChainState, deadline: Deadline) -> None:
        self.state = state
        self.deadline = deadline
        self.fractions: dict[int, tuple[Poly, Poly]] = {}
        self.order: list[int] = []
        self.algebraic = Chain()
        self.links = 0
        self.version = state.chain.version
        for link in state.chain.links:
            self.add(link)
        self._coords: dict[str, tuple[Frac, Frac]] = {}

    def add(self, link: ChainLink) -> None:
        """Take in the next link of the chain: a fraction if it is linear, else an algebraic link."""
        self.deadline.check("rational substitution")
        ring = self.state.ring
        if link.degree == 1:
            gen = ring.gens[link.var]
            c0 = self.fraction(link.poly.coeff_wrt(gen, 0))
            c1 = self.fraction(link.poly.coeff_wrt(gen, 1))
            if not c1:
                raise ZeroDivisionError(f"the equation of {link.point} degenerates")
            value = self.rationalize(-c0 / c1)
            self.fractions[link.var] = (value.num, value.den)
            self.order.append(link.var)
        else:
            numer = self.fraction(link.poly).num
            if numer.degree(link.var) < 1:
                raise ZeroDivisionError(f"the equation of {link.point} degenerates")
            self.algebraic.append(ChainLink(link.var, normalize(numer), link.point))
        self.links += 1

    def rationalize(self, value: Frac) -> Frac:
        """The same fraction with its numerator reduced by the quadratic links and its denominator
        free of their variables (multiplied through by the conjugate), so that fractions of the
        parameters alone carry the algebraic numbers and cancellation keeps them small."""
        numer, denom = value.num, value.den
        for link in reversed(self.algebraic.links):
            if link.degree != 2:
                continue
            gen = link.poly.ring.gens[link.var]
            t0, t1, t2 = (link.poly.coeff_wrt(gen, k) for k in range(3))
            if denom.degree(link.var) >= 1:
                denom, scale = _reduce_quadratic(denom, link)
                numer *= scale
                d0, d1 = denom.coeff_wrt(gen, 0), denom.coeff_wrt(gen, 1)
                numer *= -t2 * d1 * gen + (t2 * d0 - t1 * d1)
                denom = t0 * d1 * d1 - t1 * d0 * d1 + t2 * d0 * d0
            if numer.degree(link.var) >= 2:
                numer, scale = _reduce_quadratic(numer, link)
                denom *= scale
            self.deadline.check("rationalizing")
        if not denom:
            raise ZeroDivisionError("a denominator vanishes on the chain")
        return Frac(numer, denom)

    def numerator(self, poly: Poly, max_terms: int) -> Poly:
        """A polynomial in the parameters and non-linear variables vanishing exactly where `poly` does
        (on the chain, away from the conditions): the reduced numerator of its fraction."""
        return self.algebraic.reduce(self.fraction(poly).num, self.deadline, max_terms)

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
        return Frac(numer, denom)

    # -- CoordinateSource over fractions ----------------------------------------------------------
    def point(self, name: str) -> tuple[Frac, Frac]:
        if name not in self._coords:
            x, y = self.state.point(name)
            self._coords[name] = (self.rationalize(self.fraction(x)), self.rationalize(self.fraction(y)))
        return self._coords[name]

    def sqrt3(self) -> Frac:
        return Frac(self.state.sqrt3())

    def goal_remainders(self, name: str, args: Sequence[str], max_terms: int) -> list[Poly]:
        """Wu remainders of the goal's numerators by the non-linear links (all zero: the goal holds)."""
        found = []
        for value in equations(self, name, args):
            self.deadline.check("rational goal")
            found.append(self.algebraic.reduce(value.num, self.deadline, max_terms))
        return found


def _reduce_quadratic(poly: Poly, link: ChainLink) -> tuple[Poly, Poly]:
    """(r, m) with m * poly = r modulo the quadratic link, deg r < 2 in its variable, m = lc^k."""
    degree = poly.degree(link.var)
    if degree < 2:
        return poly, poly.ring.one
    gen = poly.ring.gens[link.var]
    lead = link.poly.coeff_wrt(gen, 2)
    return poly.prem(link.poly, gen), lead ** (degree - 1)
