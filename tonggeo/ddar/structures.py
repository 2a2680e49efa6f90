"""Equivalence classes with inverse indices: lines (points known collinear), circles (points known
concyclic), and a plain union-find with member lists for directions and lengths.

Each class remembers the records that built it, so a fact read off a class can be justified by them.

Both structures fork in time proportional to their number of entries, at C speed: the values of their
maps are never changed in place once another copy may share them (member sets are frozensets replaced on
merge; a class's point set and record list are fixed once the class is made), so `copy` copies only the
outer maps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Merged:
    """What `PointSets.add` did: the new class, the classes it absorbed (and their points), the keys that
    had no class."""

    sid: int
    classes: tuple[int, ...]
    keys: tuple[tuple[int, ...], ...]
    points: tuple[frozenset[int], ...] = ()


class UnionFind(Generic[K]):
    """Union-find over hashable keys with explicit member sets (merging moves the smaller set)."""

    def __init__(self) -> None:
        self._parent: dict[K, K] = {}
        self._members: dict[K, frozenset[K]] = {}

    def copy(self) -> UnionFind[K]:
        """An independent copy sharing the (immutable) member sets."""
        other: UnionFind[K] = UnionFind()
        other._parent = dict(self._parent)
        other._members = dict(self._members)
        return other

    def add(self, key: K) -> K:
        if key not in self._parent:
            self._parent[key] = key
            self._members[key] = frozenset((key,))
            return key
        return self.find(key)

    def __contains__(self, key: object) -> bool:
        return key in self._parent

    def find(self, key: K) -> K:
        parent = self._parent
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def same(self, a: K, b: K) -> bool:
        return a in self._parent and b in self._parent and self.find(a) == self.find(b)

    def union(self, a: K, b: K) -> tuple[K, K] | None:
        """Merge the classes of a and b; returns (kept root, absorbed root) or None if already one."""
        ra, rb = self.add(a), self.add(b)
        if ra == rb:
            return None
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra] = self._members[ra] | self._members.pop(rb)
        return ra, rb

    def members(self, key: K) -> frozenset[K]:
        return self._members[self.find(key)]

    def roots(self) -> Iterator[K]:
        return iter(self._members)


class PointSets:
    """Lines or circles: classes of points, each fixed by any `arity` of its points (2 for lines, 3 for
    circles); two classes sharing `arity` points are one.  Keys of `arity` sorted points map to classes."""

    def __init__(self, arity: int) -> None:
        self.arity = arity
        self._by_key: dict[tuple[int, ...], int] = {}
        self._points: dict[int, set[int]] = {}
        self._facts: dict[int, list[int]] = {}
        self._at: dict[int, frozenset[int]] = {}
        self._alias: dict[int, int] = {}
        self._next = 0

    def copy(self) -> PointSets:
        """An independent copy; a class's points and records are fixed once `add` has made it, and the
        classes through a point are frozensets, so they are shared."""
        other = PointSets(self.arity)
        other._by_key = dict(self._by_key)
        other._points = dict(self._points)
        other._facts = dict(self._facts)
        other._at = dict(self._at)
        other._alias = dict(self._alias)
        other._next = self._next
        return other

    def _root(self, sid: int) -> int:
        while sid in self._alias:
            sid = self._alias[sid]
        return sid

    def root(self, sid: int) -> int:
        """The current id of a class that may have been merged into another."""
        return self._root(sid)

    def of(self, pts: Iterable[int]) -> int | None:
        """The class holding these points (all of them), or None."""
        pts = tuple(dict.fromkeys(pts))
        if len(pts) < self.arity:
            return None
        sid = self._by_key.get(tuple(sorted(pts[: self.arity])))
        if sid is None:
            return None
        sid = self._root(sid)
        members = self._points[sid]
        return sid if all(p in members for p in pts[self.arity :]) else None

    def of_pair(self, a: int, b: int) -> int | None:
        """`of((a, b))` for lines (arity 2), without the general path: the class through a and b."""
        sid = self._by_key.get((a, b) if a < b else (b, a))
        if sid is None:
            return None
        alias = self._alias
        while sid in alias:
            sid = alias[sid]
        return sid

    def points(self, sid: int) -> set[int]:
        return self._points[self._root(sid)]

    def facts(self, sid: int) -> list[int]:
        return self._facts[self._root(sid)]

    def through(self, point: int) -> frozenset[int]:
        """Classes (with more than `arity` points) containing `point`."""
        return self._at.get(point, frozenset())

    def classes(self) -> Iterator[int]:
        return iter(self._points)

    def add(self, pts: Iterable[int], fact: int) -> Merged | None:
        """Assert the points lie in one class (justified by record `fact`); None if already known.

        Returns the new class id with the classes and the (previously classless) keys it absorbed.
        """
        todo = set(pts)
        touched: set[int] = set()
        for key in combinations(sorted(todo), self.arity):
            sid = self._by_key.get(key)
            if sid is not None:
                touched.add(self._root(sid))
        if len(touched) == 1 and todo <= self._points[next(iter(touched))]:
            return None
        sid = self._next
        self._next += 1
        self._points[sid] = set()
        self._facts[sid] = []  # both are this call's own until it returns, then never changed
        absorbed: list[int] = []
        absorbed_points: list[frozenset[int]] = []
        fresh_keys: list[tuple[int, ...]] = []
        pending = list(touched)
        wanted = set(todo)
        while True:
            for other in pending:
                other = self._root(other)
                if other == sid:
                    continue
                gone = self._points.pop(other)
                wanted |= gone
                self._facts[sid].extend(self._facts.pop(other))
                self._alias[other] = sid
                absorbed.append(other)
                absorbed_points.append(frozenset(gone))
                at = self._at
                for p in gone:
                    held = at.get(p)
                    if held is not None and other in held:
                        at[p] = held - {other}
            old = self._points[sid]
            if wanted <= old:
                break
            union = old | wanted
            pending = []
            for key in combinations(sorted(union), self.arity):
                if all(p in old for p in key):
                    continue
                found = self._by_key.get(key)
                if found is None:
                    fresh_keys.append(key)
                elif self._root(found) != sid:
                    pending.append(found)
                self._by_key[key] = sid
            self._points[sid] = union
            if not pending:
                break
        self._facts[sid].append(fact)
        at = self._at
        for p in self._points[sid]:
            at[p] = at.get(p, frozenset()) | {sid}
        return Merged(sid, tuple(absorbed), tuple(fresh_keys), tuple(absorbed_points))


class Layered(Generic[K]):
    """A growing set that forks in constant time: the keys of earlier copies sit in shared layers that
    nobody changes any more, and each copy adds to its own top layer.  `copy` closes the top layer (it
    joins the shared ones on both sides); more than `MAX_LAYERS` layers are merged into one."""

    MAX_LAYERS = 6
    __slots__ = ("_layers", "_top")

    def __init__(self) -> None:
        self._layers: tuple[frozenset[K], ...] = ()
        self._top: set[K] = set()

    def copy(self) -> Layered[K]:
        if self._top:
            layers = (*self._layers, frozenset(self._top))
            if len(layers) > self.MAX_LAYERS:
                layers = (frozenset().union(*layers),)
            self._layers = layers
            self._top = set()
        other: Layered[K] = Layered()
        other._layers = self._layers
        return other

    def __contains__(self, key: object) -> bool:
        if key in self._top:
            return True
        return any(key in layer for layer in self._layers)

    def add(self, key: K) -> None:
        self._top.add(key)

    def __len__(self) -> int:
        return len(self._top) + sum(len(layer) for layer in self._layers)
