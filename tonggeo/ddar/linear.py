"""The database's bridge to the algebraic tables: facts become linear equations over line ids (angles)
and segment ids (log-lengths), queries come back as yes/no or as certificates (`AlgebraStep`s).

A line's table variable is fixed when the line is first used; when lines merge (a coll record), their
variables are tied by an equation whose reason is that coll record.  In a certificate such records only
identify lines, so they are listed as `structure`, together with the coll records that put the point
pairs of the facts involved on their lines.

The store reads the database through `FactView` only; what it finds goes back to the saturator as facts
or (fact, step) pairs, and the saturator adds them.  `tonggeo.ddar.writer` builds, feeds (`feed`,
`merge_lines`), forks (`copy`) and extends (`add_points`) it; nothing else does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from tonggeo.ddar.algebra import AngleTable, Certificate, RatioTable
from tonggeo.ddar.squared import SquaredLengths
from tonggeo.ddar.view import STRIDE
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import AlgebraStep

if TYPE_CHECKING:
    from tonggeo.ddar.view import FactView
    from tonggeo.ddar.watch import Watch

ANGLE_KINDS = frozenset({"para", "perp", "eqangle", "aconst", "aequation"})
RATIO_KINDS = frozenset({"cong", "eqratio", "rconst", "r2const", "lconst", "l2const"})
HALF = Fraction(1, 2)
ZERO = Fraction(0)
ONE = Fraction(1)


class LinearStore:
    """The angle and ratio tables of one database, keyed by the database's line and segment ids."""

    def __init__(self, db: FactView) -> None:
        self.db = db
        self.angle = AngleTable()
        self.ratio = RatioTable()
        self.squared = SquaredLengths(db)
        self._line_var: dict[int, int] = {}
        self._pair_var: dict[int, int] = {}
        """point pair id -> its line's variable, until lines merge"""
        self._seg_var: set[int] = set()
        self._known: set[Fact] = set()
        self._yes: set[tuple[bool, tuple[tuple[int, int], ...], int, int]] = set()
        self._no: dict[tuple[bool, tuple[tuple[int, int], ...], int, int], int] = {}
        self._merge_reason: dict[int, int] = {}
        # ratio-table equations that are theorem instances (Menelaus): id -> (record, selector, colls)
        self._ratio_sources: dict[int, tuple[int, str, tuple[int, ...]]] = {}
        self.menelaus_done: set[frozenset[int]] = set()
        """line-id sets of the complete quadrilaterals whose Menelaus equations are in the ratio table."""
        self.watch: Watch | None = None
        """told of each equation that changes a table (`tonggeo.ddar.watch`)"""

    def copy(self, db: FactView) -> LinearStore:
        """An independent copy for the fork `db` of this store's database (tables copy-on-write)."""
        other = object.__new__(LinearStore)
        other.db = db
        other.angle = self.angle.copy()
        other.ratio = self.ratio.copy()
        other.squared = self.squared.copy(db)
        other._line_var = dict(self._line_var)
        other._pair_var = dict(self._pair_var)
        other._seg_var = set(self._seg_var)
        other._known = set(self._known)
        other._yes = set(self._yes)
        other._no = dict(self._no)
        other._merge_reason = dict(self._merge_reason)
        other._ratio_sources = dict(self._ratio_sources)
        other.menelaus_done = set(self.menelaus_done)
        other.watch = None
        return other

    def add_points(self, old_n: int) -> None:
        """The database gained the points from index `old_n` on."""
        self.squared.add_points(old_n)

    # ------------------------------------------------------------------ variables
    def line_var(self, a: int, b: int) -> int:
        pid = a * STRIDE + b if a < b else b * STRIDE + a
        var = self._pair_var.get(pid)
        if var is not None:
            return var
        lid = self.db.line_id(a, b)
        var = self._line_var.get(lid)
        if var is None:
            var = lid
            self._line_var[lid] = var
            self.angle.add_variable(var, self.db.numeric.angle[a][b])
        self._pair_var[pid] = var
        return var

    def seg_var(self, a: int, b: int) -> int:
        sid = self.db.pair_id(a, b)
        if sid not in self._seg_var:
            self._seg_var.add(sid)
            self.ratio.add_variable(sid, self.db.numeric.length[a][b])
        return sid

    def merge_lines(self, new_lid: int, old_lids: Sequence[int], fid: int) -> None:
        """Lines `old_lids` became line `new_lid` (coll record `fid`): tie their variables."""
        self._pair_var.clear()
        vars_ = [self._line_var[lid] for lid in old_lids if lid in self._line_var]
        if not vars_:
            return
        if self.watch is not None and self.watch.open:
            self.watch.line_variables(self.db.line_points(new_lid), vars_)
        keep = vars_[0]
        self._line_var[new_lid] = keep
        for var in vars_[1:]:
            if var != keep:
                # Each tie gets its own (negative) table id; it stands for the coll record `fid`.
                tie = -1 - len(self._merge_reason)
                self._merge_reason[tie] = fid
                self._put(True, {keep: 1, var: -1}, 0, tie)

    # ------------------------------------------------------------------ equations
    def angle_equation(self, fact: Fact) -> tuple[dict[int, int], Fraction]:
        idx = self.db.index
        p = [idx[x] for x in fact.args]
        coeffs: dict[int, int] = {}

        def put(a: int, b: int, c: int) -> None:
            var = self.line_var(a, b)
            coeffs[var] = coeffs.get(var, 0) + c

        match fact.kind:
            case "para" | "perp":
                put(p[0], p[1], 1)
                put(p[2], p[3], -1)
                return coeffs, (HALF if fact.kind == "perp" else ZERO)
            case "eqangle":
                put(p[2], p[3], 1)
                put(p[0], p[1], -1)
                put(p[6], p[7], -1)
                put(p[4], p[5], 1)
                return coeffs, ZERO
            case "aconst":
                put(p[2], p[3], 1)
                put(p[0], p[1], -1)
                return coeffs, fact.value  # type: ignore[union-attr]
            case "aequation":  # groups a b c d: the angle from line ab to line cd, coefficient 1 each
                for i in range(0, len(p), 4):
                    put(p[i + 2], p[i + 3], 1)
                    put(p[i], p[i + 1], -1)
                return {v: c for v, c in coeffs.items() if c}, fact.value  # type: ignore[union-attr]
        raise ValueError(f"not an angle fact: {fact}")

    def ratio_equation(self, fact: Fact) -> tuple[dict[int, int], Fraction]:
        idx = self.db.index
        p = [idx[x] for x in fact.args]
        coeffs: dict[int, int] = {}

        def put(a: int, b: int, c: int) -> None:
            var = self.seg_var(a, b)
            coeffs[var] = coeffs.get(var, 0) + c

        match fact.kind:
            case "cong":
                put(p[0], p[1], 1)
                put(p[2], p[3], -1)
                return coeffs, ONE
            case "eqratio":
                put(p[0], p[1], 1)
                put(p[2], p[3], -1)
                put(p[4], p[5], -1)
                put(p[6], p[7], 1)
                return coeffs, ONE
            case "rconst":
                put(p[0], p[1], 1)
                put(p[2], p[3], -1)
                return coeffs, fact.value  # type: ignore[union-attr]
            case "r2const":
                put(p[0], p[1], 2)
                put(p[2], p[3], -2)
                return coeffs, fact.value  # type: ignore[union-attr]
            case "lconst" | "l2const":  # log|ab| = log L, or 2 log|ab| = log L for a squared length
                put(p[0], p[1], 1 if fact.kind == "lconst" else 2)
                return coeffs, fact.value  # type: ignore[union-attr]
        raise ValueError(f"not a ratio fact: {fact}")

    def feed(self, fact: Fact, fid: int) -> None:
        """Take the new record `fid` (called by `writer.add` only)."""
        self.squared.feed(fact, fid)
        if fact.kind in ANGLE_KINDS:
            coeffs, const = self.angle_equation(fact)
            if any(coeffs.values()):
                self._put(True, coeffs, const, fid)
        elif fact.kind in RATIO_KINDS:
            coeffs, const = self.ratio_equation(fact)
            if any(coeffs.values()):
                self._put(False, coeffs, const, fid)

    def _put(self, angle: bool, coeffs: dict[int, int], const: Fraction | int, fid: int) -> None:
        """Add an equation to the angle (ratio) table, telling the watch if it changed the table."""
        table: AngleTable | RatioTable = self.angle if angle else self.ratio
        if table.add(coeffs, const, fid) and self.watch is not None and self.watch.open:
            self.watch.equation(angle, {v: c for v, c in coeffs.items() if c})

    # ------------------------------------------------------------------ queries
    def _cached(self, table: AngleTable | RatioTable, coeffs: dict[int, int], const: Fraction) -> bool:
        """`table.implied`, remembering answers: a yes for good, a no until the table changes."""
        clean = tuple(sorted((v, c) for v, c in coeffs.items() if c))
        if not clean:
            return const == (0 if table is self.angle else 1)
        key = (table is self.angle, clean, const.numerator, const.denominator)  # ints hash fast
        if key in self._yes:
            return True
        size = len(table.facts)
        if self._no.get(key) == size:
            return False
        if table.implied(dict(clean), const):
            self._yes.add(key)
            return True
        self._no[key] = size
        return False

    def angle_holds(self, pts: tuple[int, int, int, int], quarter: int) -> bool:
        """para (quarter 0) or perp (quarter 1) of lines p0p1 and p2p3."""
        v1, v2 = self.line_var(pts[0], pts[1]), self.line_var(pts[2], pts[3])
        if v1 == v2:
            return quarter == 0
        return self._cached(self.angle, {v1: 1, v2: -1}, HALF if quarter else ZERO)

    def ratio_holds(self, pts: tuple[int, int, int, int]) -> bool:
        s1, s2 = self.seg_var(pts[0], pts[1]), self.seg_var(pts[2], pts[3])
        return s1 == s2 or self._cached(self.ratio, {s1: 1, s2: -1}, ONE)

    def eqangle_holds(self, p: Sequence[int]) -> bool:
        """eqangle on point indices, without building the fact."""
        coeffs: dict[int, int] = {}
        for a, b, c in ((p[2], p[3], 1), (p[0], p[1], -1), (p[6], p[7], -1), (p[4], p[5], 1)):
            var = self.line_var(a, b)
            coeffs[var] = coeffs.get(var, 0) + c
        return self._cached(self.angle, coeffs, ZERO)

    def eqratio_holds(self, p: Sequence[int]) -> bool:
        """eqratio on point indices, without building the fact."""
        coeffs: dict[int, int] = {}
        for a, b, c in ((p[0], p[1], 1), (p[2], p[3], -1), (p[4], p[5], -1), (p[6], p[7], 1)):
            var = self.seg_var(a, b)
            coeffs[var] = coeffs.get(var, 0) + c
        return self._cached(self.ratio, coeffs, ONE)

    def holds(self, fact: Fact) -> bool:
        if fact in self._known:
            return True
        if fact.kind in ANGLE_KINDS:
            coeffs, const = self.angle_equation(fact)
            ok = self._cached(self.angle, coeffs, const)
        elif fact.kind in RATIO_KINDS:
            coeffs, const = self.ratio_equation(fact)
            ok = self._cached(self.ratio, coeffs, const)
            if not ok and fact.kind in ("r2const", "lconst", "l2const"):  # squares may come from Pythagoras
                ok = self.squared.implied([fact])[0]
        elif fact.kind == "lequation":  # products of lengths: the squared-length table
            ok = self.squared.implied([fact])[0]
        else:
            return False
        if ok:
            self._known.add(fact)
        return ok

    def explain(self, fact: Fact) -> AlgebraStep | None:
        """A certificate for `fact` from earlier records, or None if the tables do not imply it.

        A fact whose equation is trivial (`cong a b a b`, `para a b a c` on a known line) gets the empty
        combination."""
        table: AngleTable | RatioTable
        if fact.kind == "lequation":
            return self.squared.explain(fact)
        if fact.kind in ANGLE_KINDS:
            domain, table, (coeffs, const), zero = "angle", self.angle, self.angle_equation(fact), ZERO
        elif fact.kind in RATIO_KINDS:
            domain, table, (coeffs, const), zero = "ratio", self.ratio, self.ratio_equation(fact), ONE
        else:
            return None
        if not any(coeffs.values()):
            if const != zero:
                return None
            structure = sorted(set(self._line_records(fact.args))) if domain == "angle" else []
            return AlgebraStep(domain, (), tuple(structure), 1)
        cert = table.explain(coeffs, const)
        if cert is None and fact.kind in ("r2const", "lconst", "l2const"):
            return self.squared.explain(fact)
        return None if cert is None else self._step(domain, cert, fact)

    def add_menelaus(self, pts: tuple[int, ...], structure: Sequence[int]) -> None:
        """Triangle ABC, transversal through X on BC, Y on CA, Z on AB: BX.CY.AZ = XC.YA.ZB."""
        a, b, c, x, y, z = pts
        coeffs: dict[int, int] = {}
        for p, q, s in ((b, x, 1), (x, c, -1), (c, y, 1), (y, a, -1), (a, z, 1), (z, b, -1)):
            var = self.seg_var(p, q)
            coeffs[var] = coeffs.get(var, 0) + s
        coeffs = {v: k for v, k in coeffs.items() if k}
        if not coeffs:
            return
        tid = -1 - len(self._ratio_sources)
        names = self.db.names
        selector = "menelaus " + " ".join(names[p] for p in pts)
        self._ratio_sources[tid] = (structure[0], selector, tuple(structure))
        self._put(False, coeffs, 1, tid)

    def _step(self, domain: str, cert: Certificate, fact: Fact) -> AlgebraStep:
        records = self.db.records
        terms = []
        selectors: list[str] = []
        structure: set[int] = set()
        for fid, coef in cert.terms:
            if fid < 0 and domain == "ratio":
                record, selector, colls = self._ratio_sources[fid]
                terms.append((record, coef))
                selectors.append(selector)
                structure.update(colls)
            elif fid < 0:
                structure.add(self._merge_reason[fid])
            else:
                terms.append((fid, coef))
                selectors.append("")
        if domain == "angle":
            for fid in (*(f for f, _ in terms), -1):  # lines of the facts used and of the target
                args = records[fid].fact.args if fid >= 0 else fact.args
                structure.update(self._line_records(args))
        chosen = tuple(selectors) if any(selectors) else ()
        return AlgebraStep(domain, tuple(terms), tuple(sorted(structure)), cert.multiplier, chosen)

    def _line_records(self, args: Sequence[str]) -> Iterable[int]:
        idx = self.db.index
        for i in range(0, len(args) - 1, 2):
            sid = self.db.lines.of((idx[args[i]], idx[args[i + 1]]))
            if sid is not None:
                yield from self.db.lines.facts(sid)

    def generations(self) -> tuple[int, int, int]:
        """How often the angle, ratio and squared-length tables changed what they imply."""
        return self.angle.generation, self.ratio.generation, self.squared.table.generation

    # ------------------------------------------------------------------ squared lengths
    def feed_squared(self, justify: Callable[[Fact], int | None]) -> list[tuple[Fact, AlgebraStep]]:
        """Give the squared-length table Pythagoras at every known right angle, the power of every point
        on a chord, and the products of lengths the ratio table proves equal; returns the eqratio facts
        the squared lengths prove on their own, with steps.  `justify` gives the record of a fact the
        classes know (the saturator's: it may add that record)."""
        squared = self.squared
        squared.feed_perpendiculars(justify)
        squared.feed_powers(justify)
        return squared.bridge_products(self, justify)

    def squared_equal_segments(self) -> list[tuple[int, int]]:
        """Segment pairs the squared-length table proves congruent."""
        return self.squared.equal_pairs()

    def squared_implied(self, facts: Sequence[Fact]) -> list[bool]:
        """Which of these perp/cong facts the squared-length table implies."""
        return self.squared.implied(facts)

    def explain_squared(self, fact: Fact) -> AlgebraStep | None:
        """A certificate for `fact` in the squared-length table, or None."""
        return self.squared.explain(fact)

    # ------------------------------------------------------------------ read-back
    def implied_lines(self) -> list[tuple[int, int, Fraction]]:
        """(line var, line var, offset) pairs the angle table determines with offset 0 or 1/2: in each
        group, every line is made parallel to the first line at its own offset, and the first line at an
        offset perpendicular to the first line at that offset minus 1/2.  So the classes learn every para
        and perp of the table: lines at 1/4 and 3/4 from the group's representative are perpendicular, and
        two lines at 1/2 from it are parallel (the classes do not merge two directions because both are
        perpendicular to a third, and rules such as Thales match the classes' parallels).  Without them,
        Pythagoras (which the squared-length table applies at the classes' right angles) and the rules
        missed what `db.holds` already said."""
        out = []
        for group in self.angle.classes():
            first: dict[Fraction, int] = {}
            for var, offset in group:
                offset %= 1
                if offset in first:
                    out.append((first[offset], var, ZERO))
                    continue
                first[offset] = var
                other = first.get((offset + HALF) % 1)
                if other is not None:
                    out.append((other, var, HALF))
        return out

    def implied_segments(self) -> list[tuple[int, int]]:
        """Segment pairs the ratio table proves congruent: in each group, every segment paired with the
        first segment at its own offset (ratio) from the representative, not only those at ratio 1 from
        it: two segments at the same ratio r from it are equal too, and the squared-length table, which
        is fed by records, would not learn it."""
        out: list[tuple[int, int]] = []
        for group in self.ratio.classes():
            first: dict[object, int] = {}
            for var, offset in group:
                if offset in first:
                    out.append((first[offset], var))
                else:
                    first[offset] = var
        return out

    def line_fact(self, v1: int, v2: int, offset: Fraction) -> Fact:
        """The para/perp fact between two line variables, through their lines' first points."""
        db = self.db
        a, b = db.line_points(v1)[:2]
        c, d = db.line_points(v2)[:2]
        names = db.names
        return make_fact("perp" if offset else "para", (names[a], names[b], names[c], names[d]))
