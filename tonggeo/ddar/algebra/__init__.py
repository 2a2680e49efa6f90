"""Algebraic reasoning of the deductive engine: angle, ratio and distance chasing by exact incremental
elimination, with certificates an independent checker replays and Numba kernels for batch queries.
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
