"""The solver interface: a `Solver` turns a problem and a `Budget` into a `SolveResult`.

Every strategy (DDAR alone, beam search over auxiliary points, the algebraic prover) implements `Solver`;
`solvers.registry` selects one by name for `tonggeo solve --solver NAME`. `SolveResult` and `SolveStatus`
live with the proofs (`tonggeo.proof.result`, so the DDAR engine returns the same record) and are
re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tonggeo.proof.result import SolveResult, SolveStatus

if TYPE_CHECKING:
    import numpy as np

    from tonggeo.dsl.ast import Problem

__all__ = ["Budget", "SolveResult", "SolveStatus", "Solver"]


@dataclass(frozen=True, slots=True)
class Budget:
    """Resources a solver may spend: wall-clock seconds, search nodes (None: unbounded), worker processes."""

    seconds: float = 60.0
    max_nodes: int | None = None
    jobs: int = 1

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError(f"Budget.seconds must be positive, got {self.seconds}")
        if self.max_nodes is not None and self.max_nodes < 0:
            raise ValueError(f"Budget.max_nodes must be >= 0 or None, got {self.max_nodes}")
        if self.jobs < 1:
            raise ValueError(f"Budget.jobs must be >= 1, got {self.jobs}")


@runtime_checkable
class Solver(Protocol):
    """A proving strategy: `solve` must respect `budget` and draw randomness only from `rng`."""

    @property
    def name(self) -> str:
        """The strategy's registry name (`tonggeo solve --solver NAME`)."""
        ...

    def solve(self, problem: Problem, budget: Budget, rng: np.random.Generator) -> SolveResult: ...
