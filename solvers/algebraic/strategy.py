"""The `algebraic` strategy: Wu's method (Groebner fallback) on the coordinates of the numeric diagram.

It never produces a synthetic proof: success is `holds_generically`, with the non-degeneracy conditions
the result depends on. The algebra runs in a child process killed at the deadline, because one sympy
call (a pseudo-division, a Groebner basis) can outlast any budget and cannot be interrupted.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.polys import AlgebraTimeout, Deadline
from solvers.algebraic.prove import AlgebraicOutcome, prove
from solvers.base import Budget, SolveResult, SolveStatus
from tonggeo.config import DEFAULT_ALGEBRAIC, DEFAULT_NUMERIC, AlgebraicConfig, NumericConfig
from tonggeo.diagram import DiagramError, build_diagram
from tonggeo.dsl.parser import default_catalogue

if TYPE_CHECKING:
    from collections.abc import Mapping
    from multiprocessing.connection import Connection

    from numpy.typing import NDArray

    from tonggeo.dsl.ast import Problem

Points = dict[str, "NDArray[np.float64]"]


def run_prover(
    problem: Problem, points: Mapping[str, NDArray[np.float64]], config: AlgebraicConfig, seconds: float
) -> AlgebraicOutcome:
    """Run the prover in this process, stopping at the first deadline check after `seconds`."""
    try:
        return prove(problem, points, default_catalogue(), config, Deadline.after(seconds))
    except AlgebraTimeout as exc:
        return AlgebraicOutcome(SolveStatus.TIMEOUT, message=f"timed out: {exc}")


def _child(
    connection: Connection, problem: Problem, points: Points, config: AlgebraicConfig, seconds: float
) -> None:
    try:
        outcome = prove(
            problem, points, default_catalogue(), config, Deadline.after(seconds), report=connection.send
        )
    except AlgebraTimeout as exc:
        outcome = AlgebraicOutcome(SolveStatus.TIMEOUT, message=f"timed out: {exc}")
    except Exception as exc:  # reported to the parent, which turns it into an `error` result
        outcome = AlgebraicOutcome(SolveStatus.ERROR, message=f"{type(exc).__name__}: {exc}")
    connection.send(("final", outcome))


def run_prover_isolated(
    problem: Problem, points: Mapping[str, NDArray[np.float64]], config: AlgebraicConfig, seconds: float
) -> AlgebraicOutcome:
    """Run the prover in a child process, killed `seconds` from now; interim outcomes survive the kill."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    plain = {name: np.asarray(xy, dtype=np.float64) for name, xy in points.items()}
    process = context.Process(target=_child, args=(sender, problem, plain, config, seconds), daemon=True)
    deadline = time.perf_counter() + seconds
    process.start()
    sender.close()
    latest: AlgebraicOutcome | None = None
    final: AlgebraicOutcome | None = None
    try:
        while final is None:
            left = deadline - time.perf_counter()
            if left <= 0 or not receiver.poll(left):
                break
            try:
                message = receiver.recv()
            except EOFError:
                break
            if isinstance(message, tuple) and message[0] == "final":
                final = message[1]
            else:
                latest = message
    finally:
        if final is None and process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()
    if final is not None:
        return final
    if latest is not None:
        return AlgebraicOutcome(
            latest.status, latest.method, (), f"{latest.message}; then timed out", latest.stats
        )
    if process.exitcode not in (None, 0, -9):
        return AlgebraicOutcome(
            SolveStatus.ERROR, message=f"the prover process died (exit code {process.exitcode})"
        )
    return AlgebraicOutcome(SolveStatus.TIMEOUT, message=f"timed out after {seconds:.1f} s")


@dataclass(frozen=True)
class AlgebraicSolver:
    """Wu's method with a Groebner fallback; see the module docstring."""

    config: AlgebraicConfig = DEFAULT_ALGEBRAIC
    numeric: NumericConfig = DEFAULT_NUMERIC
    name: str = "algebraic"

    def solve(self, problem: Problem, budget: Budget, rng: np.random.Generator) -> SolveResult:
        start = time.perf_counter()
        try:
            diagram = build_diagram(
                problem, rng, max_attempts=self.config.diagram_attempts, config=self.numeric
            )
        except DiagramError as exc:
            goals = {g.to_text() for g in problem.goals}
            status = SolveStatus.REFUTED if exc.clause in goals else SolveStatus.ERROR
            return self._result(status, start, message=f"diagram: {exc}")
        left = budget.seconds - (time.perf_counter() - start)
        if left <= 0:
            return self._result(SolveStatus.TIMEOUT, start, message="the budget ran out while drawing")
        runner = run_prover_isolated if self.config.subprocess else run_prover
        outcome = runner(problem, diagram.points, self.config, left)
        message = outcome.message
        if outcome.method:
            message = f"[{outcome.method}] {message}"
        if outcome.status == SolveStatus.HOLDS_GENERICALLY and outcome.conditions:
            message += "; non-degeneracy conditions: " + "; ".join(outcome.conditions)
        return self._result(outcome.status, start, message=message, conditions=outcome.conditions)

    def _result(
        self, status: SolveStatus, start: float, message: str, conditions: tuple[str, ...] = ()
    ) -> SolveResult:
        return SolveResult(
            status=status,
            seconds=time.perf_counter() - start,
            solver=self.name,
            conditions=conditions,
            message=message,
        )
