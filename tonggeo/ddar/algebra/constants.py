"""The groups the right-hand sides of the tables live in: angles in units of pi mod 1, lengths in Q, and
ratios as products of rational powers of primes (so chains of `rconst` and `r2const` stay exact).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

Rational = int | Fraction
"""An exact rational; plain ints are kept as ints because they are much faster than Fractions."""

C = TypeVar("C")


def as_rational(value: Rational) -> Rational:
    """`value` as an int when it is integral, else as a Fraction."""
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return value


@dataclass(frozen=True, slots=True)
class PowerProduct:
    """A positive real `prod(p**e)` over primes p with rational exponents e, e.g. `2**(1/2) * 3**-1`.

    The logarithms of distinct primes are linearly independent over Q, so ratio constants multiply and
    take rational powers exactly. `exponents` is sorted by prime and has no zero exponent; integral
    exponents are ints (they compare and hash equal to the same Fractions).
    """

    exponents: tuple[tuple[int, Rational], ...] = ()

    @staticmethod
    def of(value: Rational | PowerProduct) -> PowerProduct:
        """The power product of a positive rational (a PowerProduct is returned unchanged)."""
        if isinstance(value, PowerProduct):
            return value
        value = Fraction(value)
        if value <= 0:
            raise ValueError(f"a ratio constant must be positive, got {value}")
        return _factor(value.numerator, value.denominator)

    def __mul__(self, other: PowerProduct) -> PowerProduct:
        return self._combine(other, 1)

    def __truediv__(self, other: PowerProduct) -> PowerProduct:
        return self._combine(other, -1)

    def __pow__(self, k: Rational) -> PowerProduct:
        if k == 1:
            return self
        if k == 0:
            return PowerProduct()
        return PowerProduct(tuple((p, as_rational(e * k)) for p, e in self.exponents))

    def _combine(self, other: PowerProduct, sign: int) -> PowerProduct:
        a, b = self.exponents, other.exponents
        if not b:
            return self
        out: list[tuple[int, Rational]] = []
        i = j = 0
        while i < len(a) and j < len(b):
            pa, pb = a[i][0], b[j][0]
            if pa < pb:
                out.append(a[i])
                i += 1
            elif pb < pa:
                out.append((pb, sign * b[j][1]))
                j += 1
            else:
                e = as_rational(a[i][1] + sign * b[j][1])
                if e:
                    out.append((pa, e))
                i += 1
                j += 1
        out.extend(a[i:])
        out.extend((p, sign * e) for p, e in b[j:])
        return PowerProduct(tuple(out))

    def is_one(self) -> bool:
        return not self.exponents

    def as_fraction(self) -> Fraction | None:
        """The value as a Fraction when every exponent is an integer, else None."""
        out = Fraction(1)
        for p, e in self.exponents:
            if not isinstance(e, int):
                return None
            out *= Fraction(p) ** e
        return out

    def log(self) -> float:
        return sum(float(e) * math.log(p) for p, e in self.exponents)

    def __float__(self) -> float:
        return math.exp(self.log())

    def __str__(self) -> str:
        frac = self.as_fraction()
        if frac is not None:
            return str(frac)
        return "*".join(f"{p}^({e})" if not isinstance(e, int) else f"{p}^{e}" for p, e in self.exponents)


@lru_cache(maxsize=4096)
def _factor(num: int, den: int) -> PowerProduct:
    acc: dict[int, int] = dict(_prime_factors(num))
    for p, e in _prime_factors(den).items():
        acc[p] = acc.get(p, 0) - e
    return PowerProduct(tuple(sorted((p, e) for p, e in acc.items() if e != 0)))


def _prime_factors(n: int) -> dict[int, int]:
    """Trial division for the small numbers of geometry constants; sympy for anything large."""
    if n > 10**12:
        from sympy import factorint

        return {int(p): int(e) for p, e in factorint(n).items()}
    out: dict[int, int] = {}
    p = 2
    while p * p <= n:
        while n % p == 0:
            out[p] = out.get(p, 0) + 1
            n //= p
        p += 1 if p == 2 else 2
    if n > 1:
        out[n] = out.get(n, 0) + 1
    return out


class ConstSpace(Protocol, Generic[C]):
    """The operations the exact basis needs on right-hand sides."""

    modular: bool
    """True for angles: values are taken mod 1, so only integer multiples are meaningful."""

    def zero(self) -> C: ...

    def add(self, a: C, b: C) -> C: ...

    def scale(self, a: C, k: Rational) -> C: ...

    def is_zero(self, a: C) -> bool: ...


class AngleSpace:
    """Angles in units of pi, mod 1, as Fractions in [0, 1)."""

    modular = True

    def zero(self) -> Fraction:
        return Fraction(0)

    def add(self, a: Fraction, b: Fraction) -> Fraction:
        if not a:
            return b
        if not b:
            return a
        return (a + b) % 1

    def scale(self, a: Fraction, k: Rational) -> Fraction:
        if k == 1 or not a:
            return a
        if isinstance(k, Fraction) and k.denominator != 1:
            raise ValueError("an angle mod pi may only be multiplied by an integer")
        return (a * k) % 1

    def is_zero(self, a: Fraction) -> bool:
        return not a or a.denominator == 1


class LengthSpace:
    """Lengths and sums of lengths: plain Fractions."""

    modular = False

    def zero(self) -> Fraction:
        return Fraction(0)

    def add(self, a: Fraction, b: Fraction) -> Fraction:
        if not a:
            return b
        if not b:
            return a
        return a + b

    def scale(self, a: Fraction, k: Rational) -> Fraction:
        if k == 1 or not a:
            return a
        return a * k

    def is_zero(self, a: Fraction) -> bool:
        return not a


class RatioSpace:
    """Log-ratios written multiplicatively: `add` multiplies, `scale` takes powers."""

    modular = False

    def zero(self) -> PowerProduct:
        return PowerProduct()

    def add(self, a: PowerProduct, b: PowerProduct) -> PowerProduct:
        if not b.exponents:
            return a
        if not a.exponents:
            return b
        return a * b

    def scale(self, a: PowerProduct, k: Rational) -> PowerProduct:
        return a**k

    def is_zero(self, a: PowerProduct) -> bool:
        return a.is_one()
