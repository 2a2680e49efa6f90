"""The default choice of walks (`tonggeo.propose.arms.Turns`): each kind takes the bases in turn, and with
`share_of` 'cpu' symmetric walks take `symmetric_share` of the CPU however costly a walk of each kind is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.propose.arms import Turns
from tonggeo.propose.pipeline import Task, TaskResult
from tonggeo.propose.run import propose

BASES = ["segment", "triangle", "iso_triangle"]


def _cost(symmetric: bool) -> TaskResult:
    cpu = 20.0 if symmetric else 2.0  # a symmetric walk costs ten plain ones
    return TaskResult(proposals=(), found=0, seconds=cpu, walk_points=8, cpu_seconds=cpu)


def _simulate(turns: Turns, walks: int, in_flight: int = 4) -> list[Task]:
    """Start `in_flight` walks, then one more each time the oldest finishes (a pool of workers)."""
    flying = [turns.next() for _ in range(in_flight)]
    drawn = list(flying)
    while len(drawn) < walks:
        done = flying.pop(0)
        turns.record(done, _cost(done.symmetric))
        task = turns.next()
        flying.append(task)
        drawn.append(task)
    return drawn


@pytest.mark.parametrize("share", [0.25, 0.5, 0.75])
def test_cpu_share_holds_whatever_a_walk_costs(share: float) -> None:
    turns = Turns(BASES, share, seed=4)
    drawn = _simulate(turns, 600)
    cpu = {s: sum(_cost(s).cpu_seconds for t in drawn if t.symmetric == s) for s in (True, False)}
    assert abs(cpu[True] / (cpu[True] + cpu[False]) - share) < 0.03
    # a share of the walks would be far off: symmetric walks are the costly tenth
    assert sum(t.symmetric for t in drawn) / len(drawn) < share


def test_walk_share_counts_walks() -> None:
    drawn = _simulate(Turns(BASES, 0.75, seed=4, share_of="walks"), 600)
    assert abs(sum(t.symmetric for t in drawn) / len(drawn) - 0.75) < 0.06


def test_each_kind_takes_the_bases_in_turn() -> None:
    drawn = _simulate(Turns(BASES, 0.5, seed=1), 90)
    for symmetric in (True, False):
        bases = [t.base for t in drawn if t.symmetric == symmetric]
        assert bases == [BASES[i % len(BASES)] for i in range(len(bases))]
    assert len({t.seed for t in drawn}) == len(drawn)


def test_same_seed_same_walks() -> None:
    assert _simulate(Turns(BASES, 0.5, seed=9), 50) == _simulate(Turns(BASES, 0.5, seed=9), 50)


def test_bad_share_of_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="share_of 'time'"):
        propose(tmp_path / "bad", seconds=1, config=replace(DEFAULT_PROPOSE, share_of="time"))
