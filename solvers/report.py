"""One problem solved by a named strategy and reported as plain data (`SolveReport`: status, time, steps,
aux clauses, proof text and JSON), so it crosses process and Ray boundaries: the unit `tonggeo solve`
runs per problem (locally or in a process pool) and `tonggeo.distributed.solve` runs as a Ray task."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from solvers.registry import available_solvers
from tonggeo.dsl import Problem

if TYPE_CHECKING:
    from solvers.base import Solver
    from solvers.search.lm_policy import LMPolicy


@dataclass(frozen=True, slots=True)
class LearnedPolicy:
    """A learned policy for the search, as plain data (it crosses to worker processes): built there."""

    kind: str
    url: str
    value_url: str | None

    def build(self, solver: str) -> tuple[Solver, LMPolicy]:
        from solvers.registry import SolverOptions, get_solver
        from solvers.search.lm_policy import LMSettings, learned_policy

        policy, model = learned_policy(self.kind, LMSettings(url=self.url, value_url=self.value_url))
        return get_solver(solver, SolverOptions(policy=policy)), model


@dataclass(frozen=True, slots=True)
class SolveReport:
    """One problem's result as the command reports it (plain data, so it crosses process boundaries)."""

    name: str
    status: str
    seconds: float
    steps: int
    aux: tuple[str, ...]
    error: str | None
    proof_text: str | None = None
    proof_json: str | None = None
    model_calls: tuple[int, int, int] | None = None
    """With a learned policy: model calls, failed calls, unusable answers."""

    def to_json(self) -> str:
        data: dict[str, object] = {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "steps": self.steps,
            "aux": list(self.aux),
            "error": self.error,
        }
        if self.model_calls is not None:
            data["model_calls"] = dict(zip(("calls", "failed", "unusable"), self.model_calls, strict=True))
        return json.dumps(data)


def solve_one(
    problem: Problem, solver: str, timeout: float, seed: int, with_aux: bool, lm: LearnedPolicy | None = None
) -> SolveReport:
    """Solve one problem (aux clauses moved into the statement iff `with_aux`; `lm`: a learned policy
    steers the search), `ddar` included: its proof text and JSON come from `solvers.ddar.solve` like
    every strategy's."""
    if solver not in available_solvers():
        return SolveReport(problem.name, "error", 0.0, 0, (), f"unknown solver {solver!r}")
    return solve_with_strategy(problem, solver, timeout, seed, with_aux, lm)


def solve_with_strategy(
    problem: Problem, solver: str, timeout: float, seed: int, with_aux: bool, lm: LearnedPolicy | None = None
) -> SolveReport:
    """Solve one problem with a strategy of `solvers.registry`; the auxiliary constructions it found (if
    any) are reported after the given ones."""
    import numpy as np

    from solvers import Budget, get_solver

    statement = problem.with_aux() if with_aux else problem
    given = tuple(c.to_text() for c in problem.aux) if with_aux else ()
    strategy, model = (get_solver(solver), None) if lm is None else lm.build(solver)
    try:
        result = strategy.solve(statement, Budget(seconds=timeout), np.random.default_rng(seed))
    except Exception as exc:  # one broken problem must not stop the file
        message = f"internal error: {type(exc).__name__}: {exc}"
        return SolveReport(problem.name, "error", 0.0, 0, given, message)
    calls = None if model is None else (model.counts.calls, model.counts.failed, model.counts.unusable)
    steps = result.steps  # DDAR counts its proof's rule steps; other strategies' proofs are counted here
    if not steps and result.proof_json is not None:
        steps = sum(1 for s in json.loads(result.proof_json)["steps"] if s.get("by") != "given")
    error = None if result.status.value == "proved" and steps else result.message  # a 0-step proof says why
    return SolveReport(problem.name, result.status.value, result.seconds, steps, given + result.aux, error,
                   result.proof_text, result.proof_json, calls)
