"""CPU-time budgets: caps counted in process CPU seconds, handed to wall-clock saturations by share."""

from __future__ import annotations

import math

import pytest

from tonggeo.propose.budget import CpuBudget


class Clocks:
    def __init__(self) -> None:
        self.cpu = 0.0
        self.wall = 0.0

    def run(self, wall: float, share: float) -> None:
        self.wall += wall
        self.cpu += wall * share


def budget(clocks: Clocks, seconds: float, **kw: float) -> CpuBudget:
    return CpuBudget(seconds, cpu=lambda: clocks.cpu, wall=lambda: clocks.wall, **kw)


def test_spent_counts_cpu_not_wall() -> None:
    clocks = Clocks()
    b = budget(clocks, 10.0)
    clocks.run(30.0, 0.25)  # 30 wall seconds at a quarter of a core: 7.5 CPU seconds
    assert not b.spent()
    assert b.used() == pytest.approx(7.5)
    assert b.left() == pytest.approx(2.5)
    clocks.run(10.0, 0.25)
    assert b.spent()


def test_wall_seconds_stretch_with_the_measured_share() -> None:
    clocks = Clocks()
    b = budget(clocks, 100.0)
    assert b.wall_seconds(8.0) == pytest.approx(8.0)  # no history yet: share 1
    clocks.run(20.0, 0.25)
    assert b.share() == pytest.approx(0.25)
    assert b.wall_seconds(8.0) == pytest.approx(32.0)
    clocks.run(20.0, 1.0)
    assert b.share() == pytest.approx(0.625)


def test_wall_seconds_never_exceed_what_is_left() -> None:
    clocks = Clocks()
    b = budget(clocks, 10.0)
    clocks.run(9.0, 1.0)
    assert b.wall_seconds(8.0) == pytest.approx(1.0)
    clocks.run(2.0, 1.0)
    assert b.wall_seconds(8.0) == 0.0


def test_share_is_clamped() -> None:
    clocks = Clocks()
    b = budget(clocks, math.inf, min_share=0.1)
    clocks.run(10.0, 0.0)
    assert b.share() == pytest.approx(0.1)
    assert b.wall_seconds(1.0) == pytest.approx(10.0)


def test_real_clocks_measure_this_process() -> None:
    b = CpuBudget(1e6)
    total = 0
    for i in range(200_000):
        total += i * i
    assert total > 0
    assert 0.0 <= b.used() < 60.0
    assert 0.0 < b.share() <= 1.0


def test_a_walk_stops_at_its_cpu_budget() -> None:
    """A deep walk that would run for minutes stops once it has used `task_seconds` of CPU time (a
    saturation is capped by what is left, so the overrun is one rule plan or one emission at most)."""
    from dataclasses import replace

    from tonggeo.config import DEFAULT_PROPOSE
    from tonggeo.propose.pipeline import Task, run_task

    config = replace(DEFAULT_PROPOSE, depth=20, max_walk_points=30, max_branch_points=30, task_seconds=4.0)
    run_task(Task("triangle", False, (3, 1)), config=replace(config, task_seconds=0.5))  # compiles, loads
    result = run_task(Task("quadrangle", False, (3, 0)), config=config)
    assert result.cpu_seconds < 4.0 + 6.0
    assert result.walk_points > 4  # it did walk before stopping
