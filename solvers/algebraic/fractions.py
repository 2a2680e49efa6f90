"""Fractions of polynomials kept in lowest terms, cancelled in a ring of only the variables they use.

sympy's gcd works on a dense recursive form nested once per generator of the ring, so cancelling in
the prover's wide ring (two generators per point) is far slower than in a ring of the few variables a
fraction actually contains. `Frac` moves numerator and denominator to such a compact ring to cancel.
"""

from __future__ import annotations

from typing import Any

from sympy.polys.rings import PolyRing

from solvers.algebraic.polys import Poly, variables_of

_COMPACT: dict[tuple[int, tuple[int, ...]], PolyRing] = {}


def _compact_ring(ring: PolyRing, used: tuple[int, ...]) -> PolyRing:
    key = (id(ring), used)
    found = _COMPACT.get(key)
    if found is None:
        found = _COMPACT[key] = PolyRing([ring.symbols[i] for i in used], ring.domain, ring.order)
    return found


def cancel(num: Poly, den: Poly) -> tuple[Poly, Poly]:
    """num / den in lowest terms, denominator with a positive leading coefficient."""
    if not den:
        raise ZeroDivisionError("fraction with a zero denominator")
    ring = num.ring
    if not num:
        return ring.zero, ring.one
    if den.is_ground:
        return num * (ring.domain.one / den.LC), ring.one
    used = tuple(sorted(variables_of(num) | variables_of(den)))
    small = _compact_ring(ring, used)
    top, bottom = num.set_ring(small).cancel(den.set_ring(small))
    top, bottom = top.set_ring(ring), bottom.set_ring(ring)
    if bottom.is_ground:
        return top * (ring.domain.one / bottom.LC), ring.one
    return top, bottom


class Frac:
    """num / den over the prover's ring; arithmetic cancels after every operation."""

    __slots__ = ("den", "num")

    def __init__(self, num: Poly, den: Poly | None = None, *, reduced: bool = False) -> None:
        if den is None:
            self.num, self.den = num, num.ring.one
        elif reduced:
            self.num, self.den = num, den
        else:
            self.num, self.den = cancel(num, den)

    def _lift(self, other: Any) -> Frac:
        if isinstance(other, Frac):
            return other
        return Frac(self.num.ring.ground_new(other) if not isinstance(other, type(self.num)) else other)

    def __add__(self, other: Any) -> Frac:
        o = self._lift(other)
        if self.den == o.den:
            return Frac(self.num + o.num, self.den)
        return Frac(self.num * o.den + o.num * self.den, self.den * o.den)

    __radd__ = __add__

    def __neg__(self) -> Frac:
        return Frac(-self.num, self.den, reduced=True)

    def __sub__(self, other: Any) -> Frac:
        return self + (-self._lift(other))

    def __rsub__(self, other: Any) -> Frac:
        return self._lift(other) - self

    def __mul__(self, other: Any) -> Frac:
        o = self._lift(other)
        if o.den.is_one and o.num.is_ground:
            return Frac(self.num * o.num.LC, self.den, reduced=True) if o.num else Frac(self.num.ring.zero)
        return Frac(self.num * o.num, self.den * o.den)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Frac:
        o = self._lift(other)
        if not o.num:
            raise ZeroDivisionError("division by a zero fraction")
        return Frac(self.num * o.den, self.den * o.num)

    def __bool__(self) -> bool:
        return bool(self.num)
