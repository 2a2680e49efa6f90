"""A proposing run on a Ray cluster: `tonggeo.propose.run.propose` itself (the same driver loop, progress,
index, outputs and stats.json), with its walks run as Ray tasks by `RayPool` instead of local processes.

The dedup index has one owner, the driver: it inserts every finished problem into the run's SQLite index
and emits only those the index reports new, so no problem is emitted twice however many workers find it.
Walks on the driver's node read the index to skip known keys, as local workers do; walks elsewhere finish
their candidates and the driver drops the repeats.

A worker that dies loses only its current walk: Ray runs the task again (`WALK_RETRIES` times) with the
same seed, and nothing of the lost attempt reached the driver.  Past the retries the walk counts in
`walks_lost` (as an empty walk) and the run goes on.  stats.json gets the local run's fields plus `nodes`
(nodes that ran at least one walk), `cluster_nodes`, `address`, `walks_dispatched` and `walks_lost`.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path
from types import TracebackType
from typing import Any

from tonggeo.distributed.cluster import ray_cluster
from tonggeo.propose.pipeline import TaskResult
from tonggeo.propose.run import RunStats, propose

WALK_RETRIES = 3
"""Times Ray re-runs a walk whose worker (or node) died."""

_Call = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def traced(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """The Ray task: the call, and the node it ran on."""
    import ray

    return ray.get_runtime_context().get_node_id(), fn(*args, **kwargs)


class RayPool(Executor):
    """A `concurrent.futures.Executor` whose calls are Ray tasks of one CPU, `workers` at a time; the
    others wait here (cancellable, as in a process pool).  One thread talks to Ray: it starts waiting
    calls as slots free up and resolves the futures of finished ones."""

    def __init__(self, workers: int, *, retries: int = WALK_RETRIES) -> None:
        import ray

        self._ray = ray
        self.workers = max(1, workers)
        self._remote = ray.remote(num_cpus=1, max_retries=retries)(traced)
        self._lock = threading.Lock()
        self._waiting: deque[_Call] = deque()
        self._running: dict[Any, Future[Any]] = {}
        self._stop = threading.Event()
        self.nodes: set[str] = set()
        self.dispatched = 0
        self.lost = 0
        self._thread = threading.Thread(target=self._serve, name="ray-pool", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            self._waiting.append((future, fn, args, kwargs))
        return future

    def _start_waiting(self) -> None:
        with self._lock:
            while self._waiting and len(self._running) < self.workers:
                future, fn, args, kwargs = self._waiting.popleft()
                if future.set_running_or_notify_cancel():
                    self._running[self._remote.remote(fn, *args, **kwargs)] = future
                    self.dispatched += 1

    def _serve(self) -> None:
        ray = self._ray
        while not self._stop.is_set():
            self._start_waiting()
            with self._lock:
                refs = list(self._running)
            if not refs:
                self._stop.wait(0.05)
                continue
            ready, _ = ray.wait(refs, num_returns=1, timeout=0.2)
            for ref in ready:
                with self._lock:
                    future = self._running.pop(ref)
                try:
                    node, result = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:  # the call itself raised: as in a process pool
                    future.set_exception(exc.as_instanceof_cause())
                    continue
                except ray.exceptions.RayError:  # its worker died past the retries, or it was cancelled
                    self.lost += 1
                    future.set_result(TaskResult((), 0, 0.0, 0))
                    continue
                self.nodes.add(node)
                future.set_result(result)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            if cancel_futures or not wait:
                for future, *_ in self._waiting:
                    future.cancel()
                self._waiting.clear()
        if wait:
            while True:
                with self._lock:
                    if not self._running and not self._waiting:
                        break
                self._stop.wait(0.05)
        self._stop.set()
        self._thread.join(timeout=5)
        for ref, future in list(self._running.items()):
            self._ray.cancel(ref, force=True)
            future.cancel()
        self._running.clear()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.shutdown(wait=kind is None, cancel_futures=kind is not None)


def propose_on_cluster(
    out: Path, *, address: str, jobs: int = 1, max_workers: int | None = None, **options: Any
) -> RunStats:
    """`tonggeo.propose.run.propose(out, **options)` with its walks on the cluster at `address`: every CPU
    of the cluster runs walks (or `max_workers` of them at a time); `jobs` is ignored."""
    del jobs
    pools: list[RayPool] = []

    def pool(workers: int) -> RayPool:
        pools.append(RayPool(workers))
        return pools[-1]

    with ray_cluster(address) as cluster:
        workers = max(1, min(cluster.cpus, max_workers or cluster.cpus))
        stats = propose(out.resolve(), jobs=workers, executor=pool, **options)
    extra = {
        "nodes": len(set().union(*(p.nodes for p in pools))),
        "cluster_nodes": cluster.nodes,
        "address": address,
        "walks_dispatched": sum(p.dispatched for p in pools),
        "walks_lost": sum(p.lost for p in pools),
    }
    path = out / "stats.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, **extra}, indent=1) + "\n", encoding="utf-8")
    return stats
