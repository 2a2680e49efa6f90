"""Where the search's tasks run: in this process, in worker processes started for one search, or as Ray
tasks anywhere on a cluster.

Workers are forked after the root is saturated and the engine built, so they inherit the rules, plans,
policy and value instead of rebuilding them.  They take tasks from one shared queue (whoever is free
takes the next) and are terminated as soon as the search ends: the first verified proof stops the rest.
On Ray (`RayExecutor`, imported lazily) the engine travels once through the object store, less its
compiled plans, which each worker rebuilds (milliseconds); closing cancels every task still running.
`executor_override` makes `make_executor` build another executor (e.g. inside a Ray task, where forking
one worker per core of the node would oversubscribe it).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import queue
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Protocol

from solvers.search.expand import Engine, run_task
from solvers.search.policy import Policy
from solvers.search.tasks import ChildResult, ChildTask, RankResult, RankTask, Result, Task
from solvers.search.value import Value
from tonggeo.config import DdarConfig, SearchConfig
from tonggeo.ddar.rules import Rule


class Executor(Protocol):
    def submit(self, task: Task) -> None: ...

    def next_result(self, deadline: float) -> Result | None:
        """The next finished task's result, or None when none comes before `deadline` (monotonic)
        or nothing is pending."""
        ...

    @property
    def pending(self) -> int: ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs each task in this process when its result is asked for, in submission order."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.tasks: deque[Task] = deque()

    def submit(self, task: Task) -> None:
        self.tasks.append(task)

    def next_result(self, deadline: float) -> Result | None:
        if not self.tasks or time.monotonic() >= deadline:
            return None
        return run_task(self.tasks.popleft(), self.engine)

    @property
    def pending(self) -> int:
        return len(self.tasks)

    def close(self) -> None:
        self.tasks.clear()


def _serve(
    engine: Engine, inbox: multiprocessing.Queue[Task | None], outbox: multiprocessing.Queue[Result]
) -> None:
    while True:
        task = inbox.get()
        if task is None:
            return
        outbox.put(run_task(task, engine))


class ProcessExecutor:
    """`jobs` forked worker processes sharing one task queue."""

    def __init__(self, engine: Engine, jobs: int) -> None:
        context = multiprocessing.get_context("fork")
        self.inbox: multiprocessing.Queue[Task | None] = context.Queue()
        self.outbox: multiprocessing.Queue[Result] = context.Queue()
        self.workers = [
            context.Process(target=_serve, args=(engine, self.inbox, self.outbox), daemon=True)
            for _ in range(jobs)
        ]
        for worker in self.workers:
            worker.start()
        self._pending = 0

    def submit(self, task: Task) -> None:
        self.inbox.put(task)
        self._pending += 1

    def next_result(self, deadline: float) -> Result | None:
        while self._pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                result = self.outbox.get(timeout=min(left, 1.0))
            except queue.Empty:
                if not any(w.is_alive() for w in self.workers):
                    raise RuntimeError("every search worker died") from None
                continue
            self._pending -= 1
            return result
        return None

    @property
    def pending(self) -> int:
        return self._pending

    def close(self) -> None:
        for worker in self.workers:
            if worker.is_alive():
                worker.terminate()
        for worker in self.workers:
            worker.join(timeout=5)
        for q in (self.inbox, self.outbox):
            q.cancel_join_thread()
            q.close()


_ONE_WORKER: ContextVar[bool] = ContextVar("search_one_worker", default=False)


@contextmanager
def one_worker() -> Iterator[None]:
    """Within the block, a search runs as a worker of a larger run does: alone, on one core, whatever the
    machine's core count (e.g. a Ray task of one CPU, which is not a child of a multiprocessing parent)."""
    token = _ONE_WORKER.set(True)
    try:
        yield
    finally:
        _ONE_WORKER.reset(token)


def in_worker() -> bool:
    """Whether this search is one worker of a larger run: a pool's child process, or inside `one_worker`."""
    return _ONE_WORKER.get() or multiprocessing.parent_process() is not None


def can_fork_workers() -> bool:
    """Worker processes need the fork start method and a parent that may have children (a daemonic
    process, e.g. a worker of `tonggeo solve --jobs`, may not)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return not multiprocessing.process.current_process().daemon


ExecutorFactory = Callable[[Engine, int], Executor]
_OVERRIDE: ContextVar[ExecutorFactory | None] = ContextVar("search_executor", default=None)


@contextmanager
def executor_override(factory: ExecutorFactory | None) -> Iterator[None]:
    """Within the block, `make_executor(engine, jobs)` returns `factory(engine, jobs)` (None: the default)."""
    token = _OVERRIDE.set(factory)
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def make_executor(engine: Engine, jobs: int) -> Executor:
    factory = _OVERRIDE.get()
    if factory is not None:
        return factory(engine, jobs)
    if jobs > 1 and can_fork_workers():
        return ProcessExecutor(engine, jobs)
    return InlineExecutor(engine)


@dataclass(frozen=True)
class EngineSpec:
    """An `Engine` as it crosses to another machine: everything but the compiled plans (closures, which
    do not pickle), rebuilt there from the rules.  `token` names one search's engine in a worker's cache."""

    token: str
    rules: tuple[Rule, ...]
    ddar: DdarConfig
    search: SearchConfig
    policy: Policy
    value: Value

    @staticmethod
    def of(engine: Engine) -> EngineSpec:
        return EngineSpec(uuid.uuid4().hex, engine.rules, engine.ddar, engine.search, engine.policy,
                          engine.value)

    def build(self) -> Engine:
        from tonggeo.ddar.saturate import plans_for

        plans = tuple(plans_for(self.rules, self.ddar))
        return Engine(self.rules, plans, self.ddar, self.search, self.policy, self.value)


_ENGINES: dict[str, Engine] = {}


def _on_wall_clock(task: Task, to_wall: bool) -> Task:
    """A child task's deadline moved between this machine's monotonic clock and the wall clock (monotonic
    clocks of different machines have different origins)."""
    if not isinstance(task, ChildTask):
        return task
    shift = time.time() - time.monotonic()
    return replace(task, deadline=task.deadline + (shift if to_wall else -shift))


def run_remote(spec: EngineSpec, task: Task) -> Result:
    """A Ray task: one search task on whichever worker Ray chose (its engine built once per search)."""
    engine = _ENGINES.get(spec.token)
    if engine is None:
        _ENGINES.clear()
        engine = _ENGINES[spec.token] = spec.build()
    return run_task(_on_wall_clock(task, to_wall=False), engine)


def _lost(task: Task, error: str) -> Result:
    if isinstance(task, RankTask):
        return RankResult(task.node_id, (), 0.0, error)
    return ChildResult(task.task_id, task.node_id, "failed", batch=task.batch, error=error)


class RayExecutor:
    """Each task a Ray task (one CPU) wherever the cluster has room, at most `jobs` at a time; the rest
    wait here in submission order.  A task whose worker died is retried by Ray (`retries` times), then
    reported failed, so the search goes on.  `close` cancels (kills) every task still running and confirms
    it: the first verified proof stops the rest.  Needs a connected Ray (`ray.init`)."""

    def __init__(self, engine: Engine, jobs: int, *, retries: int = 2) -> None:
        import ray

        self._ray = ray
        self.jobs = max(1, jobs)
        self.spec = ray.put(EngineSpec.of(engine))
        self.remote = ray.remote(num_cpus=1, max_retries=retries)(run_remote)
        self.waiting: deque[Task] = deque()
        self.running: dict[Any, Task] = {}

    def _fill(self) -> None:
        while self.waiting and len(self.running) < self.jobs:
            task = self.waiting.popleft()
            self.running[self.remote.remote(self.spec, _on_wall_clock(task, to_wall=True))] = task

    def submit(self, task: Task) -> None:
        self.waiting.append(task)
        self._fill()

    def next_result(self, deadline: float) -> Result | None:
        ray = self._ray
        while self.running:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _ = ray.wait(list(self.running), num_returns=1, timeout=min(left, 1.0))
            if not ready:
                continue
            task = self.running.pop(ready[0])
            self._fill()
            try:
                result: Result = ray.get(ready[0])
            except ray.exceptions.RayError as exc:
                cause = getattr(exc, "cause", None)
                return _lost(task, f"failed on the cluster: {type(cause or exc).__name__}: {cause or exc}")
            return result
        return None

    @property
    def pending(self) -> int:
        return len(self.waiting) + len(self.running)

    def close(self, confirm: float = 10.0) -> None:
        """Cancel (kill) every task still running and wait, up to `confirm` seconds, until Ray reports each
        one ended, cancelling again those it does not: `ray.cancel` only sends the request, and one that
        crosses a task still being handed to its worker can be missed, leaving that task to run its course."""
        self.waiting.clear()
        refs = list(self.running)
        self.running.clear()
        end = time.monotonic() + confirm
        while refs:
            for ref in refs:
                self._ray.cancel(ref, force=True)
            left = end - time.monotonic()
            if left <= 0:
                break
            _, refs = self._ray.wait(refs, num_returns=len(refs), timeout=min(left, 1.0))
