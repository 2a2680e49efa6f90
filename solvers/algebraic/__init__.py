"""Algebraic proving on coordinates: Wu's method (characteristic sets) with a Groebner fallback."""

from solvers.algebraic.prove import AlgebraicOutcome, prove
from solvers.algebraic.strategy import AlgebraicSolver, run_prover, run_prover_isolated

__all__ = ["AlgebraicOutcome", "AlgebraicSolver", "prove", "run_prover", "run_prover_isolated"]
