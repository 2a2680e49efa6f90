"""The search's units of work and their results, as plain picklable records (worker processes run them),
and the pickling of search states (a saturated IMO state is a few hundred kilobytes, milliseconds)."""

from __future__ import annotations

import copyreg
import pickle
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from solvers.search.node import Ranked, SearchState
from tonggeo.dsl.ast import Clause
from tonggeo.proof import Proof


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


# Diagrams keep their coordinates in read-only mapping proxies, which pickle cannot handle by itself.
copyreg.pickle(MappingProxyType, _reduce_proxy)


def dump_state(node: SearchState) -> bytes:
    return pickle.dumps(node, protocol=pickle.HIGHEST_PROTOCOL)


def load_state(payload: bytes) -> SearchState:
    node = pickle.loads(payload)
    if not isinstance(node, SearchState):
        raise TypeError(f"expected a SearchState, got {type(node).__name__}")
    return node


@dataclass(frozen=True, slots=True)
class RankTask:
    """Rank the candidates of one beam state (`payload`), returning the best `limit`."""

    node_id: int
    payload: bytes
    limit: int
    seed: int


@dataclass(frozen=True, slots=True)
class RankResult:
    node_id: int
    ranked: tuple[Ranked, ...]
    seconds: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ChildTask:
    """Build one child of `payload`: draw `candidates` on it (one: a beam child; several: a batch that
    probes them together, whose proof keeps only the constructions it uses), saturate, prove or score."""

    task_id: int
    node_id: int
    payload: bytes
    candidates: tuple[Ranked, ...]
    seed: int
    deadline: float

    pair: bool = False
    """The candidates are a construction and its mirror image: a beam child (extended further), not a
    batch probe."""

    @property
    def batch(self) -> bool:
        return len(self.candidates) > 1 and not self.pair


@dataclass(frozen=True, slots=True)
class ChildResult:
    """One built child: 'proved' (with a checked proof and the auxiliary clauses it uses), 'open' (with
    its pickled state and score; batches return no state) or 'failed' (not drawable, the engine failed,
    or the checker rejected its proof: `error` says which)."""

    task_id: int
    node_id: int
    status: str
    aux: tuple[Clause, ...] = ()
    batch: bool = False
    score: float = 0.0
    payload: bytes | None = None
    proof: Proof | None = None
    facts: int = 0
    new_facts: int = 0
    rounds: int = 0
    seconds: float = 0.0
    saturation_seconds: float = 0.0
    stopped: str = ""
    error: str | None = None


Task = RankTask | ChildTask
Result = RankResult | ChildResult
