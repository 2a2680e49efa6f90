"""The deductive database with algebraic reasoning (DDAR): facts in classes, rules as data applied by
one generic matcher, angle/ratio chasing by the algebraic tables, saturation, and `solve`."""

from tonggeo.ddar.solver import solve
from tonggeo.ddar.state import State, initial_state

__all__ = ["State", "initial_state", "solve"]
