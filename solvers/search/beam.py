"""Beam search over auxiliary constructions.

The root is the problem's saturated DDAR state.  At each level every state of the beam is ranked by the
policy; its best candidates become children (fork, draw, saturate from the parent's database), which are
proved, or scored by the value; the best `beam_width` children form the next beam.  The first child
whose proof the checker accepts ends the search; states that land on the same points are built once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from solvers.search.expand import ChildResult, ChildTask, Engine, RankResult, RankTask, dump_state
from solvers.search.node import SearchState
from solvers.search.pool import Executor

PointKey = frozenset[tuple[int, int]]


@dataclass
class SearchStats:
    """What the search did: states built (root included), rankings, levels, time in each part."""

    nodes: int = 0
    rankings: int = 0
    levels: int = 0
    failed: int = 0
    rejected: int = 0
    child_seconds: float = 0.0
    saturation_seconds: float = 0.0
    rank_seconds: float = 0.0
    rounds: list[int] = field(default_factory=list)


@dataclass
class BeamOutcome:
    """'proved' (with the winning child), 'unproved' (the beam ran dry or the depth was reached),
    'timeout' or 'nodes' (the node budget ran out)."""

    status: str
    winner: ChildResult | None
    stats: SearchStats


@dataclass
class _Open:
    score: float
    payload: bytes
    key: PointKey
    order: int


def point_key(coords: Iterable[complex], scale: float) -> PointKey:
    """Positions rounded to a grid (a millionth of the diagram's size): states adding the same points in
    any order get the same key."""
    q = 1e-6 * max(scale, 1e-12)
    return frozenset((round(z.real / q), round(z.imag / q)) for z in coords)


class BeamSearch:
    """One search over one root state (see the module docstring)."""

    def __init__(self, engine: Engine, executor: Executor, rng: np.random.Generator) -> None:
        self.engine = engine
        self.executor = executor
        self.rng = rng
        self.stats = SearchStats()

    def _seed(self) -> int:
        return int(self.rng.integers(2**63))

    def run(self, root: SearchState, deadline: float, max_nodes: int | None = None) -> BeamOutcome:
        config = self.engine.search
        scale = root.state.diagram.radius
        beam = [_Open(0.0, dump_state(root), frozenset(), 0)]
        seen: set[PointKey] = set()
        keys: dict[int, PointKey] = {}
        for level in range(config.depth):
            self.stats.levels = level + 1
            limit = config.candidates_per_expansion
            if level == 0:
                limit = config.root_candidates or config.beam_width * config.candidates_per_expansion
            parents = {i: node for i, node in enumerate(beam)}
            for node_id, node in parents.items():
                self.executor.submit(RankTask(node_id, node.payload, limit, self._seed()))
            children: list[_Open] = []
            while self.executor.pending:
                result = self.executor.next_result(deadline)
                if result is None:
                    return BeamOutcome("timeout", None, self.stats)
                if isinstance(result, RankResult):
                    self.stats.rankings += 1
                    self.stats.rank_seconds += result.seconds
                    parent = parents[result.node_id]
                    for ranked in result.ranked:
                        key = parent.key | point_key(ranked.coords, scale)
                        if key in seen:
                            continue
                        seen.add(key)
                        task_id = len(keys) + 1
                        keys[task_id] = key
                        self.executor.submit(
                            ChildTask(
                                task_id,
                                result.node_id,
                                parent.payload,
                                ranked.clause,
                                ranked.coords,
                                self._seed(),
                                deadline,
                            )
                        )
                    continue
                self._count(result)
                if result.status == "proved":
                    return BeamOutcome("proved", result, self.stats)
                if result.status == "open" and result.payload is not None:
                    children.append(_Open(result.score, result.payload, keys[result.task_id], result.task_id))
                if max_nodes is not None and self.stats.nodes >= max_nodes:
                    return BeamOutcome("nodes", None, self.stats)
            if time.monotonic() >= deadline:
                return BeamOutcome("timeout", None, self.stats)
            children.sort(key=lambda c: (-c.score, c.order))
            beam = children[: config.beam_width]
            if not beam:
                break
        return BeamOutcome("unproved", None, self.stats)

    def _count(self, result: ChildResult) -> None:
        stats = self.stats
        stats.nodes += 1
        stats.child_seconds += result.seconds
        stats.saturation_seconds += result.saturation_seconds
        if result.rounds:
            stats.rounds.append(result.rounds)
        if result.status == "failed":
            if result.error and result.error.startswith("checker rejected"):
                stats.rejected += 1
            else:
                stats.failed += 1
