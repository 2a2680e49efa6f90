"""Proving strategies behind one interface: `Solver`, `Budget`, `SolveResult`, and a registry by name."""

from solvers.base import Budget, Solver, SolveResult, SolveStatus
from solvers.registry import available_solvers, get_solver

__all__ = ["Budget", "SolveResult", "SolveStatus", "Solver", "available_solvers", "get_solver"]
