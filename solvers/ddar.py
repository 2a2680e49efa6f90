"""The `ddar` strategy: deduction and algebra on the problem as stated, no auxiliary points.

`tonggeo.ddar.solve` proves, extracts the proof, has the independent checker accept it and returns the
`SolveResult` every strategy returns (proof text and JSON included); this puts it behind the `Solver`
interface. The engine's function stays in `tonggeo.ddar` because proposing (a layer below `solvers`)
calls it too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from solvers.base import Budget, SolveResult

if TYPE_CHECKING:
    import numpy as np

    from tonggeo.dsl.ast import Problem


@dataclass(frozen=True)
class DdarSolver:
    """Saturate the statement's facts with the rules and the algebraic tables; proofs are checked."""

    name: str = "ddar"

    def solve(self, problem: Problem, budget: Budget, rng: np.random.Generator) -> SolveResult:
        from tonggeo.ddar import solve

        result = solve(problem, timeout=budget.seconds, rng=rng)
        return result if result.solver == self.name else replace(result, solver=self.name)
