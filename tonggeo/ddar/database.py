"""The deductive database: fact records with justifications, and the classes facts are read off.

Lines and circles are `PointSets`; directions (parallel lines) and lengths (congruent segments) are
union-finds over line ids and segment ids; perpendicular directions are a symmetric relation between
direction classes.  Angle and ratio facts live in the algebraic tables (`LinearStore`), which answer
whether an eqangle/eqratio/aconst/rconst holds: the database reads them (`linear`) but never builds, feeds
or forks them; `tonggeo.ddar.writer` does, and is the only caller of `add_record`.  A line id is
`pair_id(a, b)` for a line known only through two points, or `LINE_BASE + sid` for a class of at least
three collinear points.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from tonggeo.ddar import shipping  # noqa: F401  (registers the records' fast pickling)
from tonggeo.ddar.numeric import NumericModel
from tonggeo.ddar.structures import Layered, Merged, PointSets, UnionFind
from tonggeo.ddar.view import STRIDE
from tonggeo.ddar.watch import Watch
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import FactRecord, Justification

if TYPE_CHECKING:
    from tonggeo.ddar.linear import LinearStore

LineMerge = tuple[int, list[int]]
"""A merge of lines by a coll record: the new line id and the line ids it replaces."""

LINE_BASE = STRIDE * STRIDE
"""Classes of three or more collinear points are LINE_BASE + their id (pairs are `STRIDE`-numbered)."""


class Database:
    """Facts of one diagram, with O(1) `holds` for the kinds rules match on."""

    def __init__(self, numeric: NumericModel) -> None:
        self.numeric = numeric
        self.n = numeric.n
        self.names = numeric.names
        self.index = numeric.index
        self.records: list[FactRecord] = []
        self.by_fact: dict[Fact, int] = {}
        self.lines = PointSets(2)
        self.circles = PointSets(3)
        self.directions: UnionFind[int] = UnionFind()
        self.lengths: UnionFind[int] = UnionFind()
        self._perp: dict[int, set[int]] = {}
        self._perp_own: set[int] = set()
        """direction classes whose partner set this copy made (changed in place); others are shared."""
        self.linear: LinearStore | None = None
        """the algebraic tables, read here; built, fed and forked by `tonggeo.ddar.writer` only"""
        self._dir_cache: dict[int, list[tuple[int, ...]]] = {}
        self.by_kind: dict[str, list[int]] = {}
        self.version = 0
        self.fired: Layered[tuple[int, ...]] = Layered()
        """rule matches (rule key, binding...) already fired on these records (`Saturator.fire`): their
        premises hold for good and their conclusions are known or false in the diagram, so no saturation
        of this database or of its forks needs to fire them again."""
        self._facts: dict[tuple[str, tuple[int, ...], Fraction | None], Fact] = {}
        """`fact` memo, shared by the forks that keep these points (not pickled): `add_points` starts a new
        one, since sibling forks may give one new index different names."""
        self.ran: dict[int, int] = {}
        """rule key -> number of records when its last complete run began, for the rules whose matches
        are read off records only (`Plan.records_only`): later runs read the newer records only."""
        self.fixpoint: int | None = None
        """the key of the rule set these records are saturated under (`Saturator.run`), None once a
        record is added after that fixpoint"""
        self.watch: Watch | None = None
        """set by `watch_points` (a child drawn on a parent at its fixpoint): see `tonggeo.ddar.watch`"""

    def fork_classes(self) -> Database:
        """A copy of the records and classes, in time linear in the number of entries at C speed: records
        are immutable and shared, the classes copy their outer maps and share (copy-on-write) the rest.
        Without tables: `writer.fork` gives the copy its own."""
        other = object.__new__(Database)
        other.numeric = self.numeric
        other.n = self.n
        other.names = self.names
        other.index = self.index
        other.records = list(self.records)
        other.by_fact = dict(self.by_fact)
        other.lines = self.lines.copy()
        other.circles = self.circles.copy()
        other.directions = self.directions.copy()
        other.lengths = self.lengths.copy()
        other._perp = dict(self._perp)
        other._perp_own = set()
        self._perp_own.clear()  # both sides now share every partner set
        other.linear = None
        other._dir_cache = {}
        other.by_kind = {kind: list(ids) for kind, ids in self.by_kind.items()}
        other.version = self.version
        other.fired = self.fired.copy()
        other._facts = self._facts
        other.ran = dict(self.ran)
        other.fixpoint = self.fixpoint
        other.watch = None
        return other

    def watch_points(self, n: int) -> None:
        """Start watching what becomes known about the first `n` points (the points before `add_points`;
        call before the new points' facts, on a database at a fixpoint, else nothing happens)."""
        if self.fixpoint is not None and self.linear is not None:
            self.watch = Watch(self, self.fixpoint, n)
            self.linear.watch = self.watch

    def add_points(self, numeric: NumericModel) -> None:
        """Switch to a numeric model with more points (the existing ones first, unchanged);
        `writer.add_points` then extends the tables."""
        if numeric.names[: self.n] != self.names:
            raise ValueError("a larger model must keep the existing points first, in order")
        self.numeric = numeric
        self.n = numeric.n
        self.names = numeric.names
        self.index = numeric.index
        self._dir_cache.clear()
        self._facts = {}

    # ------------------------------------------------------------------ ids
    def pair_id(self, a: int, b: int) -> int:
        return a * STRIDE + b if a < b else b * STRIDE + a

    def pair_of(self, pid: int) -> tuple[int, int]:
        return divmod(pid, STRIDE)

    def line_id(self, a: int, b: int) -> int:
        sid = self.lines.of_pair(a, b)
        return (a * STRIDE + b if a < b else b * STRIDE + a) if sid is None else LINE_BASE + sid

    def line_points(self, lid: int) -> tuple[int, ...]:
        nn = LINE_BASE
        if lid >= nn:
            return tuple(sorted(self.lines.points(lid - nn)))
        return self.pair_of(lid)

    def direction(self, a: int, b: int) -> int:
        """The root of the direction class of line AB (creating singleton classes on demand)."""
        return self.directions.add(self.line_id(a, b))

    def segment(self, a: int, b: int) -> int:
        return self.lengths.add(self.pair_id(a, b))

    # ------------------------------------------------------------------ records
    def fact_of(self, fid: int) -> Fact:
        return self.records[fid].fact

    def add_record(self, fact: Fact, why: Justification) -> tuple[int, LineMerge | None] | None:
        """Store `fact` with its justification and update the classes: its id, and the merge of lines it
        made (a coll record); None if it is already a record.  Only `writer.add` calls this (it then feeds
        the tables)."""
        if fact in self.by_fact:
            return None
        fid = len(self.records)
        self.fixpoint = None
        watch = self.watch
        if watch is not None and watch.open:
            watch.record(fact.kind, [self.index[a] for a in fact.args])
        self.records.append(FactRecord(fid, fact, why))
        self.by_fact[fact] = fid
        self.by_kind.setdefault(fact.kind, []).append(fid)
        self.version += 1
        self._dir_cache.clear()
        return fid, self._index(fact, fid)

    def _index(self, fact: Fact, fid: int) -> LineMerge | None:
        idx = self.index
        args = [idx[a] for a in fact.args]
        watch = self.watch if self.watch is not None and self.watch.open else None
        match fact.kind:
            case "coll":
                merged = self.lines.add(args, fid)
                if merged is not None:
                    if watch is not None:
                        watch.line_class(self, merged)
                    return self._merge_lines(merged)
            case "cyclic":
                merged = self.circles.add(args, fid)
                if merged is not None and watch is not None:
                    watch.circle_class(self, merged)
            case "para":
                l1, l2 = self.line_id(args[0], args[1]), self.line_id(args[2], args[3])
                if watch is not None:
                    watch.directions(self, l1, l2)
                self._merge_directions(l1, l2)
            case "perp":
                d1, d2 = self.direction(args[0], args[1]), self.direction(args[2], args[3])
                if watch is not None:
                    watch.perp(self, d1, d2)
                self._add_perp(d1, d2)
            case "cong":
                s1, s2 = self.pair_id(args[0], args[1]), self.pair_id(args[2], args[3])
                if watch is not None:
                    watch.lengths(self, s1, s2)
                self.lengths.union(s1, s2)
            case _:
                pass
        return None

    def _merge_lines(self, merged: Merged) -> LineMerge:
        nn = LINE_BASE
        new_lid = nn + merged.sid
        old = [nn + sid for sid in merged.classes] + [self.pair_id(k[0], k[1]) for k in merged.keys]
        for lid in old:
            if lid in self.directions:
                self._merge_directions(new_lid, lid)
        return new_lid, old

    def _merge_directions(self, l1: int, l2: int) -> None:
        result = self.directions.union(l1, l2)
        if result is None:
            return
        kept, gone = result
        partners = self._perp.pop(gone, set())
        self._perp_own.discard(gone)
        for other in partners:
            others = self._partners(other)
            others.discard(gone)
            others.add(kept)
        if partners:
            self._partners(kept).update(partners)

    def _partners(self, d: int) -> set[int]:
        """The perpendicular partners of direction root `d`, private to this copy."""
        partners = self._perp.get(d)
        if partners is None:
            partners = self._perp[d] = set()
            self._perp_own.add(d)
        elif d not in self._perp_own:
            partners = self._perp[d] = set(partners)
            self._perp_own.add(d)
        return partners

    def _add_perp(self, d1: int, d2: int) -> None:
        self._partners(d1).add(d2)
        self._partners(d2).add(d1)

    def dir_lines(self, droot: int) -> list[tuple[int, ...]]:
        """The distinct current lines (as sorted points) of a direction class."""
        cached = self._dir_cache.get(droot)
        if cached is not None:
            return cached
        nn = LINE_BASE
        seen: dict[int, tuple[int, ...]] = {}
        for lid in self.directions.members(droot):
            if lid >= nn:
                cur = nn + self.lines.root(lid - nn)
            else:
                a, b = divmod(lid, STRIDE)
                cur = self.line_id(a, b)
            if cur not in seen:
                seen[cur] = self.line_points(cur)
        out = list(seen.values())
        self._dir_cache[droot] = out
        return out

    def direction_roots(self) -> list[int]:
        """Direction classes holding at least two distinct lines."""
        return [r for r in self.directions.roots() if len(self.directions.members(r)) > 1]

    def perp_pairs(self) -> list[tuple[int, int]]:
        return [(d1, d2) for d1, partners in self._perp.items() for d2 in partners]

    def perp_partners(self, d: int) -> set[int]:
        return self._perp.get(self.directions.find(d), set())

    # ------------------------------------------------------------------ queries on indices
    def coll(self, pts: Sequence[int]) -> bool:
        return self.lines.of(pts) is not None

    def cyclic(self, pts: Sequence[int]) -> bool:
        return self.circles.of(pts) is not None

    def para(self, a: int, b: int, c: int, d: int) -> bool:
        if self.direction(a, b) == self.direction(c, d):
            return True
        return self.linear is not None and self.linear.angle_holds((a, b, c, d), 0)

    def perp(self, a: int, b: int, c: int, d: int) -> bool:
        d1, d2 = self.direction(a, b), self.direction(c, d)
        if d2 in self._perp.get(d1, ()):
            return True
        return self.linear is not None and self.linear.angle_holds((a, b, c, d), 1)

    def cong(self, a: int, b: int, c: int, d: int) -> bool:
        if self.lengths.same(self.pair_id(a, b), self.pair_id(c, d)):
            return True
        return self.linear is not None and self.linear.ratio_holds((a, b, c, d))

    def midp(self, m: int, a: int, b: int) -> bool:
        return self.coll((m, a, b)) and self.cong(m, a, m, b)

    def circle(self, o: int, a: int, b: int, c: int) -> bool:
        return self.cong(o, a, o, b) and self.cong(o, a, o, c)

    def holds(self, fact: Fact) -> bool:
        """Whether the database knows `fact` (a record, a class, or the tables)."""
        if fact in self.by_fact:
            return True
        idx = self.index
        args = [idx[a] for a in fact.args]
        match fact.kind:
            case "coll":
                return self.coll(args)
            case "cyclic":
                return self.cyclic(args)
            case "para":
                return self.para(*args)
            case "perp":
                return self.perp(*args)
            case "cong":
                return self.cong(*args)
            case "midp":
                return self.midp(*args)
            case "circle":
                return self.circle(*args)
            case ("eqangle" | "aconst" | "eqratio" | "rconst" | "r2const" | "lconst" | "l2const" | "aequation"
                  | "lequation"):
                return self.linear is not None and self.linear.holds(fact)
            case _:
                return False

    def lines_with(self, min_points: int = 3) -> Iterator[tuple[int, tuple[int, ...]]]:
        """(line id, sorted points) of every known line with at least `min_points` points."""
        nn = LINE_BASE
        for sid in self.lines.classes():
            pts = self.lines.points(sid)
            if len(pts) >= min_points:
                yield nn + sid, tuple(sorted(pts))

    def fact(self, kind: str, args: Sequence[int], value: Fraction | None = None) -> Fact:
        """The fact on point indices (raises FactError as `make_fact` does)."""
        key = (kind, tuple(args), value)
        found = self._facts.get(key)
        if found is None:
            names = self.names
            found = self._facts[key] = make_fact(kind, tuple([names[i] for i in args]), value)
        return found

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_facts"] = {}
        return state
