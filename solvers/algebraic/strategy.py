"""The `algebraic` strategy: Wu's method (Groebner fallback) on the coordinates of the numeric diagram.

It never produces a synthetic proof: success is `holds_generically` (or `holds_on_drawn_component` when
the diagram chose a factor, a root or dropped a hypothesis), with the non-degeneracy conditions the
result depends on, evaluated at the diagram. The algebra runs in a child process
(`solvers.algebraic.worker`) killed at the deadline, because one sympy call (a pseudo-division, a
Groebner basis) can outlast any budget and cannot be interrupted.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.polys import AlgebraTimeout, Deadline
from solvers.algebraic.prove import AlgebraicOutcome, prove
from solvers.base import Budget, SolveResult, SolveStatus
from tonggeo.config import DEFAULT_ALGEBRAIC, DEFAULT_NUMERIC, AlgebraicSolverConfig, NumericConfig
from tonggeo.diagram import DiagramError, build_diagram
from tonggeo.dsl.parser import default_catalogue

if TYPE_CHECKING:
    from collections.abc import Mapping

    from numpy.typing import NDArray

    from tonggeo.dsl.ast import Problem


def run_prover(
    problem: Problem, points: Mapping[str, NDArray[np.float64]], config: AlgebraicSolverConfig, seconds: float
) -> AlgebraicOutcome:
    """Run the prover in this process, stopping at the first deadline check after `seconds`."""
    try:
        return prove(problem, points, default_catalogue(), config, Deadline.after(seconds))
    except AlgebraTimeout as exc:
        return AlgebraicOutcome(SolveStatus.TIMEOUT, message=f"timed out: {exc}")


def _messages(data: bytes) -> list[tuple[str, AlgebraicOutcome]]:
    """The complete pickled messages at the start of `data` (a killed child may leave a partial one)."""
    stream = io.BytesIO(data)
    found = []
    while True:
        try:
            found.append(pickle.load(stream))
        except (EOFError, pickle.UnpicklingError, ValueError, AttributeError, IndexError):
            return found


def run_prover_isolated(
    problem: Problem, points: Mapping[str, NDArray[np.float64]], config: AlgebraicSolverConfig, seconds: float
) -> AlgebraicOutcome:
    """Run the prover in a child process (`python -m solvers.algebraic.worker`) killed after `seconds`;
    interim outcomes it reported survive the kill."""
    plain = {name: np.asarray(xy, dtype=np.float64) for name, xy in points.items()}
    job = pickle.dumps((problem, plain, config, seconds))
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    process = subprocess.Popen(
        [sys.executable, "-m", "solvers.algebraic.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    timed_out = False
    try:
        data, errors = process.communicate(job, timeout=seconds + 1.0)
    except subprocess.TimeoutExpired:
        timed_out = True
        process.kill()
        data, errors = process.communicate()
    messages = _messages(data)
    final = [outcome for kind, outcome in messages if kind == "final"]
    if final:
        return final[-1]
    if messages:
        latest = messages[-1][1]
        return AlgebraicOutcome(
            latest.status, latest.method, (), f"{latest.message}; then timed out", latest.stats
        )
    if not timed_out:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return AlgebraicOutcome(SolveStatus.ERROR, message=f"the prover process failed: {tail[0]}")
    return AlgebraicOutcome(SolveStatus.TIMEOUT, message=f"timed out after {seconds:.1f} s")


@dataclass(frozen=True)
class AlgebraicSolver:
    """Wu's method with a Groebner fallback; see the module docstring."""

    config: AlgebraicSolverConfig = DEFAULT_ALGEBRAIC
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
        if outcome.status.holds_algebraically and outcome.conditions:
            message += "; non-degeneracy conditions: " + "; ".join(outcome.conditions)
        return self._result(
            outcome.status, start, message=message, conditions=outcome.conditions, choices=outcome.choices
        )

    def _result(
        self,
        status: SolveStatus,
        start: float,
        message: str,
        conditions: tuple[str, ...] = (),
        choices: tuple[str, ...] = (),
    ) -> SolveResult:
        return SolveResult(
            status=status,
            seconds=time.perf_counter() - start,
            solver=self.name,
            conditions=conditions,
            message=message,
            choices=choices,
        )
