"""The dedup index's single owner on a cluster: an actor that holds the run's SQLite index (the same
`ProblemIndex` file a local run writes).  Walks ask it which canonical keys are known; the driver asks it
to insert each finished problem and emits only those it reports new, so no problem is emitted twice
however many workers find it.  The actor is pinned to the driver's node, where the index file lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tonggeo.propose.index import ProblemIndex
from tonggeo.propose.pipeline import Proposal


@dataclass(frozen=True, slots=True)
class Row:
    """What the index stores of one problem (everything but its proof)."""

    key: str
    name: str
    text: str
    aux: int
    symmetric: bool
    steps: int
    score: float
    base: str

    @staticmethod
    def of(proposal: Proposal) -> Row:
        return Row(proposal.key, proposal.name, proposal.text, len(proposal.aux), proposal.symmetric,
                   proposal.steps, proposal.score, proposal.base)


class IndexOwner:
    """The actor's class: one SQLite connection, calls served one at a time."""

    def __init__(self, path: str) -> None:
        self.index = ProblemIndex(path)

    def contains(self, key: str) -> bool:
        return key in self.index

    def add(self, rows: list[Row], run: str) -> list[bool]:
        """Insert the rows in order; for each, whether it was new (False: its key was indexed already)."""
        return [
            self.index.add(r.key, name=r.name, text=r.text, aux=r.aux, symmetric=r.symmetric, steps=r.steps,
                           score=r.score, base=r.base, run=run)
            for r in rows
        ]

    def size(self) -> int:
        return len(self.index)

    def close(self) -> None:
        self.index.close()


def start_index_owner(path: str, node_id: str) -> Any:
    """The actor holding the index at `path`, on the node `node_id` (the driver's: the file is there)."""
    import ray
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    actor = ray.remote(num_cpus=0, max_restarts=0)(IndexOwner)
    strategy = NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)
    return actor.options(scheduling_strategy=strategy).remote(path)


class KnownKeys:
    """A walk's `known` callback on a worker: asks the index owner (one call per finished candidate)."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner

    def __call__(self, key: str) -> bool:
        import ray

        return bool(ray.get(self.owner.contains.remote(key)))
