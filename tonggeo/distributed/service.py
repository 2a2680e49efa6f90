"""The service's worker pool on Ray (`tonggeo serve --ray ADDRESS|auto|local`): the `WorkerPool` contract
of `tonggeo.service.workers`, each job one Ray task of one CPU running the same `tasks.run_task` a local
worker runs.

Progress travels through one small actor (`Board`, no CPU) that tasks post to and the pool drains; a job's
progress is dropped once its `finished` event was reported, so `finished` is always its last word.
Proposing jobs run on the server's node, because their files go to the server's data folder; solve jobs
run anywhere.  A job whose worker dies is not retried (the contract: it finishes with status `error`).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from tonggeo.distributed.cluster import Cluster, connect, describe
from tonggeo.service.tasks import Task, TaskOutcome, run_task
from tonggeo.service.workers import WorkerEvent


class Board:
    """The actor collecting progress reports: tasks `post`, the pool `drain`s."""

    def __init__(self) -> None:
        self.events: deque[WorkerEvent] = deque()

    def post(self, event: WorkerEvent) -> None:
        self.events.append(event)

    def drain(self) -> list[WorkerEvent]:
        out = list(self.events)
        self.events.clear()
        return out


def run_job(task: Task, board: Any) -> TaskOutcome:
    """The Ray task of one job: `run_task`, its progress posted to the board (fire and forget)."""

    def report(progress: dict[str, Any]) -> None:
        board.post.remote(WorkerEvent(task.job_id, "progress", progress=dict(progress)))

    from solvers.search.pool import one_worker

    with one_worker():  # the task holds one CPU: its search must not fork one process per core of the node
        return run_task(task, report)


class RayWorkerPool:
    """`workers` jobs at a time as Ray tasks on the cluster at `address` (see the module docstring)."""

    def __init__(self, workers: int, address: str) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        self._ray = ray
        self.workers = workers
        self.cluster: Cluster
        self.cluster, self._owned = connect(address)
        self._board: Any = ray.remote(num_cpus=0)(Board).remote()
        self._job = ray.remote(num_cpus=1, max_retries=0)(run_job)
        self._here = NodeAffinitySchedulingStrategy(node_id=self.cluster.driver_node, soft=False)
        self._running: dict[str, Any] = {}

    @property
    def capacity(self) -> int:
        return self.workers

    def idle(self) -> int:
        return self.workers - len(self._running)

    def running(self) -> set[str]:
        return set(self._running)

    def submit(self, task: Task) -> None:
        if not self.idle():
            raise RuntimeError("no idle worker")
        remote = self._job.options(scheduling_strategy=self._here) if task.kind == "propose" else self._job
        self._running[task.job_id] = remote.remote(task, self._board)

    def cancel(self, job_id: str) -> bool:
        ref = self._running.pop(job_id, None)
        if ref is None:
            return False
        self._ray.cancel(ref, force=True)
        return True

    def poll(self, timeout: float) -> list[WorkerEvent]:
        ray = self._ray
        refs = {ref: job for job, ref in self._running.items()}
        ready: list[Any] = []
        if refs:
            ready, _ = ray.wait(list(refs), num_returns=len(refs), timeout=max(timeout, 0.0))
        progress = [e for e in ray.get(self._board.drain.remote()) if e.job_id in self._running]
        if not refs and not progress and timeout > 0:
            self._sleep(timeout)
        finished: list[WorkerEvent] = []
        for ref in ready:
            job = refs[ref]
            del self._running[job]
            try:
                outcome: TaskOutcome = ray.get(ref)
            except ray.exceptions.RayError as exc:
                message = f"the job's Ray worker failed: {describe(exc)}"
                outcome = TaskOutcome("error", {"message": message}, None, {})
            finished.append(WorkerEvent(job, "finished", outcome=outcome))
        return progress + finished

    def _sleep(self, seconds: float) -> None:
        import time

        time.sleep(min(seconds, 0.5))

    def close(self) -> None:
        ray = self._ray
        for ref in self._running.values():
            ray.cancel(ref, force=True)
        self._running.clear()
        ray.kill(self._board)
        if self._owned:
            ray.shutdown()
