"""`tonggeo solve --ray`: every problem is a Ray task (the unit `--jobs` runs in a local process), and
within a problem the search's branches (ranking a state, building a child) are Ray tasks too when the
cluster has more CPUs than problems: a problem gets `cpus // problems` branch slots.  The first verified
proof cancels the problem's other branches.  A problem whose worker died is retried by Ray; past the
retries it is reported as an error, and the other problems go on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

from solvers.report import SolveReport, solve_one
from tonggeo.distributed.cluster import describe, ray_cluster
from tonggeo.dsl import Problem

PROBLEM_RETRIES = 2
"""Times Ray re-runs a problem whose worker (or node) died."""


def branch_slots(cpus: int, problems: int) -> int:
    """Search branches one problem may run at a time on a cluster of `cpus` CPUs (1: inline)."""
    return max(1, cpus // max(1, problems))


def solve_remote(problem: Problem, solver: str, timeout: float, seed: int, with_aux: bool,
                 branches: int) -> SolveReport:
    """The Ray task of one problem: `solve_one`, its search branches as Ray tasks (`branches` at a time)
    or, with one slot, in this worker (never forked per core of the node: other problems share it)."""
    from solvers.search.expand import Engine
    from solvers.search.pool import Executor, InlineExecutor, RayExecutor, executor_override

    def executor(engine: Engine, jobs: int) -> Executor:
        del jobs  # the node's core count: not this problem's share of the cluster
        return RayExecutor(engine, branches) if branches > 1 else InlineExecutor(engine)

    with executor_override(executor):
        return solve_one(problem, solver, timeout, seed, with_aux)


def solve_on_cluster(
    problems: Sequence[Problem],
    solver: str,
    timeout: float,
    seed: int,
    with_aux: bool,
    address: str,
) -> Iterator[SolveReport]:
    """The problems' outcomes as they finish, solved on the cluster at `address`."""
    if not problems:
        return
    with ray_cluster(address) as cluster:
        import ray

        branches = branch_slots(cluster.cpus, len(problems))
        remote = ray.remote(num_cpus=1, max_retries=PROBLEM_RETRIES)(solve_remote)
        pending: dict[Any, Problem] = {
            remote.remote(p, solver, timeout, seed, with_aux, branches): p for p in problems
        }
        started = time.monotonic()
        try:
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    problem = pending.pop(ref)
                    try:
                        yield ray.get(ref)
                    except ray.exceptions.RayError as exc:
                        yield SolveReport(problem.name, "error", time.monotonic() - started, 0, (),
                                      f"failed on the cluster: {describe(exc)}")
        finally:
            for ref in pending:
                ray.cancel(ref, force=True)
