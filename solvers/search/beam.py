"""Beam search over auxiliary constructions.

The root is the problem's saturated DDAR state.  At each level every state of the beam is ranked by the
policy; its best candidates become children (fork, draw, saturate from the parent's database), one by
one and, block by block, several together (a batch: one saturation tries them and all their
combinations).  Children are proved, or scored by the value; the best `beam_width` single children form
the next beam.  The first child whose proof the checker accepts ends the search.  A round that ends
without a proof before the deadline is followed by one twice as wide, which builds only the children no
round built yet; states that land on the same points are built once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from solvers.search.expand import Engine
from solvers.search.node import Ranked, SearchState
from solvers.search.pool import Executor
from solvers.search.tasks import ChildResult, ChildTask, RankResult, RankTask, dump_state

PointKey = frozenset[tuple[int, int]]
_CACHED_STATES = 96
"""Open children kept (pickled) across widening rounds; the worst-scored beyond this are rebuilt if a
later round needs them."""


@dataclass
class SearchStats:
    """What the search did: states built (root included), rankings, levels, time in each part."""

    nodes: int = 0
    batches: int = 0
    rankings: int = 0
    levels: int = 0
    rounds_run: int = 0
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
        """Beam rounds until a proof, the deadline or the node budget: each round that ends without one
        doubles the beam (width, children per state) and builds only the children no round built yet."""
        done: dict[PointKey, _Open | None] = {}
        widen = 1
        while True:
            outcome, submitted = self._round(root, deadline, max_nodes, widen, done)
            if outcome is not None:
                return outcome
            if not submitted:
                return BeamOutcome("unproved", None, self.stats)
            widen *= 2

    def _round(
        self,
        root: SearchState,
        deadline: float,
        max_nodes: int | None,
        widen: int,
        done: dict[PointKey, _Open | None],
    ) -> tuple[BeamOutcome | None, int]:
        """One beam search, `widen` times as wide as configured; `done` holds the children built by
        earlier rounds (open ones are reused, the others skipped).  Returns an outcome when the search
        must end, and how many children this round built."""
        config = self.engine.search
        scale = root.state.diagram.radius
        beam = [_Open(0.0, dump_state(root), frozenset(), 0)]
        keys: dict[int, PointKey] = {}
        submitted = 0
        self.stats.rounds_run += 1
        for level in range(config.depth):
            self.stats.levels = max(self.stats.levels, level + 1)
            singles, batches = config.expansion(level)
            singles, batches = singles * widen, batches * widen
            limit = max(singles, batches * config.batch_size)
            parents = dict(enumerate(beam))
            for node_id, node in parents.items():
                self.executor.submit(RankTask(node_id, node.payload, limit, self._seed()))
            children: list[_Open] = []
            this_level: set[PointKey] = set()
            while self.executor.pending:
                result = self.executor.next_result(deadline)
                if result is None:
                    return BeamOutcome("timeout", None, self.stats), submitted
                if isinstance(result, RankResult):
                    self.stats.rankings += 1
                    self.stats.rank_seconds += result.seconds
                    parent = parents[result.node_id]
                    node_id = result.node_id
                    groups = list(expansion_groups(result.ranked, singles, batches, config.batch_size))
                    if widen > 1:  # wider rounds also mix good candidates of different blocks
                        groups += mixed_batches(result.ranked, batches // 2, config.batch_size, self.rng)
                    for group in groups:
                        key = parent.key.union(*(point_key(r.coords, scale) for r in group))
                        if key in this_level:
                            continue
                        this_level.add(key)
                        if key in done:
                            old = done[key]
                            if old is not None:
                                children.append(old)
                            continue
                        task_id = len(keys) + 1
                        keys[task_id] = key
                        pair = len(group) == 2 and group[0].mirror is group[1]
                        task = ChildTask(task_id, node_id, parent.payload, group, self._seed(), deadline,
                                         pair)
                        self.executor.submit(task)
                        submitted += 1
                    continue
                self._count(result)
                if result.status == "proved":
                    return BeamOutcome("proved", result, self.stats), submitted
                key = keys[result.task_id]
                if result.status == "open" and result.payload is not None:
                    children.append(_Open(result.score, result.payload, key, self.stats.nodes))
                else:
                    done[key] = None
                if max_nodes is not None and self.stats.nodes >= max_nodes:
                    return BeamOutcome("nodes", None, self.stats), submitted
            if time.monotonic() >= deadline:
                return BeamOutcome("timeout", None, self.stats), submitted
            children.sort(key=lambda c: (-c.score, c.order))
            beam = children[: config.beam_width * widen]
            # the best open children are kept for wider rounds; the rest are rebuilt if ever needed
            for child in children[: 2 * config.beam_width * widen]:
                done[child.key] = child
            _forget_worst(done, _CACHED_STATES)
            if not beam:
                break
        return None, submitted

    def _count(self, result: ChildResult) -> None:
        stats = self.stats
        stats.nodes += 1
        stats.batches += result.batch
        stats.child_seconds += result.seconds
        stats.saturation_seconds += result.saturation_seconds
        if result.rounds:
            stats.rounds.append(result.rounds)
        if result.status == "failed":
            if result.error and result.error.startswith("checker rejected"):
                stats.rejected += 1
            else:
                stats.failed += 1


def expansion_groups(
    ranked: Sequence[Ranked], singles: int, batches: int, size: int
) -> Iterator[tuple[Ranked, ...]]:
    """Children of one state, in the order they are built: each block of `size` best-ranked candidates
    one by one (the first `singles` of them), then the block together as a batch (the first `batches`
    blocks), so that pairs of good candidates are tried early."""
    for start in range(0, max(singles, batches * size), size):
        block = ranked[start : start + size]
        if not block:
            return
        for i, candidate in enumerate(block):
            if start + i < singles:
                yield (candidate,)
                if candidate.mirror is not None and start == 0:  # the best: with its mirror, as one child
                    yield (candidate, candidate.mirror)
        if start // size < batches and len(block) > 1:
            yield with_mirror_images(block)


def with_mirror_images(group: Sequence[Ranked]) -> tuple[Ranked, ...]:
    """A batch with the mirror images of its members added (a symmetric figure's auxiliary points
    often come in mirror pairs; the batch's proof keeps only what it uses)."""
    return (*group, *(r.mirror for r in group if r.mirror is not None))


def mixed_batches(
    ranked: Sequence[Ranked], count: int, size: int, rng: np.random.Generator
) -> list[tuple[Ranked, ...]]:
    """`count` batches of `size` candidates drawn at random from the ranking, the better-ranked more
    often (weight 1 / (1 + rank / size)), as HAGeo draws its auxiliary points: combinations across
    blocks that the blocks alone never try."""
    if len(ranked) <= size or count <= 0:
        return []
    weights = 1.0 / (1.0 + np.arange(len(ranked)) / size)
    weights /= weights.sum()
    out = []
    for _ in range(count):
        picked = sorted(rng.choice(len(ranked), size=size, replace=False, p=weights).tolist())
        out.append(with_mirror_images([ranked[i] for i in picked]))
    return out


def _forget_worst(done: dict[PointKey, _Open | None], keep: int) -> None:
    """Drop the worst-scored cached states beyond `keep` (their keys become buildable again)."""
    cached = sorted((c for c in done.values() if c is not None), key=lambda c: (-c.score, c.order))
    for child in cached[keep:]:
        del done[child.key]
