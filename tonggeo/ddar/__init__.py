"""The deductive database with algebraic reasoning (DDAR): facts in classes, rules as data applied by
one generic matcher, angle/ratio chasing by the algebraic tables, saturation, and `solve`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tonggeo.ddar.solver import SolveResult, solve
    from tonggeo.ddar.state import State, initial_state

__all__ = ["SolveResult", "State", "initial_state", "solve"]


def __getattr__(name: str) -> Any:
    # imported lazily so that tonggeo.proof (which reads tonggeo.ddar.rules) can be imported on its own
    if name in ("SolveResult", "solve"):
        from tonggeo.ddar import solver

        return getattr(solver, name)
    if name in ("State", "initial_state"):
        from tonggeo.ddar import state

        return getattr(state, name)
    raise AttributeError(f"module 'tonggeo.ddar' has no attribute {name!r}")
