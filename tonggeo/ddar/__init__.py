"""The deductive database with algebraic reasoning (DDAR): facts in classes, rules as data applied by
one generic matcher, angle/ratio chasing by the algebraic tables, saturation, and `solve`."""

from tonggeo.ddar.solver import SolveResult, State, initial_state, solve

__all__ = ["SolveResult", "State", "initial_state", "solve"]
