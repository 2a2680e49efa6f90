"""Where the search's tasks run: in this process, or in worker processes started for one search.

Workers are forked after the root is saturated and the engine built, so they inherit the rules, plans,
policy and value instead of rebuilding them.  They take tasks from one shared queue (whoever is free
takes the next) and are terminated as soon as the search ends: the first verified proof stops the rest.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import queue
import time
from collections import deque
from typing import Protocol

from solvers.search.expand import Engine, run_task
from solvers.search.tasks import Result, Task


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


def can_fork_workers() -> bool:
    """Worker processes need the fork start method and a parent that may have children (a daemonic
    process, e.g. a worker of `tonggeo solve --jobs`, may not)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return not multiprocessing.process.current_process().daemon


def make_executor(engine: Engine, jobs: int) -> Executor:
    if jobs > 1 and can_fork_workers():
        return ProcessExecutor(engine, jobs)
    return InlineExecutor(engine)
