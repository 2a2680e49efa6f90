"""A proposing run on a Ray cluster: each walk (`pipeline.run_task`, the unit a local worker process
runs) is a Ray task; the dedup index has one owner (`index.IndexOwner`, an actor on the driver's node);
results stream back to the driver, which writes the outputs as a local run does.

A worker that dies loses only its current walk: Ray runs the task again (`WALK_RETRIES` times), with the
same seed, and nothing reached the driver from the lost attempt.  Past the retries the walk is counted
in `walks_lost` and the run goes on.  `stats.json` has the local run's fields plus `nodes` (nodes that
ran at least one walk), `cluster_nodes`, `address` and `walks_lost`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tonggeo.config import DEFAULT_PROPOSE, ProposeConfig
from tonggeo.distributed.cluster import ray_cluster
from tonggeo.distributed.index import KnownKeys, Row, start_index_owner
from tonggeo.propose.bases import BASES, UnknownBase
from tonggeo.propose.output import OutputWriter
from tonggeo.propose.pipeline import Task, TaskResult, run_task
from tonggeo.propose.run import RunStats, tasks

WALK_RETRIES = 3
"""Times Ray re-runs a walk whose worker (or node) died."""


@dataclass(slots=True)
class ClusterRunStats(RunStats):
    """A local run's counts, plus where the walks ran."""

    nodes: int = 0
    """Nodes that ran at least one walk."""
    cluster_nodes: int = 0
    address: str = ""
    walks_lost: int = 0
    """Walks whose worker died more than `WALK_RETRIES` times (their problems were never seen)."""
    node_ids: set[str] = field(default_factory=set, repr=False)

    def to_json(self) -> dict[str, object]:
        data = RunStats.to_json(self)
        data.pop("node_ids", None)
        data["nodes"] = len(self.node_ids)
        return data


def walk(task: Task, config: ProposeConfig, owner: Any, deadline: float) -> tuple[str, TaskResult]:
    """The Ray task: one walk, asking the index owner which keys are known; returns its node and result."""
    import ray

    node = ray.get_runtime_context().get_node_id()
    return node, run_task(task, config=config, known=KnownKeys(owner), deadline=deadline)


def propose_on_cluster(
    out: Path,
    *,
    address: str,
    seconds: float | None = None,
    count: int | None = None,
    seed: int = 0,
    jobs: int = 1,
    bases: Sequence[str] | None = None,
    index: Path | None = None,
    config: ProposeConfig = DEFAULT_PROPOSE,
    progress: Callable[[RunStats], None] | None = None,
    max_workers: int | None = None,
    walks: int | None = None,
) -> ClusterRunStats:
    """`tonggeo.propose.run.propose` on the cluster at `address` (`jobs` is ignored: every CPU of the
    cluster runs walks, or `max_workers` of them at a time).  `walks` is one more budget: the run's
    first `walks` walks, all of them (benchmarks compare cluster sizes on the same work)."""
    del jobs
    chosen = list(bases) if bases else list(config.bases)
    for name in chosen:
        if name not in BASES:
            raise UnknownBase(name)
    if seconds is None and count is None and walks is None:
        raise ValueError("give a time budget (seconds), a problem count or a number of walks")
    out.mkdir(parents=True, exist_ok=True)
    index_path = (index if index is not None else out / "index.sqlite").resolve()
    with ray_cluster(address) as cluster:
        import ray
        from ray.exceptions import RayTaskError

        start, cpu = time.monotonic(), time.process_time()
        deadline = time.time() + seconds if seconds is not None else float("inf")
        workers = max(1, min(cluster.cpus, max_workers or cluster.cpus))
        stats = ClusterRunStats(cores=workers, seed=seed, bases=chosen, cluster_nodes=cluster.nodes,
                                address=address)
        writer = OutputWriter(out)
        run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-seed{seed}"
        owner = start_index_owner(str(index_path), cluster.driver_node)
        remote = ray.remote(num_cpus=1, max_retries=WALK_RETRIES)(walk)
        config_ref = ray.put(config)
        workers_cpu = 0.0
        submitted = 0

        def done() -> bool:
            return (time.time() >= deadline or (count is not None and stats.unique >= count)
                    or (walks is not None and submitted >= walks))

        def take(node: str, result: TaskResult) -> None:
            nonlocal workers_cpu
            workers_cpu += result.cpu_seconds
            stats.walks += 1
            stats.node_ids.add(node)
            stats.extracted += result.found
            stats.duplicates += result.repeats
            proposals = list(result.proposals)
            while proposals and not (count is not None and stats.unique >= count):
                room = len(proposals) if count is None else count - stats.unique
                batch, proposals = proposals[:room], proposals[room:]
                new = ray.get(owner.add.remote([Row.of(p) for p in batch], run_id))
                for p, fresh in zip(batch, new, strict=True):
                    stats.problems += 1
                    if not fresh:
                        stats.duplicates += 1
                        continue
                    writer.add(p)
                    stats.unique += 1
                    stats.with_aux += bool(p.aux)
                    stats.symmetric += p.symmetric
                    stats.symmetric_with_aux += p.symmetric and bool(p.aux)

        source = tasks(seed, chosen, config)
        pending: set[Any] = set()
        try:
            while True:
                while not done() and len(pending) < 2 * workers:
                    pending.add(remote.remote(next(source), config_ref, owner, deadline))
                    submitted += 1
                if not pending:
                    break
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
                for ref in ready:
                    pending.discard(ref)
                    try:
                        node, result = ray.get(ref)
                    except RayTaskError:
                        raise  # a bug in the walk, as in a local run
                    except ray.exceptions.RayError:
                        stats.walks_lost += 1  # its worker died past the retries
                        continue
                    take(node, result)
                if count is not None and stats.unique >= count:
                    for ref in pending:  # their problems could not be emitted any more
                        ray.cancel(ref)
                    pending.clear()
                stats.seconds = time.monotonic() - start
                stats.cpu_seconds = time.process_time() - cpu + workers_cpu
                if progress is not None:
                    progress(stats)
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
            try:
                ray.get(owner.close.remote(), timeout=30)
            finally:
                ray.kill(owner)
        stats.seconds = time.monotonic() - start
        stats.cpu_seconds = time.process_time() - cpu + workers_cpu
    writer.close(stats.to_json(), figures=config.figures, seed=seed)
    return stats
