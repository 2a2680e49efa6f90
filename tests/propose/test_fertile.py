"""The default choice of walks (`tonggeo.propose.arms.Fertile`): symmetry by CPU share as in `Turns`, and
within each kind the CPU goes to the bases whose recent walks let aux problems into the run (the credit
`propose` passes to `record`), while every base keeps its exploration share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.dsl import load_problems
from tonggeo.propose.arms import Fertile
from tonggeo.propose.pipeline import Task, TaskResult
from tonggeo.propose.run import propose

BASES = ["segment", "triangle", "quadrangle"]

Yield = Callable[[Task], tuple[float, int]]
"""A fake walk: its CPU seconds and the aux problems it lets into the run (its credit)."""


def _simulate(chooser: Fertile, walks: int, walk: Yield, in_flight: int = 4) -> list[Task]:
    """Start `in_flight` walks, then one more each time the oldest finishes (a pool of workers)."""
    flying = [chooser.next() for _ in range(in_flight)]
    drawn = list(flying)
    while len(drawn) < walks:
        done = flying.pop(0)
        cpu, new = walk(done)
        result = TaskResult(proposals=(), found=new, seconds=cpu, walk_points=8, cpu_seconds=cpu)
        chooser.record(done, result, new)
        task = chooser.next()
        flying.append(task)
        drawn.append(task)
    return drawn


def _segment_fertile(task: Task) -> tuple[float, int]:
    """Symmetric walks cost ten plain ones; only the segment base returns aux problems (3 a walk)."""
    return (20.0 if task.symmetric else 2.0), (3 if task.base == "segment" else 0)


def _cpu(drawn: list[Task], walk: Yield, keep: Callable[[Task], bool]) -> float:
    return sum(walk(t)[0] for t in drawn if keep(t))


@pytest.mark.parametrize("share", [0.25, 0.5])
def test_symmetric_cpu_share_holds(share: float) -> None:
    drawn = _simulate(Fertile(BASES, share, seed=4), 600, _segment_fertile)
    symmetric = _cpu(drawn, _segment_fertile, lambda t: t.symmetric)
    assert abs(symmetric / _cpu(drawn, _segment_fertile, lambda t: True) - share) < 0.04


def test_fertile_base_takes_the_cpu_and_the_rest_keep_their_share() -> None:
    chooser = Fertile(BASES, 0.5, seed=2)
    drawn = _simulate(chooser, 900, _segment_fertile)[300:]
    for symmetric in (True, False):
        kind = [t for t in drawn if t.symmetric == symmetric]
        segment = sum(t.base == "segment" for t in kind) / len(kind)
        assert segment > 0.7  # bases in turn would give a third
        for base in BASES[1:]:  # a barren base is still walked: its explore share
            assert sum(t.base == base for t in kind) / len(kind) > 0.5 * chooser.explore / len(BASES)
    assert len({t.seed for t in drawn}) == len(drawn)


def test_a_base_that_stops_yielding_loses_its_odds() -> None:
    chooser = Fertile(BASES, 0.5, seed=5)
    _simulate(chooser, 300, _segment_fertile)
    assert max(chooser.odds(False), key=chooser.odds(False).__getitem__) == "segment"
    _simulate(chooser, 300, lambda t: (2.0, 3 if t.base == "triangle" else 0))
    odds = chooser.odds(False)
    assert max(odds, key=odds.__getitem__) == "triangle"
    assert odds["segment"] < 0.5 * odds["triangle"]


def test_odds_before_any_walk_are_uniform_and_sum_to_one() -> None:
    odds = Fertile(BASES, 0.5, seed=1).odds(True)
    assert abs(sum(odds.values()) - 1.0) < 1e-9
    assert max(odds.values()) - min(odds.values()) < 1e-12


def test_same_seed_same_walks() -> None:
    assert (_simulate(Fertile(BASES, 0.5, seed=9), 80, _segment_fertile)
            == _simulate(Fertile(BASES, 0.5, seed=9), 80, _segment_fertile))


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match="no bases"):
        Fertile([], 0.5, seed=1)
    with pytest.raises(ValueError, match=r"decay 0\.0"):
        Fertile(BASES, 0.5, seed=1, decay=0.0)


def test_a_run_draws_its_bases_by_fertility(tmp_path: Path) -> None:
    config = replace(DEFAULT_PROPOSE, base_choice="fertile", depth=3, task_seconds=3.0, figures=0)
    stats = propose(tmp_path / "run", seconds=6, seed=2, bases=["iso_triangle", "triangle"], config=config)
    assert stats.walks >= 1
    assert len(load_problems(tmp_path / "run" / "problems.txt")) == stats.unique
