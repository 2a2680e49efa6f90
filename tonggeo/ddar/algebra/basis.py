"""The exact incremental elimination behind every table: an integer echelon basis (Hermite normal form) whose
rows remember which facts, with which coefficients, produced them.

Columns are internal variable indices; a row's pivot is its *largest* column, so a newly created variable
usually becomes a pivot and old rows rarely need updating. Invariants, for every row with pivot `c` and
pivot value `d = row[c] > 0`:

* the row has no entry beyond `c`;
* at every other pivot column `c'` (value `d'`) its entry lies in `[0, d')`, so it is 0 when `d' == 1`
  (the usual case: geometry facts have coefficients +-1, and the basis is then a reduced row echelon form).

Two modes, chosen by the constant space:

* **lattice** (angles mod pi): the rows form a Z-basis of the *integer* span of the facts. Dividing an
  equation is unsound mod 1 (`2x = 0` does not give `x = 0`), so rows are only ever combined with
  integer, unimodular steps (extended gcd), and a fact that is rationally but not integrally implied is
  new information that refines the lattice.
* **rational** (log-ratios, lengths): the rows span the rational span of the facts; a row may be divided
  by the gcd of its coefficients, and rationally implied facts are redundant.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction
from math import gcd, lcm
from typing import Generic

from tonggeo.ddar.algebra.constants import C, ConstSpace, Rational, as_rational


class InconsistentFact(ValueError):
    """An added equation contradicts the table (same left side, different constant): a bug upstream."""


@dataclass(slots=True)
class Row(Generic[C]):
    """One basis row: `sum(coeffs[j] * x_j) = const`, equal to `sum(prov[f] * fact_f)`."""

    coeffs: dict[int, int]
    const: C
    prov: dict[int, Rational]


def axpy(dst: dict[int, Rational], src: dict[int, int] | dict[int, Rational], m: Rational) -> None:
    """`dst -= m * src` in place, dropping zeros."""
    for k, x in src.items():
        y = dst.get(k, 0) - m * x
        if y:
            dst[k] = y
        else:
            dst.pop(k, None)


def xgcd(a: int, b: int) -> tuple[int, int, int]:
    """`(g, s, t)` with `s*a + t*b == g == gcd(a, b) > 0`."""
    s0, s1, t0, t1 = 1, 0, 0, 1
    while b:
        q, r = divmod(a, b)
        a, b = b, r
        s0, s1 = s1, s0 - q * s1
        t0, t1 = t1, t0 - q * t1
    if a < 0:
        return -a, -s0, -t0
    return a, s0, t0


@dataclass(frozen=True, slots=True)
class Reduction:
    """A vector written over the basis: `vector = sum(alphas[c] * row_c) + residual`."""

    residual: dict[int, Rational]
    alphas: dict[int, Rational]

    @property
    def in_span(self) -> bool:
        return not self.residual

    @property
    def multiplier(self) -> int:
        """The least k with k * vector an integer combination of the rows (meaningful when in span)."""
        k = 1
        for a in self.alphas.values():
            if isinstance(a, Fraction):
                k = lcm(k, a.denominator)
        return k


class Basis(Generic[C]):
    """An incremental exact echelon basis with provenance (see the module docstring)."""

    def __init__(self, space: ConstSpace[C]) -> None:
        self.space = space
        self.lattice = space.modular
        self.rows: dict[int, Row[C]] = {}
        self._cols: dict[int, set[int]] = {}
        """column -> pivots of the other rows with a nonzero entry in it."""
        self.big: set[int] = set()
        """pivot columns whose pivot value exceeds 1."""
        self.dirty: set[int] = set()
        """pivots whose rows were written or removed since a consumer last cleared this set."""
        self._own_rows: set[int] = set()
        self._own_cols: set[int] = set()
        """pivots (columns) whose Row (column set) this basis made itself: only those are changed in place;
        the others may be shared with a copy and are replaced by a private copy before a write."""

    # ------------------------------------------------------------------ insertion
    def insert(self, coeffs: dict[int, int], const: C, source: int) -> bool:
        """Add the equation `coeffs . x = const` with provenance key `source`; True if the basis changed.

        Raises InconsistentFact if it contradicts the rows; the basis must then be discarded (in lattice
        mode the rows may already have been recombined with it).
        """
        sp = self.space
        v = {k: x for k, x in coeffs.items() if x}
        if self._redundant(dict(v), const):
            return False
        vc = const
        vp: dict[int, Rational] = {source: 1}
        changed = False
        while v:
            c = max(v)
            row = self.rows.get(c)
            if row is None:
                break
            d, b = row.coeffs[c], v[c]
            if b % d == 0:
                m = b // d
                axpy(v, row.coeffs, m)  # type: ignore[arg-type]
                vc = sp.add(vc, sp.scale(row.const, -m))
                axpy(vp, row.prov, m)
                continue
            g, s, t = xgcd(d, b)
            if self.lattice:
                # Unimodular step: (row, v) -> (s*row + t*v, (b/g)*row - (d/g)*v); the first has pivot g.
                new = self._combine(s, row, t, Row(v, vc, vp))
                rest = self._combine(b // g, row, -(d // g), Row(v, vc, vp))
                self._remove(c)
                self._install(c, new)
                v, vc, vp = rest.coeffs, rest.const, rest.prov
                changed = True
            else:
                # Rationally any nonzero multiple is the same equation: scale v to cancel column c.
                scaled = self._combine(-(b // g), row, d // g, Row(v, vc, vp))
                v, vc, vp = scaled.coeffs, scaled.const, scaled.prov
        if not v:
            if not sp.is_zero(vc):
                raise InconsistentFact(f"it reduces to 0 = {vc}")
            return changed
        c = max(v)
        if not self.lattice:
            content = 0
            for x in v.values():
                content = gcd(content, x)
            if v[c] < 0:
                content = -content
            if content != 1:
                v = {k: x // content for k, x in v.items()}
                vc = sp.scale(vc, Fraction(1, content))
                vp = {f: as_rational(Fraction(x) / content) for f, x in vp.items()}
        elif v[c] < 0:
            v = {k: -x for k, x in v.items()}
            vc = sp.scale(vc, -1)
            vp = {f: -x for f, x in vp.items()}
        self._install(c, Row(v, vc, vp))
        return True

    def _redundant(self, v: dict[int, int], vc: C) -> bool:
        """Whether the equation reduces to `0 = 0` by divisible steps alone (no provenance is tracked,
        which is most of the cost once a table is saturated and most facts are redundant).
        """
        sp = self.space
        rows = self.rows
        while v:
            c = max(v)
            row = rows.get(c)
            if row is None:
                return False
            d, b = row.coeffs[c], v[c]
            if b % d == 0:
                m = b // d
            elif self.lattice:
                return False  # needs a unimodular step: the full path handles it
            else:
                g = gcd(d, b)
                v = {k: (d // g) * x for k, x in v.items()}
                vc = sp.scale(vc, d // g)
                m = b // g  # v[c] is now b*d/g
            axpy(v, row.coeffs, m)  # type: ignore[arg-type]
            if not sp.is_zero(row.const):
                vc = sp.add(vc, sp.scale(row.const, -m))
        if not sp.is_zero(vc):
            raise InconsistentFact(f"it reduces to 0 = {vc}")
        return True

    def _combine(self, a: int, r1: Row[C], b: int, r2: Row[C]) -> Row[C]:
        sp = self.space
        coeffs: dict[int, Rational] = {k: a * x for k, x in r1.coeffs.items()} if a else {}
        axpy(coeffs, r2.coeffs, -b)
        prov: dict[int, Rational] = {k: a * x for k, x in r1.prov.items()} if a else {}
        axpy(prov, r2.prov, -b)
        const = sp.add(sp.scale(r1.const, a), sp.scale(r2.const, b))
        return Row(coeffs, const, prov)  # type: ignore[arg-type]

    def _col(self, k: int) -> set[int]:
        """The column set of `k`, private to this basis (copied on the first write after a `copy`)."""
        cols = self._cols.get(k)
        if cols is None:
            cols = self._cols[k] = set()
            self._own_cols.add(k)
        elif k not in self._own_cols:
            cols = self._cols[k] = set(cols)
            self._own_cols.add(k)
        return cols

    def _own_row(self, c: int) -> Row[C]:
        """The row of pivot `c`, private to this basis (copied on the first write after a `copy`)."""
        row = self.rows[c]
        if c not in self._own_rows:
            row = self.rows[c] = Row(dict(row.coeffs), row.const, dict(row.prov))
            self._own_rows.add(c)
        return row

    def _remove(self, c: int) -> None:
        row = self.rows.pop(c)
        self._own_rows.discard(c)
        for k in row.coeffs:
            if k != c:
                self._col(k).discard(c)
        self.big.discard(c)
        self.dirty.add(c)

    def _install(self, c: int, row: Row[C]) -> None:
        """Make `row` (pivot column `c`, free before) a basis row and restore the invariants."""
        self._normalize(c, row)
        self.rows[c] = row
        self._own_rows.add(c)
        for k in row.coeffs:
            if k != c:
                self._col(k).add(c)
        d = row.coeffs[c]
        if d > 1:
            self.big.add(c)
        self.dirty.add(c)
        for j in list(self._cols.get(c, ())):
            other = self.rows[j]
            m = other.coeffs[c] // d
            if m:
                other = self._own_row(j)
                self._sub_row(j, other, row, m)
                self._normalize(j, other, registered=True)

    def _sub_row(self, j: int, dst: Row[C], src: Row[C], m: int) -> None:
        """`dst -= m * src` for the registered row with pivot j, keeping the column index current."""
        sp = self.space
        col = self._col
        coeffs = dst.coeffs
        for k, x in src.coeffs.items():
            old = coeffs.get(k, 0)
            y = old - m * x
            if y:
                coeffs[k] = y
                if not old:
                    col(k).add(j)
            elif old:
                del coeffs[k]
                col(k).discard(j)
        dst.const = sp.add(dst.const, sp.scale(src.const, -m))
        axpy(dst.prov, src.prov, m)
        self.dirty.add(j)

    def _normalize(self, c: int, row: Row[C], registered: bool = False) -> None:
        """Bring the row's entries at the other pivot columns into `[0, d)` (largest column first)."""
        rows = self.rows
        heap = [-k for k in row.coeffs if k != c and k in rows]
        if not heap:
            return
        heapq.heapify(heap)
        seen: set[int] = set()
        while heap:
            k = -heapq.heappop(heap)
            if k in seen:
                continue
            seen.add(k)
            x = row.coeffs.get(k, 0)
            piv = rows[k]
            m = x // piv.coeffs[k]
            if not m:
                continue
            if registered:
                self._sub_row(c, row, piv, m)
            else:
                sp = self.space
                axpy(row.coeffs, piv.coeffs, m)  # type: ignore[arg-type]
                row.const = sp.add(row.const, sp.scale(piv.const, -m))
                axpy(row.prov, piv.prov, m)
            for k2 in piv.coeffs:
                if k2 < k and k2 in self.big and k2 not in seen:
                    heapq.heappush(heap, -k2)

    # ------------------------------------------------------------------ queries
    def reduce(self, vector: dict[int, Rational]) -> Reduction:
        """Write `vector` over the basis with rational coefficients (unique, since rows are independent)."""
        rows = self.rows
        q = dict(vector)
        alphas: dict[int, Rational] = {}
        big = self.big
        for c in [k for k in q if k in rows and k not in big]:
            a = q[c]
            alphas[c] = a
            axpy(q, rows[c].coeffs, a)
        if big:
            heap = [-k for k in q if k in big]
            heapq.heapify(heap)
            while heap:
                c = -heapq.heappop(heap)
                x = q.get(c)
                if not x:
                    continue
                row = rows[c]
                a = as_rational(Fraction(x) / row.coeffs[c])
                alphas[c] = alphas.get(c, 0) + a
                axpy(q, row.coeffs, a)
                for k in row.coeffs:
                    if k < c and k in big and q.get(k):
                        heapq.heappush(heap, -k)
        return Reduction(q, alphas)

    def value(self, red: Reduction) -> tuple[int, C]:
        """`(k, base)` with `k * vector = base` proved by integer combination (k = 1 in rational mode)."""
        sp = self.space
        k = red.multiplier if self.lattice else 1
        acc = sp.zero()
        rows = self.rows
        for c, a in red.alphas.items():
            const = rows[c].const
            if not sp.is_zero(const):
                acc = sp.add(acc, sp.scale(const, as_rational(a * k) if k != 1 else a))
        return k, acc

    def provenance(self, red: Reduction) -> dict[int, Rational]:
        """The facts' coefficients: `vector = sum(coef_f * fact_f)` (exact, rational)."""
        out: dict[int, Rational] = {}
        for c, a in red.alphas.items():
            axpy(out, self.rows[c].prov, -a)
        return {f: as_rational(x) for f, x in out.items()}

    def copy(self) -> Basis[C]:
        """An independent copy (for branching search states), copy-on-write: rows and column sets are
        shared until either side writes one, which then gets its own (see `_own_row`, `_col`)."""
        other: Basis[C] = Basis(self.space)
        other.rows = dict(self.rows)
        other._cols = dict(self._cols)
        other.big = set(self.big)
        other.dirty = set(self.dirty)
        self._own_rows.clear()  # from now on both sides share every row and column set
        self._own_cols.clear()
        return other

    def __len__(self) -> int:
        return len(self.rows)

    def nnz(self) -> int:
        return sum(len(r.coeffs) for r in self.rows.values())
