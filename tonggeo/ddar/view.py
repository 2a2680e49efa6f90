"""What the algebraic tables may read of the database: a read-only protocol.

The tables (`LinearStore`, `SquaredLengths`) are indexes of the database's records: the writer
(`tonggeo.ddar.writer`) feeds them each new record, and they answer queries, propose facts and explain
them as (fact, step) pairs.  They never add a record; `writer.add` is the one place records are added
(called by the saturator, its `support`, and the premises of a statement).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from tonggeo.facts import Fact
from tonggeo.facts.justification import FactRecord

STRIDE = 1 << 12
"""Point pairs are numbered a * STRIDE + b (a < b), whatever the number of points, so ids stay valid when
points are added (`Database.pair_id`)."""

if TYPE_CHECKING:
    from tonggeo.ddar.numeric import NumericModel
    from tonggeo.ddar.structures import PointSets, UnionFind


class FactView(Protocol):
    """The read side of `Database` that the tables use."""

    numeric: NumericModel
    n: int
    names: tuple[str, ...]
    index: dict[str, int]
    records: list[FactRecord]
    by_fact: dict[Fact, int]
    lines: PointSets
    lengths: UnionFind[int]
    directions: UnionFind[int]

    def pair_id(self, a: int, b: int) -> int: ...

    def pair_of(self, pid: int) -> tuple[int, int]: ...

    def line_id(self, a: int, b: int) -> int: ...

    def line_points(self, lid: int) -> tuple[int, ...]: ...

    def perp_pairs(self) -> list[tuple[int, int]]: ...

    def dir_lines(self, droot: int) -> list[tuple[int, ...]]: ...

    def fact(self, kind: str, args: Sequence[int], value: Fraction | None = None) -> Fact: ...
