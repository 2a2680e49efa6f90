"""Squared lengths as a third algebraic table: Pythagoras and Apollonius as linear equations.

For any four points, 2 (B - A).(D - C) = AC^2 + BD^2 - AD^2 - BC^2, so `perp AB CD` is the linear
equation AC^2 + BD^2 - AD^2 - BC^2 = 0 in the squared lengths, for every choice of A, B on the first
line and C, D on the second (the choices anchored at one point of each line span all of them).  A midpoint
M of AB gives XA^2 + XB^2 = 2 XM^2 + 2 MA^2 for every point X; cong and rconst give AB^2 = r^2 CD^2.
Read back, the table gives cong and perp facts that neither angles nor ratios reach.

Every equation is remembered with the record it comes from, a selector (the points used, for perp and
midp records) and the coll records that put those points on the record's lines, so a certificate becomes
an `AlgebraStep` in domain 'squared' that the checker replays.

The table reads the database through `FactView` and never writes to it: facts it finds are returned
as (fact, step) pairs for the saturator to add.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import combinations
from typing import TYPE_CHECKING

from tonggeo.ddar.algebra import DistanceTable
from tonggeo.facts import Fact
from tonggeo.facts.justification import AlgebraStep

if TYPE_CHECKING:
    from tonggeo.ddar.linear import LinearStore
    from tonggeo.ddar.view import FactView

Source = tuple[int, str, tuple[int, ...]]
PRODUCT_BASE = 1 << 40
"""Variable ids from here on are products |s|.|t| of two different segments."""
UNIT = 2 * PRODUCT_BASE
"""The variable standing for the square of the unit length (numerically 1): lconst AB L is the
homogeneous equation AB^2 - L^2 UNIT = 0, so given lengths meet Pythagoras."""


class SquaredLengths:
    """The squared-length table of one database."""

    def __init__(self, db: FactView) -> None:
        self.db = db
        self.table = DistanceTable()
        self._vars: set[int] = set()
        self._unit = False
        self._sources: list[Source] = []
        self._seen: set[tuple[int, str]] = set()
        self._fed_lines: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
        self._products: dict[tuple[int, int], int] = {}
        self._product_segments: dict[int, tuple[int, int]] = {}
        self._bridged: set[tuple[int, int]] = set()
        self._midpoints: list[int] = []

    def copy(self, db: FactView) -> SquaredLengths:
        """An independent copy reading the fork `db` (the table copy-on-write, sources shared)."""
        other = object.__new__(SquaredLengths)
        other.db = db
        other.table = self.table.copy()
        other._vars = set(self._vars)
        other._unit = self._unit
        other._sources = list(self._sources)
        other._seen = set(self._seen)
        other._fed_lines = set(self._fed_lines)
        other._products = dict(self._products)
        other._product_segments = dict(self._product_segments)
        other._bridged = set(self._bridged)
        other._midpoints = list(self._midpoints)
        return other

    def var(self, a: int, b: int) -> int:
        sid = self.db.pair_id(a, b)
        if sid not in self._vars:
            self._vars.add(sid)
            self.table.add_variable(sid, self.db.numeric.length[a][b] ** 2)
        return sid

    def unit(self) -> int:
        if not self._unit:  # kept out of `_vars`, which holds segments only
            self._unit = True
            self.table.add_variable(UNIT, 1.0)
        return UNIT

    def product_var(self, s: tuple[int, int], t: tuple[int, int]) -> int:
        """The variable |s|.|t| (|s|^2 when s and t are one segment)."""
        p1, p2 = self.db.pair_id(*s), self.db.pair_id(*t)
        if p1 == p2:
            return self.var(*s)
        key = (min(p1, p2), max(p1, p2))
        v = self._products.get(key)
        if v is None:
            v = PRODUCT_BASE + len(self._products)
            self._products[key] = v
            self._product_segments[v] = key
            length = self.db.numeric.length
            self.table.add_variable(v, length[s[0]][s[1]] * length[t[0]][t[1]])
        return v

    def _terms(self, terms: Sequence[tuple[int, int, int]]) -> dict[int, int]:
        coeffs: dict[int, int] = {}
        for a, b, c in terms:
            if a != b:
                v = self.var(a, b)
                coeffs[v] = coeffs.get(v, 0) + c
        return {v: c for v, c in coeffs.items() if c}

    def perp_equation(self, a: int, b: int, c: int, d: int) -> dict[int, int]:
        return self._terms(((a, c, 1), (b, d, 1), (a, d, -1), (b, c, -1)))

    def equation(self, fact: Fact) -> dict[int, int] | None:
        """The fact's own equation (right side 0), or None for kinds the table does not hold."""
        p = [self.db.index[x] for x in fact.args]
        match fact.kind:
            case "perp":
                return self.perp_equation(p[0], p[1], p[2], p[3])
            case "cong":
                return self._terms(((p[0], p[1], 1), (p[2], p[3], -1)))
            case "rconst":
                value: Fraction = fact.value  # type: ignore[union-attr]
                return self._terms(((p[0], p[1], value.denominator**2), (p[2], p[3], -(value.numerator**2))))
            case "lconst" | "l2const":  # AB^2 = L^2 (or L) units, as q^2 AB^2 - p^2 UNIT (q AB^2 - p UNIT)
                length: Fraction = fact.value  # type: ignore[union-attr]
                power = 2 if fact.kind == "lconst" else 1
                given = self._terms(((p[0], p[1], length.denominator**power),))
                given[self.unit()] = -(length.numerator**power)
                return given
            case "r2const":  # AB^2 = (p/q) CD^2 as q AB^2 - p CD^2
                value = fact.value  # type: ignore[union-attr]
                return self._terms(((p[0], p[1], value.denominator), (p[2], p[3], -value.numerator)))
            case "lequation":  # groups a b c d are |ab|.|cd|; the first `value` ones equal the others
                left = int(fact.value)  # type: ignore[union-attr]
                sums: dict[int, int] = {}
                for i in range(0, len(p), 4):
                    v = self.product_var((p[i], p[i + 1]), (p[i + 2], p[i + 3]))
                    sums[v] = sums.get(v, 0) + (1 if i // 4 < left else -1)
                return {v: c for v, c in sums.items() if c}
            case "eqratio":
                # AB/CD = EF/GH as AB.GH - CD.EF = 0
                coeffs: dict[int, int] = {}
                for s, t, c in (((p[0], p[1]), (p[6], p[7]), 1), ((p[2], p[3]), (p[4], p[5]), -1)):
                    v = self.product_var(s, t)
                    coeffs[v] = coeffs.get(v, 0) + c
                return {v: c for v, c in coeffs.items() if c}
        return None

    def _add(self, coeffs: dict[int, int], fid: int, selector: str, structure: tuple[int, ...]) -> None:
        if not coeffs or (fid, selector) in self._seen:
            return
        self._seen.add((fid, selector))
        tid = len(self._sources)
        self._sources.append((fid, selector, structure))
        self.table.add(coeffs, 0, tid)

    def feed(self, fact: Fact, fid: int) -> None:
        """Feed a new record: cong and rconst as themselves, a midpoint as its median relations."""
        if fact.kind in ("cong", "rconst", "r2const", "lconst", "l2const"):
            coeffs = self.equation(fact)
            if coeffs:
                self._add(coeffs, fid, "", ())
        elif fact.kind == "midp":
            self._midpoints.append(fid)
            self._medians(fid, range(self.db.n))

    def _medians(self, fid: int, others: range) -> None:
        """Apollonius for midpoint record `fid` (M of AB) and every point X of `others`."""
        m, a, b = (self.db.index[x] for x in self.db.records[fid].fact.args)
        for x in others:
            if x not in (m, a, b):
                coeffs = self._terms(((x, a, 1), (x, b, 1), (x, m, -2), (m, a, -2)))
                self._add(coeffs, fid, self.db.names[x], ())

    def add_points(self, old_n: int) -> None:
        """The database gained points `old_n`..: the medians of every midpoint record reach them too (so
        an extended fork holds what a database built with all the points from the start holds)."""
        for fid in self._midpoints:
            self._medians(fid, range(old_n, self.db.n))

    def feed_perpendiculars(self, justify: Callable[[Fact], int | None]) -> None:
        """Pythagoras for every pair of known perpendicular lines, at all their current points.

        `justify` returns the record of a perp fact (creating it from the classes if needed)."""
        db = self.db
        names = db.names
        done: set[frozenset[int]] = set()
        for d1, d2 in db.perp_pairs():
            key = frozenset((db.directions.find(d1), db.directions.find(d2)))
            if key in done:
                continue
            done.add(key)
            for l1 in db.dir_lines(d1):
                for l2 in db.dir_lines(d2):
                    if (l1, l2) in self._fed_lines:
                        continue
                    self._fed_lines.add((l1, l2))
                    fact = db.fact("perp", (l1[0], l1[1], l2[0], l2[1]))
                    fid = justify(fact)
                    if fid is None:
                        continue
                    structure = tuple(sorted({*self._line_records(l1), *self._line_records(l2)}))
                    for b in l1[1:]:
                        for d in l2[1:]:
                            coeffs = self.perp_equation(l1[0], b, l2[0], d)
                            selector = " ".join(names[x] for x in (l1[0], b, l2[0], d))
                            self._add(coeffs, fid, selector, structure)

    def feed_powers(self, justify: Callable[[Fact], int | None]) -> None:
        """The power of a point: for X, Y on a circle about O (OX = OY) and P on line XY,
        OP^2 - OX^2 = PX.PY if P is outside segment XY, -PX.PY if inside."""
        db = self.db
        names = db.names
        numeric = db.numeric
        lengths = db.lengths
        for o in range(db.n):
            groups: dict[int, list[int]] = {}
            for x in range(db.n):
                pid = db.pair_id(o, x) if x != o else -1
                if pid >= 0 and pid in lengths:
                    groups.setdefault(lengths.find(pid), []).append(x)
            for members in groups.values():
                for x, y in combinations(members, 2):
                    sid = db.lines.of((x, y))
                    if sid is None:
                        continue
                    structure = tuple(db.lines.facts(sid))
                    for p in sorted(db.lines.points(sid)):
                        if p in (x, y, o):
                            continue
                        selector = f"power {names[p]} {names[x]} {names[y]}"
                        sign = numeric.side(p, x, y)
                        fact = db.fact("cong", (o, x, o, y))
                        if sign == 0:
                            continue
                        fid = db.by_fact.get(fact)
                        if fid is None:
                            fid = justify(fact)
                        if fid is None or (fid, selector) in self._seen:
                            continue
                        coeffs = {self.var(o, p): 1, self.var(o, x): -1}
                        pv = self.product_var((p, x), (p, y))
                        coeffs[pv] = coeffs.get(pv, 0) - sign
                        self._add({v: c for v, c in coeffs.items() if c}, fid, selector, structure)

    def bridge_products(
        self, linear: LinearStore, justify: Callable[[Fact], int | None]
    ) -> list[tuple[Fact, AlgebraStep]]:
        """Tie products of lengths that the ratio table proves equal (|s|.|t| = |u|.|v| is an eqratio),
        so the power of a point meets ratio chasing; returns the eqratio facts the other way round
        (products this table proves equal, unknown to the ratio table) with their steps."""
        db = self.db
        found: list[tuple[Fact, AlgebraStep]] = []
        if not self._products:
            return found
        length = db.numeric.length
        entries: list[tuple[float, int, tuple[int, int]]] = []
        for v, key in self._product_segments.items():
            (a1, b1), (a2, b2) = db.pair_of(key[0]), db.pair_of(key[1])
            entries.append((length[a1][b1] * length[a2][b2], v, key))
        for pid in self._vars:
            a, b = db.pair_of(pid)
            entries.append((length[a][b] ** 2, pid, (pid, pid)))
        entries.sort()
        tol = db.numeric.rtol
        start = 0
        for k in range(1, len(entries) + 1):
            if k < len(entries) and entries[k][0] - entries[k - 1][0] <= tol * entries[k][0]:
                continue
            group = entries[start:k]
            start = k
            for i in range(len(group)):
                for j in range(i + 1, len(group)):
                    pair = self._bridge(group[i], group[j], linear, justify)
                    if pair is not None:
                        found.append(pair)
        return found

    def _bridge(
        self,
        first: tuple[float, int, tuple[int, int]],
        second: tuple[float, int, tuple[int, int]],
        linear: LinearStore,
        justify: Callable[[Fact], int | None],
    ) -> tuple[Fact, AlgebraStep] | None:
        u, v = first[1], second[1]
        if (u < PRODUCT_BASE and v < PRODUCT_BASE) or (min(u, v), max(u, v)) in self._bridged:
            return None
        db = self.db
        s1, s2 = (db.pair_of(p) for p in first[2])
        s3, s4 = (db.pair_of(p) for p in second[2])
        ratio: dict[int, int] = {}
        for s, c in ((s1, 1), (s2, 1), (s3, -1), (s4, -1)):
            var = linear.seg_var(*s)
            ratio[var] = ratio.get(var, 0) + c
        ratio = {k: c for k, c in ratio.items() if c}
        if not ratio:
            return None
        fact = db.fact("eqratio", (*s1, *s3, *s4, *s2))
        if not linear.ratio.implied(ratio, 1):
            # the other way: products the squared lengths prove equal become an eqratio fact
            if fact not in db.by_fact and self.table.implied({u: 1, v: -1}, 0):
                step = self.explain(fact)
                if step is not None:
                    self._bridged.add((min(u, v), max(u, v)))
                    return fact, step
            return None
        fid = justify(fact)
        if fid is None:
            return None
        self._bridged.add((min(u, v), max(u, v)))
        a = [db.index[x] for x in db.records[fid].fact.args]
        coeffs: dict[int, int] = {}
        for (p, q), c in ((((a[0], a[1]), (a[6], a[7])), 1), (((a[2], a[3]), (a[4], a[5])), -1)):
            var = self.product_var(p, q)
            coeffs[var] = coeffs.get(var, 0) + c
        self._add({k: c for k, c in coeffs.items() if c}, fid, "product", ())
        return None

    def _line_records(self, line: tuple[int, ...]) -> list[int]:
        sid = self.db.lines.of(line[:2])
        return [] if sid is None else list(self.db.lines.facts(sid))

    # ------------------------------------------------------------------ queries
    def explain(self, fact: Fact) -> AlgebraStep | None:
        coeffs = self.equation(fact)
        if coeffs is None:
            return None
        if not coeffs:
            return AlgebraStep("squared", (), (), 1)
        cert = self.table.explain(coeffs, 0)
        if cert is None:
            return None
        terms = []
        selectors = []
        structure: set[int] = set()
        for tid, coef in cert.terms:
            fid, selector, lines = self._sources[tid]
            terms.append((fid, coef * self._proof_scale(fid, selector)))
            selectors.append(selector)
            structure.update(lines)
        chosen = tuple(selectors) if any(selectors) else ()
        return AlgebraStep("squared", tuple(terms), tuple(sorted(structure)), 1, chosen)

    def _proof_scale(self, fid: int, selector: str) -> int:
        """The table holds rconst AB CD p/q as q^2 AB^2 - p^2 CD^2 (integer coefficients), a proof as
        AB^2 - (p/q)^2 CD^2 (`tonggeo.proof.check.lengths`): a certificate's coefficient is scaled by q^2."""
        fact = self.db.records[fid].fact
        if fact.kind == "rconst" and not selector:
            value: Fraction = fact.value  # type: ignore[union-attr]
            return value.denominator**2
        if fact.kind in ("r2const", "l2const") and not selector:  # q AB^2 - p X held, AB^2 - (p/q) X proved
            return fact.value.denominator  # type: ignore[union-attr]
        if fact.kind == "lconst" and not selector:
            return fact.value.denominator**2  # type: ignore[union-attr]
        return 1

    def implied(self, facts: Sequence[Fact]) -> list[bool]:
        """Which of these perp/cong facts the table implies (batch)."""
        cands = []
        for fact in facts:
            coeffs = self.equation(fact)
            cands.append((coeffs or {}, Fraction(0)))
        return self.table.implied_equalities(cands)

    def equal_pairs(self) -> list[tuple[int, int]]:
        """Segment pairs of equal squared length, hence equal length."""
        out: list[tuple[int, int]] = []
        for group in self.table.classes():
            equal = [var for var, offset in group if offset == 0 and var < PRODUCT_BASE]
            out.extend((equal[0], v) for v in equal[1:])
        return out
