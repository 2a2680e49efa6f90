"""Worker pools: where the service's jobs run.  `WorkerPool` is the whole interface the server uses;
`LocalWorkerPool` implements it with local processes, and a Ray backend can implement it the same way.

The contract (`WorkerPool`):
- `capacity` tasks run at once; `idle()` says how many more `submit` may start now.
- `submit(task)` starts a `tasks.Task`; the pool later reports it through `poll`.
- `poll(timeout)` returns the events since the last call: `progress` (a dict of counts) any number of
  times, then exactly one `finished` (a `tasks.TaskOutcome`) per submitted task, unless it was cancelled.
  A worker that dies mid-task yields a `finished` event with status `error`.
- `cancel(job_id)` stops that task now (its `finished` never comes); False if the pool does not run it.
- `close()` stops everything.  Only the server's dispatcher thread calls the pool.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from typing import Any, Protocol

from tonggeo.service.tasks import Task, TaskOutcome, run_task

WORKER_NICENESS = 5


@dataclass(frozen=True, slots=True)
class WorkerEvent:
    """`kind` 'progress' (with `progress`) or 'finished' (with `outcome`) for the job `job_id`."""

    job_id: str
    kind: str
    progress: dict[str, Any] = field(default_factory=dict)
    outcome: TaskOutcome | None = None


class WorkerPool(Protocol):
    """Runs tasks somewhere and reports on them (see the module docstring)."""

    @property
    def capacity(self) -> int: ...

    def idle(self) -> int: ...

    def submit(self, task: Task) -> None: ...

    def poll(self, timeout: float) -> list[WorkerEvent]: ...

    def cancel(self, job_id: str) -> bool: ...

    def close(self) -> None: ...


def _watch_parent(parent: int) -> None:
    """Exit as soon as the server that started this worker is gone (e.g. `kill -9`): no orphans."""
    while True:
        if os.getppid() != parent:
            os._exit(3)
        time.sleep(0.5)


def _warm_up() -> None:
    """Import and compile what jobs use, once per worker, so the first job is not the slow one."""
    import numpy as np

    from solvers import Budget, get_solver
    from tonggeo.dsl import parse_problem

    problem = parse_problem("a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c")
    get_solver("ddar").solve(problem, Budget(seconds=60.0), np.random.default_rng(0))


def _worker_main(inbox: Queue[Task | None], outbox: Queue[WorkerEvent], parent: int, warm: bool) -> None:
    os.nice(WORKER_NICENESS)  # the server answers clients first; solving takes what is left
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if warm:
        try:
            _warm_up()
        except Exception:  # a failed warm-up only costs the first job its compile time
            pass
    while True:
        task = inbox.get()
        if task is None:
            return
        job_id = task.job_id

        def report(progress: dict[str, Any], job_id: str = job_id) -> None:
            outbox.put(WorkerEvent(job_id, "progress", progress=progress))

        outcome = run_task(task, report)
        outbox.put(WorkerEvent(job_id, "finished", outcome=outcome))


@dataclass
class _Slot:
    process: SpawnProcess
    inbox: Queue[Task | None]
    job_id: str | None = None


class LocalWorkerPool:
    """`workers` long-lived worker processes (spawned, so no server thread or lock is inherited), one task
    each at a time.  Cancelling a task kills its process and starts a fresh one in its place."""

    def __init__(self, workers: int, warm: bool = True) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self._ctx = multiprocessing.get_context("spawn")
        self._outbox: Queue[WorkerEvent] = self._ctx.Queue()
        self._warm = warm
        self._slots = [self._start() for _ in range(workers)]

    def _start(self) -> _Slot:
        inbox: Queue[Task | None] = self._ctx.Queue()
        process = self._ctx.Process(
            target=_worker_main,
            args=(inbox, self._outbox, os.getpid(), self._warm),
            daemon=True,
            name="tonggeo-service-worker",
        )
        process.start()
        return _Slot(process, inbox)

    @property
    def capacity(self) -> int:
        return len(self._slots)

    def idle(self) -> int:
        return sum(s.job_id is None for s in self._slots)

    def running(self) -> set[str]:
        return {s.job_id for s in self._slots if s.job_id is not None}

    def submit(self, task: Task) -> None:
        slot = next((s for s in self._slots if s.job_id is None), None)
        if slot is None:
            raise RuntimeError("no idle worker")
        slot.job_id = task.job_id
        slot.inbox.put(task)

    def _replace(self, index: int) -> None:
        old = self._slots[index]
        if old.process.is_alive():
            old.process.kill()
        old.process.join(timeout=5)
        old.inbox.cancel_join_thread()
        old.inbox.close()
        self._slots[index] = self._start()

    def cancel(self, job_id: str) -> bool:
        for index, slot in enumerate(self._slots):
            if slot.job_id == job_id:
                self._replace(index)
                return True
        return False

    def poll(self, timeout: float) -> list[WorkerEvent]:
        events: list[WorkerEvent] = []
        try:
            events.append(self._outbox.get(timeout=timeout))
            while True:
                events.append(self._outbox.get_nowait())
        except queue.Empty:
            pass
        running = {s.job_id for s in self._slots}
        events = [e for e in events if e.job_id in running]  # a cancelled task's late words are dropped
        for event in events:
            if event.kind == "finished":
                for slot in self._slots:
                    if slot.job_id == event.job_id:
                        slot.job_id = None
        for index, slot in enumerate(self._slots):
            if not slot.process.is_alive():
                if slot.job_id is not None:
                    message = f"the worker process died (exit status {slot.process.exitcode})"
                    events.append(
                        WorkerEvent(
                            slot.job_id,
                            "finished",
                            outcome=TaskOutcome("error", {"message": message}, None, {}),
                        )
                    )
                self._replace(index)
        return events

    def close(self) -> None:
        for slot in self._slots:
            if slot.process.is_alive():
                slot.process.kill()
        for slot in self._slots:
            slot.process.join(timeout=5)
            slot.inbox.cancel_join_thread()
            slot.inbox.close()
        self._outbox.cancel_join_thread()
        self._outbox.close()
