"""Algebraic reasoning of the deductive engine: angle, ratio and distance chasing by exact incremental
elimination, with certificates an independent checker replays and Numba kernels for batch queries.

Each table holds linear equations `sum(c * x_var) = const` whose reasons are the caller's fact ids:
`AngleTable` (line directions in units of pi, mod 1), `RatioTable` (log-lengths; constants are exact
products of rational powers of primes) and `DistanceTable` (lengths). Behind each is one exact echelon
basis (`basis.py`) whose rows remember the facts that made them.

Angles mod pi: dividing an equation is unsound (`2x = 0` leaves x in {0, 1/2}), so the angle table keeps
the *integer* span of its facts. A combination q is implied outright when q is an integer combination;
when only `k * q` is (k > 1), the constant of q is known mod 1/k, and the table takes the branch the
numeric diagram shows (`add_variable`), if the diagram singles one out. Certificates then carry
`multiplier = k`, say so in their text, and `verify_certificate` re-checks that branch against the
numeric values it is given. Ratios and lengths are real, so any rational combination is sound there.

Batch queries (`implied_equalities`, `determined`, `classes`, `pair_groups`) first test candidates with
modular fingerprints computed by Numba kernels (`kernels.py`), then re-check every positive exactly.
"""

from tonggeo.ddar.algebra.basis import InconsistentFact
from tonggeo.ddar.algebra.certificate import Certificate, Const, Equation, TableKind, verify_certificate
from tonggeo.ddar.algebra.constants import PowerProduct
from tonggeo.ddar.algebra.table import LinearTable, NumericMismatch
from tonggeo.ddar.algebra.tables import AngleTable, DistanceTable, RatioTable, collinear_equations

__all__ = [
    "AngleTable",
    "Certificate",
    "Const",
    "DistanceTable",
    "Equation",
    "InconsistentFact",
    "LinearTable",
    "NumericMismatch",
    "PowerProduct",
    "RatioTable",
    "TableKind",
    "collinear_equations",
    "verify_certificate",
]
