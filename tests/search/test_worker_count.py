"""How many processes one search forks: every core when run alone, one inside a larger run's worker (a
pool's child process, or a Ray task of one CPU, which `one_worker` marks)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

from solvers.base import Budget
from solvers.search.pool import in_worker, one_worker
from solvers.search.strategy import _worker_count
from tonggeo.config import DEFAULT_SEARCH


def _count_in_child() -> tuple[bool, int]:
    return in_worker(), _worker_count(DEFAULT_SEARCH, Budget(seconds=1.0))


def test_alone_the_search_uses_every_core() -> None:
    assert not in_worker()
    assert _worker_count(DEFAULT_SEARCH, Budget(seconds=1.0)) == (os.cpu_count() or 1)


def test_inside_one_worker_the_search_runs_alone_and_the_mark_is_undone() -> None:
    with one_worker():
        assert in_worker()
        assert _worker_count(DEFAULT_SEARCH, Budget(seconds=1.0)) == 1
        assert _worker_count(DEFAULT_SEARCH, Budget(seconds=1.0, jobs=3)) == 3  # an explicit ask wins
    assert not in_worker()


def test_a_pool_child_process_runs_alone() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_count_in_child).result(timeout=60) == (True, 1)
