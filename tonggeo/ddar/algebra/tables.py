"""The three tables the deductive database chases with: directed angles mod pi, log-ratios of lengths, and
lengths along lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

from tonggeo.config import DEFAULT_ALGEBRA, AlgebraTablesConfig
from tonggeo.ddar.algebra.certificate import Const, TableKind
from tonggeo.ddar.algebra.constants import (
    AngleSpace,
    LengthSpace,
    PowerProduct,
    Rational,
    RatioSpace,
)
from tonggeo.ddar.algebra.table import LinearTable


def _circular(x: float) -> float:
    d = x % 1.0
    return min(d, 1.0 - d)


class AngleTable(LinearTable[Fraction]):
    """Directed angles between lines, mod pi, with line directions (ids) as variables.

    A direction variable `d` stands for the angle of the line with the x-axis in units of pi, mod 1.
    Convention: the directed angle *from* line d1 *to* line d2 is `x_d2 - x_d1`. So
    `para d1 d2` is `{d1: 1, d2: -1} = 0`, `perp d1 d2` is `{d1: 1, d2: -1} = 1/2`,
    `eqangle d1 d2 d3 d4` (angle d1->d2 equals angle d3->d4) is `{d2: 1, d1: -1, d4: -1, d3: 1} = 0`
    and `aconst d1 d2 1/3` (angle from d1 to d2 is pi/3) is `{d2: 1, d1: -1} = 1/3`.

    The table keeps the *integer* span of the facts: `2x = 0` does not give `x = 0`. A combination whose
    k-th multiple (k > 1) is integrally implied has its constant known mod 1/k; the branch is taken from
    the numeric directions (`add_variable`) when they single one out, and certificates say so.
    """

    kind = TableKind.ANGLE

    def __init__(self, config: AlgebraTablesConfig = DEFAULT_ALGEBRA) -> None:
        super().__init__(AngleSpace(), config)

    def add_variable(self, var: int, value: float) -> None:
        """Numeric direction angle of the line in radians (any real; taken mod pi)."""
        super().add_variable(var, value)

    def _const(self, const: Rational | Const) -> Fraction:
        if isinstance(const, PowerProduct):
            raise TypeError("an angle constant is a rational multiple of pi")
        return Fraction(const) % 1

    def _numeric(self, value: float) -> float:
        return (value / math.pi) % 1.0

    def _mismatch(self, numeric: float, const: Fraction, scale: float) -> float:
        return _circular(numeric - float(const))

    def _resolve(self, k: int, base: Fraction, red_vector: dict[int, Rational]) -> Fraction | None:
        numeric = self._numeric_lhs(red_vector)
        tol = self.config.branch_tol
        if numeric is None or 1 / k <= 4 * tol:
            return None
        best = min(((base + j) / k for j in range(k)), key=lambda b: _circular(numeric[0] - float(b)))
        return best % 1 if _circular(numeric[0] - float(best)) < tol else None


class RatioTable(LinearTable[PowerProduct]):
    """Log-lengths of segments (ids) as variables; an equation says `prod(|s|**c) = const`.

    `cong s1 s2`: `{s1: 1, s2: -1} = 1`; `eqratio s1 s2 s3 s4` (s1/s2 = s3/s4): `{s1: 1, s2: -1, s3: -1,
    s4: 1} = 1`; `rconst s1 s2 1/2`: `{s1: 1, s2: -1} = 1/2`; `r2const s1 s2 3` (s1^2/s2^2 = 3):
    `{s1: 2, s2: -2} = 3`. Constants are positive rationals or `PowerProduct`s (rational powers of primes),
    so derived constants such as sqrt(3) stay exact; `constant` returns a PowerProduct.
    """

    kind = TableKind.RATIO

    def __init__(self, config: AlgebraTablesConfig = DEFAULT_ALGEBRA) -> None:
        super().__init__(RatioSpace(), config)

    def add_variable(self, var: int, value: float) -> None:
        """Numeric length (> 0) of the segment."""
        if not value > 0:
            raise ValueError(f"segment {var} has non-positive length {value}")
        super().add_variable(var, value)

    def _const(self, const: Rational | Const) -> PowerProduct:
        return PowerProduct.of(const)

    def _numeric(self, value: float) -> float:
        return math.log(value)

    def _mismatch(self, numeric: float, const: PowerProduct, scale: float) -> float:
        return abs(numeric - const.log()) / max(1.0, scale)


class DistanceTable(LinearTable[Fraction]):
    """Lengths of segments (ids) as variables, for sums along lines, congruences and given lengths.

    `cong s1 s2`: `{s1: 1, s2: -1} = 0`; midpoint M of AB: `{AM: 1, MB: -1} = 0`; `lconst s 3`:
    `{s: 1} = 3`; B between A and C: `{AB: 1, BC: 1, AC: -1} = 0` (see `collinear_equations`).
    """

    kind = TableKind.DISTANCE

    def __init__(self, config: AlgebraTablesConfig = DEFAULT_ALGEBRA) -> None:
        super().__init__(LengthSpace(), config)

    def add_variable(self, var: int, value: float) -> None:
        """Numeric length of the segment."""
        super().add_variable(var, value)

    def _const(self, const: Rational | Const) -> Fraction:
        if isinstance(const, PowerProduct):
            raise TypeError("a length constant is rational")
        return Fraction(const)

    def _numeric(self, value: float) -> float:
        return value

    def _mismatch(self, numeric: float, const: Fraction, scale: float) -> float:
        return abs(numeric - float(const)) / max(1.0, scale)


def collinear_equations(
    points: Sequence[int], segment: Callable[[int, int], int]
) -> list[tuple[dict[int, int], tuple[int, int, int]]]:
    """Equations spanning all length sums among points listed in their order along one line.

    For points P0 < P1 < ... on a line, returns `({PiPk: 1, PkPj: 1, PiPj: -1}, (Pi, Pk, Pj))` with
    k = j - 1 for every i < k < j: "Pk lies between Pi and Pj". `segment(a, b)` gives the caller's
    segment id of the pair. Each equation's reason is the collinearity plus the order in the diagram.
    """
    out: list[tuple[dict[int, int], tuple[int, int, int]]] = []
    for j in range(2, len(points)):
        k = j - 1
        for i in range(k):
            a, b, c = points[i], points[k], points[j]
            coeffs: dict[int, int] = {}
            for seg, coef in ((segment(a, b), 1), (segment(b, c), 1), (segment(a, c), -1)):
                coeffs[seg] = coeffs.get(seg, 0) + coef
            out.append((coeffs, (a, b, c)))
    return out
