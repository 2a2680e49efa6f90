"""What one job runs inside a worker process: a solve (through `solvers.registry`, exactly as `tonggeo
solve` builds the strategy) or a proposing run, reporting progress through a callback.

A task is plain data (`Task`), so any `WorkerPool` (local processes, Ray) can ship it; `run_task` never
raises: whatever goes wrong becomes the job's `error` status with the reason.
"""

from __future__ import annotations

import json
import shutil
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from solvers.search.policy import Policy
    from solvers.search.pool import Executor, ExecutorFactory
    from solvers.search.tasks import Result
    from solvers.search.tasks import Task as SearchTask

Report = Callable[[dict[str, Any]], None]
"""Called with the job's progress so far (nodes, rounds, best value, elapsed seconds, phase)."""


@dataclass(frozen=True, slots=True)
class PolicyBackend:
    """Where the search's model lives: an OpenAI-compatible URL (and model name), or none (heuristics)."""

    url: str | None = None
    model: str | None = None

    @property
    def name(self) -> str:
        return "heuristic" if self.url is None else f"lm ({self.url})"


@dataclass(frozen=True, slots=True)
class Task:
    """One job as a worker sees it: id, kind ('solve' or 'propose'), the validated request, the policy
    backend, and the folder for its files (proposing output)."""

    job_id: str
    kind: str
    request: dict[str, Any]
    backend: PolicyBackend
    folder: str


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """A finished task: final status, result (JSON-able) and figure (SVG text, or None)."""

    status: str
    result: dict[str, Any]
    figure: str | None
    progress: dict[str, Any]


def search_policy(kind: str, backend: PolicyBackend) -> Policy | None:
    """The search policy for a job's `policy` field (None: the heuristic, the registry's default)."""
    if kind == "heuristic" or backend.url is None:
        return None
    from solvers.search.lm_policy import LMPolicy, LMSettings, MixedPolicy
    from solvers.search.policy import HeuristicPolicy
    from tonggeo.config import DEFAULT_SEARCH

    heuristic = HeuristicPolicy(DEFAULT_SEARCH)
    model = LMPolicy(LMSettings(url=backend.url, model=backend.model), fallback=heuristic)
    return model if kind == "lm" else MixedPolicy(heuristic, model)


class _Progress:
    """Counts what a search's executor returns (children built, rounds, best score) and reports it at
    most every `every` seconds."""

    def __init__(self, report: Report, start: float, every: float = 0.5) -> None:
        self.report, self.start, self.every = report, start, every
        self.nodes = 0
        self.rounds = 0
        self.best: float | None = None
        self.root: int | None = None
        self.last = 0.0

    def snapshot(self, phase: str) -> dict[str, Any]:
        return {
            "phase": phase,
            "nodes": self.nodes,
            "rounds": self.rounds,
            "best_value": self.best,
            "elapsed": round(time.monotonic() - self.start, 2),
        }

    def tick(self, phase: str, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self.last >= self.every:
            self.last = now
            self.report(self.snapshot(phase))

    def submitted(self, task: SearchTask) -> None:
        from solvers.search.tasks import RankTask

        if isinstance(task, RankTask):
            key = hash(task.payload)
            if self.root is None:
                self.root = key
            if key == self.root:  # each round starts from the root again
                self.rounds += 1
                self.tick("search", force=True)

    def returned(self, result: Result) -> None:
        from solvers.search.tasks import ChildResult

        if isinstance(result, ChildResult):
            self.nodes += 1
            if result.status == "open" and (self.best is None or result.score > self.best):
                self.best = float(result.score)
        self.tick("search")


class _CountingExecutor:
    """An executor that forwards to the default one and tells `_Progress` what passes through."""

    def __init__(self, inner: Executor, progress: _Progress) -> None:
        self.inner, self.progress = inner, progress

    def submit(self, task: SearchTask) -> None:
        self.progress.submitted(task)
        self.inner.submit(task)

    def next_result(self, deadline: float) -> Result | None:
        result = self.inner.next_result(deadline)
        if result is not None:
            self.progress.returned(result)
        return result

    @property
    def pending(self) -> int:
        return self.inner.pending

    def close(self) -> None:
        self.inner.close()


@contextmanager
def _watched(progress: _Progress) -> Iterator[None]:
    from solvers.search.pool import InlineExecutor, ProcessExecutor, can_fork_workers, executor_override

    def factory(engine: Any, jobs: int) -> Executor:
        inner: Executor = (
            ProcessExecutor(engine, jobs) if jobs > 1 and can_fork_workers() else InlineExecutor(engine)
        )
        return _CountingExecutor(inner, progress)

    chosen: ExecutorFactory = factory
    with executor_override(chosen):
        yield


STATUS_OF_SOLVER = {
    "proved": "proved",
    "holds_generically": "holds_generically",
    "timeout": "timeout",
    "error": "error",
    "unproved": "unproved",
    "holds_on_drawn_component": "unproved",
    "refuted": "unproved",
}
"""The solver's status -> the job's.  An algebraic verdict on the drawn component only, or a refutation,
is not a proof: the job says `unproved`, and `result.verdict` keeps the solver's own status."""


def run_solve(task: Task, report: Report) -> TaskOutcome:
    import numpy as np

    from solvers import Budget
    from solvers.registry import SolverOptions, get_solver
    from tonggeo.dsl import parse_problem
    from tonggeo.service.figure import figure_of

    request = task.request
    start = time.monotonic()
    progress = _Progress(report, start)
    problem = parse_problem(request["body"], request["name"])
    seed = int(request["seed"])
    policy_kind = request["policy"]
    options = SolverOptions(policy=search_policy(policy_kind, task.backend))
    solver = get_solver(request["solver"], options)
    progress.tick("start", force=True)
    with _watched(progress):
        result = solver.solve(problem, Budget(seconds=float(request["timeout"])), np.random.default_rng(seed))
    status = STATUS_OF_SOLVER.get(result.status.value, "error")
    figure: str | None = None
    try:
        figure = figure_of(problem, seed, result.aux)
    except Exception:  # a problem that cannot be drawn still has its verdict
        figure = None
    final = progress.snapshot("done")
    final["nodes"] = max(final["nodes"], result.nodes)
    payload = {
        "verdict": result.status.value,
        "solver": result.solver,
        "policy": policy_kind if task.backend.url is not None else "heuristic",
        "policy_backend": task.backend.name,
        "seconds": round(result.seconds, 3),
        "aux": list(result.aux),
        "nodes": result.nodes,
        "message": result.message,
        "conditions": list(result.conditions),
        "choices": list(result.choices),
        "proof_text": result.proof_text,
        "proof": None if result.proof_json is None else json.loads(result.proof_json),
        "figure_url": f"/v1/jobs/{task.job_id}/figure.svg" if figure is not None else None,
    }
    return TaskOutcome(status, payload, figure, final)


def run_propose(task: Task, report: Report) -> TaskOutcome:
    from tonggeo.propose.run import RunStats, propose

    start = time.monotonic()
    out = Path(task.folder)
    shutil.rmtree(out, ignore_errors=True)  # a re-queued run starts afresh (its index would hide its finds)

    def show(stats: RunStats) -> None:
        report(
            {
                "phase": "propose",
                "nodes": stats.walks,
                "rounds": stats.walks,
                "best_value": stats.unique,
                "elapsed": round(time.monotonic() - start, 2),
                "problems": stats.unique,
            }
        )

    stats = propose(
        out, seconds=float(task.request["seconds"]), seed=int(task.request["seed"]), jobs=1, progress=show
    )
    problems_file = out / "problems.txt"
    text = problems_file.read_text(encoding="utf-8") if problems_file.exists() else ""
    result = {
        "problems": stats.unique,
        "with_aux": stats.with_aux,
        "walks": stats.walks,
        "seconds": round(stats.seconds, 2),
        "problems_text": text,
        "message": f"{stats.unique} new problems ({stats.with_aux} with aux) from {stats.walks} walks",
    }
    final = {
        "phase": "done",
        "nodes": stats.walks,
        "rounds": stats.walks,
        "best_value": stats.unique,
        "elapsed": round(time.monotonic() - start, 2),
    }
    return TaskOutcome("proved" if stats.unique else "unproved", result, None, final)


def run_task(task: Task, report: Report) -> TaskOutcome:
    """Run `task`; any failure is the job's `error` (with the exception), never the worker's."""
    try:
        if task.kind == "solve":
            return run_solve(task, report)
        if task.kind == "propose":
            return run_propose(task, report)
        return TaskOutcome("error", {"message": f"unknown job kind {task.kind!r}"}, None, {})
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return TaskOutcome("error", {"message": f"internal error: {detail}"}, None, {"phase": "error"})
