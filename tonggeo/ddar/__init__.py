"""The deductive database with algebraic reasoning (DDAR): facts in classes, rules as data applied by
one generic matcher, angle/ratio chasing by the algebraic tables, and saturation.  Solving a problem
(saturate, extract, check) is `solvers.ddar.solve`."""

from tonggeo.ddar.state import State, initial_state

__all__ = ["State", "initial_state"]
