"""Polynomials over Q in a fixed ring of coordinate variables: numeric evaluation, normalisation, deadlines.

The prover works with sympy's sparse `PolyElement`s; this module holds the few helpers it needs on top.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from sympy import QQ, Symbol
from sympy.polys.rings import PolyElement, PolyRing, ring

if TYPE_CHECKING:
    from numpy.typing import NDArray

Poly: TypeAlias = PolyElement


class AlgebraTimeout(Exception):
    """The deadline passed between two algebraic steps."""


class AlgebraUnsupported(Exception):
    """The problem uses something this prover cannot translate into polynomials."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A wall-clock instant (time.perf_counter) after which algebra stops at the next check."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.perf_counter() + seconds)

    def left(self) -> float:
        return self.at - time.perf_counter()

    def check(self, what: str = "") -> None:
        if time.perf_counter() > self.at:
            raise AlgebraTimeout(what or "time budget exhausted")


def make_ring(size: int) -> tuple[PolyRing, tuple[Poly, ...]]:
    """A polynomial ring over Q with generators v0..v{size-1} (lex order; roles are assigned later)."""
    found = ring([Symbol(f"v{i}") for i in range(size)], QQ)
    poly_ring: PolyRing = found[0]
    return poly_ring, tuple(found[1:])


def evaluate(poly: Poly, values: NDArray[np.float64]) -> tuple[float, float]:
    """`(value, scale)` of `poly` at `values` (one float per generator).

    The scale is the sum of |coefficient| times the monomial at max(|value|, 1) per variable: a bound on
    the size of the terms that does not vanish with the point, so that a polynomial counts as zero when
    |value| is tiny relative to it, whatever its number of terms and however large they are.
    """
    if not poly:
        return 0.0, 0.0
    monoms = np.array(list(poly.keys()), dtype=np.int64)
    coeffs = np.array([float(c) for c in poly.values()], dtype=np.float64)
    used = np.flatnonzero(monoms.any(axis=0))
    if not used.size:
        return float(coeffs.sum()), float(np.abs(coeffs).sum())
    exps = monoms[:, used]
    point = values[used][None, :]
    terms = coeffs * np.prod(np.power(point, exps), axis=1)
    bounds = np.abs(coeffs) * np.prod(np.power(np.maximum(np.abs(point), 1.0), exps), axis=1)
    return float(terms.sum()), float(bounds.sum())


def relative_value(poly: Poly, values: NDArray[np.float64]) -> float:
    """|poly(values)| relative to the size of its terms (see `evaluate`; 0 for the zero polynomial)."""
    value, scale = evaluate(poly, values)
    if scale == 0.0:
        return 0.0
    return abs(value) / scale


def normalize(poly: Poly) -> Poly:
    """The primitive part with integer coefficients and a positive leading coefficient."""
    if not poly:
        return poly
    _, prim = poly.primitive()
    if prim.LC < 0:
        prim = -prim
    return prim


def is_constant(poly: Poly) -> bool:
    return poly.is_ground


def uses(poly: Poly, index: int) -> bool:
    """Whether generator `index` occurs in `poly`."""
    return poly.degree(index) > 0


def variables_of(poly: Poly) -> set[int]:
    """Indices of the generators that occur in `poly`."""
    if not poly:
        return set()
    monoms = np.array(list(poly.keys()), dtype=np.int64)
    return {int(i) for i in np.flatnonzero(monoms.any(axis=0))}


def coefficients(poly: Poly, index: int) -> list[Poly]:
    """Coefficients of `poly` as a polynomial in generator `index`, from degree 0 upwards."""
    degree = max(poly.degree(index), 0)
    gen = poly.ring.gens[index]
    return [poly.coeff_wrt(gen, k) for k in range(degree + 1)]


def content_in(poly: Poly, index: int) -> Poly:
    """The gcd of the coefficients of `poly` viewed as a polynomial in generator `index`."""
    result: Poly | None = None
    for coeff in coefficients(poly, index):
        if not coeff:
            continue
        result = coeff if result is None else result.gcd(coeff)
        if result.is_ground:
            return poly.ring.one
    return normalize(result) if result is not None else poly.ring.one


def pseudo_divide(dividend: Poly, divisor: Poly, index: int) -> tuple[Poly, Poly]:
    """(q, r) with lc(divisor)^k * dividend = q * divisor + r and deg(r) < deg(divisor) in generator
    `index`, k = deg(dividend) - deg(divisor) + 1.

    Written here because sympy 1.14's `PolyElement.pdiv` starts its quotient at the generator's index
    instead of zero, which makes the quotient wrong whenever the index is not 0.
    """
    ring = dividend.ring
    gen = ring.gens[index]
    d_f, d_g = dividend.degree(index), divisor.degree(index)
    if d_g < 0:
        raise ZeroDivisionError("pseudo-division by zero")
    if d_f < d_g:
        return ring.zero, dividend
    lead = divisor.coeff_wrt(gen, d_g)
    quotient, remainder = ring.zero, dividend
    steps = d_f - d_g + 1
    degree = d_f
    while degree >= d_g and remainder:
        coeff = remainder.coeff_wrt(gen, degree)
        shift = gen ** (degree - d_g)
        quotient = quotient * lead + coeff * shift
        remainder = remainder * lead - divisor * coeff * shift
        steps -= 1
        degree = remainder.degree(index)
    if steps > 0:
        factor = lead**steps
        quotient, remainder = quotient * factor, remainder * factor
    return quotient, remainder
