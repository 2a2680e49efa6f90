"""The dispatcher: one thread in the server that moves jobs from the store to the worker pool and the
pool's reports back into the store.  It is the only caller of the pool; cancellations reach it through
a queue."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from tonggeo.service.store import Job, JobStore
from tonggeo.service.tasks import PolicyBackend, Task
from tonggeo.service.workers import WorkerPool


class Dispatcher:
    """Runs queued jobs on `pool`, oldest first, as workers free up; records progress and results."""

    def __init__(self, store: JobStore, pool: WorkerPool, backend: PolicyBackend, data: Path) -> None:
        self.store, self.pool, self.backend, self.data = store, pool, backend, data
        self._cancels: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="tonggeo-dispatcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.pool.close()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def cancel(self, job_id: str) -> None:
        """Ask the worker running `job_id` (if any) to stop; the store already says `cancelled`."""
        self._cancels.put(job_id)

    def _task(self, job: Job) -> Task:
        folder = self.data / "jobs" / job.id
        return Task(job.id, job.kind, job.request, self.backend, str(folder))

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:  # a failing round is retried; the server stays up
                self._stop.wait(0.5)

    def _step(self) -> None:
        while True:
            try:
                self.pool.cancel(self._cancels.get_nowait())
            except queue.Empty:
                break
        while self.pool.idle() > 0:
            job = self.store.claim()
            if job is None:
                break
            self.pool.submit(self._task(job))
        for event in self.pool.poll(timeout=0.2):
            if event.kind == "progress":
                self.store.set_progress(event.job_id, event.progress)
            elif event.outcome is not None:
                outcome = event.outcome
                self.store.finish(
                    event.job_id, outcome.status, outcome.result, outcome.figure, outcome.progress or None
                )
