"""The guided walk: a ranker injected into `run_task` orders its expansions, and walks stop at their depth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from tonggeo.candidates.enumerate import Candidate
from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.diagram import Diagram
from tonggeo.propose.pipeline import Task, _value, run_task
from tonggeo.propose.rankers import RandomRanker
from tonggeo.propose.walk import start_walk


class CountingRanker(RandomRanker):
    def __init__(self) -> None:
        self.calls = 0

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        self.calls += 1
        return super().rank(diagram, candidates, rng)


def test_an_injected_ranker_orders_the_steps() -> None:
    config = replace(DEFAULT_PROPOSE, depth=3, branches=0, restarts=1, saturation_seconds=60.0,
                     task_seconds=600.0)
    ranker = CountingRanker()
    result = run_task(Task("triangle", False, (0, 1)), config=config, ranker=ranker)
    assert ranker.calls >= 3  # one ranking per trunk step (restarts add more)
    assert all(p.depth <= 3 for p in result.proposals)
    assert result.walk_points > 3


def test_value_prefers_productive_and_symmetric_paths() -> None:
    walk = start_walk("iso_triangle", np.random.default_rng(0), symmetric=True)
    plain = start_walk("triangle", np.random.default_rng(0))
    assert _value(walk, 1, 0) > _value(plain, 1, 0)
    assert _value(plain, 2, 0) > _value(plain, 1, 0) > _value(plain, 0, 5) > _value(plain, 0, 0)
