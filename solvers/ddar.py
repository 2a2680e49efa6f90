"""The `ddar` strategy: deduction and algebra on the problem as stated, no auxiliary points.

A thin adapter from `tonggeo.ddar.solve` (which proves, extracts the proof and has the independent
checker accept it) to the `Solver` interface.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from solvers.base import Budget, SolveResult, SolveStatus

if TYPE_CHECKING:
    import numpy as np

    from tonggeo.dsl.ast import Problem

_STATUS = {
    "proved": SolveStatus.PROVED,
    "unproved": SolveStatus.UNPROVED,
    "timeout": SolveStatus.TIMEOUT,
    "error": SolveStatus.ERROR,
}


@dataclass(frozen=True)
class DdarSolver:
    """Saturate the statement's facts with the rules and the algebraic tables; proofs are checked."""

    name: str = "ddar"

    def solve(self, problem: Problem, budget: Budget, rng: np.random.Generator) -> SolveResult:
        from tonggeo.ddar import solve
        from tonggeo.ddar.rules import load_rules
        from tonggeo.proof import proof_text, proof_to_json

        result = solve(problem, timeout=budget.seconds, rng=rng)
        text = payload = None
        if result.proof is not None:
            text = proof_text(result.proof, {rule.id: rule.to_text() for rule in load_rules()})
            payload = json.dumps(proof_to_json(result.proof))
        if result.status == "proved":
            message = f"proved in {result.steps} steps"
        else:
            message = result.error or f"{result.status} after {result.facts} facts"
        return SolveResult(
            status=_STATUS.get(result.status, SolveStatus.ERROR),
            seconds=result.seconds,
            solver=self.name,
            proof_text=text,
            proof_json=payload,
            aux=result.aux,
            message=message,
        )
