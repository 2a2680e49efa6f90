"""The yield-driven choice of walks (`tonggeo.propose.arms`): classic-goal finds per CPU second shift the
odds toward their base and symmetry; eqratio finds do not; every arm keeps its exploration share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pytest

from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.dsl import load_problems
from tonggeo.propose.arms import ArmChooser
from tonggeo.propose.pipeline import Task, TaskResult
from tonggeo.propose.run import propose


@dataclass
class _Found:
    goal: str
    aux: tuple[str, ...] = ("x = midpoint a b",)


def _result(goals: list[str], cpu: float = 60.0) -> TaskResult:
    return TaskResult(proposals=cast(Any, tuple(_Found(g) for g in goals)), found=len(goals), seconds=cpu,
                      walk_points=8, cpu_seconds=cpu)


def test_classic_finds_raise_their_arm() -> None:
    chooser = ArmChooser(["triangle", "iso_triangle"], 0.75, seed=3)
    before = chooser.odds()
    assert abs(sum(before.values()) - 1.0) < 1e-9
    assert before[("triangle", True)] == before[("iso_triangle", True)]
    for _ in range(4):
        chooser.record(Task("iso_triangle", True, (3, 0)), _result(["perp a b c d", "cyclic a b c d"]))
        chooser.record(Task("triangle", True, (3, 1)), _result(["eqratio a b c d e f g h"] * 5))
    after = chooser.odds()
    assert after[("iso_triangle", True)] > 1.5 * before[("iso_triangle", True)]
    assert max(after, key=after.__getitem__) == ("iso_triangle", True)
    assert after[("triangle", True)] < before[("triangle", True)]
    floor = chooser.explore * 0.25 / 2
    assert min(after.values()) >= floor - 1e-12
    drawn = [chooser.next() for _ in range(400)]
    share = sum(t.base == "iso_triangle" and t.symmetric for t in drawn) / len(drawn)
    assert abs(share - after[("iso_triangle", True)]) < 0.1
    assert len({t.seed for t in drawn}) == len(drawn)


def test_same_seed_same_walks() -> None:
    a = ArmChooser(["segment", "quadrangle"], 0.5, seed=9)
    b = ArmChooser(["segment", "quadrangle"], 0.5, seed=9)
    assert [a.next() for _ in range(20)] == [b.next() for _ in range(20)]


def test_a_run_draws_its_walks_by_yield(tmp_path: Path) -> None:
    config = replace(DEFAULT_PROPOSE, base_choice="yield", depth=3, task_seconds=3.0, figures=0)
    stats = propose(tmp_path / "run", seconds=6, seed=2, bases=["iso_triangle", "triangle"], config=config)
    assert stats.walks >= 1
    assert len(load_problems(tmp_path / "run" / "problems.txt")) == stats.unique
    with pytest.raises(ValueError, match="base_choice"):
        propose(tmp_path / "bad", seconds=1, config=replace(DEFAULT_PROPOSE, base_choice="best"))
