"""The numeric side of the engine: one diagram's points as index tables (directions, lengths) and the
structures read off them (lines, circles, parallel classes, equal lengths), so that rule matching only
ever looks at numerically true candidates, and every derived fact can be checked before it is added.

Point arguments are indices into `names`. Angles are directed, mod pi, as everywhere in the engine.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar.kernels import collinear_owner, midpoints

PI = math.pi


def _angle_diff(x: float) -> float:
    """Distance of the angle `x` from 0 mod pi."""
    x %= PI
    return min(x, PI - x)


@dataclass(frozen=True, slots=True)
class NumericLine:
    """A maximal set of numerically collinear points (at least 2) and its direction in [0, pi)."""

    points: tuple[int, ...]
    angle: float


@dataclass(frozen=True, slots=True)
class NumericCircle:
    """A maximal set of at least 4 numerically concyclic points, with its centre and radius."""

    points: tuple[int, ...]
    centre: complex
    radius: float


BUCKET = 1e-5
"""Width (radians) of the direction buckets of `NumericModel.angle_buckets`."""


class NumericModel:
    """Index tables of one diagram: `angle[a][b]`, `length[a][b]`, and predicates on point indices."""

    def __init__(
        self, names: Sequence[str], coords: Mapping[str, object], config: DdarConfig = DEFAULT_DDAR
    ) -> None:
        self.names: tuple[str, ...] = tuple(names)
        self.index: dict[str, int] = {name: i for i, name in enumerate(self.names)}
        self.config = config
        pts = []
        for name in self.names:
            xy = np.asarray(coords[name], dtype=float).reshape(-1)
            pts.append(complex(xy[0], xy[1]) if xy.size >= 2 else complex(xy[0]))
        self.points: list[complex] = pts
        n = len(pts)
        self.n = n
        z = np.array(pts, dtype=complex)
        diff = z[None, :] - z[:, None]
        self.scale = float(max(np.max(np.abs(z - z.mean())) if n else 1.0, 1e-9))
        self.length: list[list[float]] = np.abs(diff).tolist()
        self.angle: list[list[float]] = (np.angle(diff) % PI).tolist()
        self.atol = config.angle_tol
        self.rtol = config.rel_tol
        self.match_cache: dict[object, list[tuple[int, ...]]] = {}
        """What the matcher computes from the diagram alone (`match._run_prefix`), keyed by stable rule
        keys: it travels with pickled states (a few thousand tuples) and to forks whose points stay."""
        self._coll: dict[tuple[int, ...], bool] = {}
        """`coll` answers by point tuple (a function of the diagram; not pickled)."""
        self.coll_cache = self._coll
        """The same table, read directly by the matcher's spelled-out `ncoll` step."""

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_coll"] = {}
        state.pop("coll_cache", None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.coll_cache = self._coll

    # ----------------------------------------------------------------- predicates on indices
    def coll(self, pts: Sequence[int]) -> bool:
        key = tuple(pts)
        found = self._coll.get(key)
        if found is None:
            found = self._coll[key] = self._collinear(key)
        return found

    def _collinear(self, pts: tuple[int, ...]) -> bool:
        a = pts[0]
        far = max(pts[1:], key=lambda q: self.length[a][q])
        span = self.length[a][far]
        if span == 0.0:
            return True
        base = self.angle[a][far]
        for q in pts[1:]:
            if q == far:
                continue
            d = self.length[a][q]
            if d > self.rtol * span and _angle_diff(self.angle[a][q] - base) * d > self.rtol * span:
                return False
        return True

    def para(self, a: int, b: int, c: int, d: int) -> bool:
        return _angle_diff(self.angle[a][b] - self.angle[c][d]) <= self.atol

    def perp(self, a: int, b: int, c: int, d: int) -> bool:
        return _angle_diff(self.angle[a][b] - self.angle[c][d] - PI / 2) <= self.atol

    def cong(self, a: int, b: int, c: int, d: int) -> bool:
        x, y = self.length[a][b], self.length[c][d]
        return abs(x - y) <= self.rtol * max(x, y)

    def eqangle(self, p: Sequence[int]) -> bool:
        ang = self.angle
        value = ang[p[2]][p[3]] - ang[p[0]][p[1]] - ang[p[6]][p[7]] + ang[p[4]][p[5]]
        return _angle_diff(value) <= 2 * self.atol

    def eqratio(self, p: Sequence[int]) -> bool:
        ln = self.length
        x = ln[p[0]][p[1]] * ln[p[6]][p[7]]
        y = ln[p[2]][p[3]] * ln[p[4]][p[5]]
        return abs(x - y) <= 2 * self.rtol * max(x, y)

    def aconst(self, a: int, b: int, c: int, d: int, value: Fraction) -> bool:
        return _angle_diff(self.angle[c][d] - self.angle[a][b] - float(value) * PI) <= self.atol

    def rconst(self, a: int, b: int, c: int, d: int, value: Fraction) -> bool:
        x, y = self.length[a][b], self.length[c][d] * float(value)
        return abs(x - y) <= self.rtol * max(x, y)

    def aequation(self, pts: Sequence[int], value: Fraction) -> bool:
        """The directed angles from line p0p1 to line p2p3, from p4p5 to p6p7, ... add up to value * pi."""
        angle = self.angle
        total = sum(angle[pts[i + 2]][pts[i + 3]] - angle[pts[i]][pts[i + 1]] for i in range(0, len(pts), 4))
        return _angle_diff(total - float(value) * PI) <= self.atol * max(1, len(pts) // 4)

    def lequation(self, pts: Sequence[int], left: int) -> bool:
        """The products |p0p1|.|p2p3|, ... of the first `left` groups add up to those of the others."""
        ln = self.length
        terms = [ln[pts[i]][pts[i + 1]] * ln[pts[i + 2]][pts[i + 3]] for i in range(0, len(pts), 4)]
        lhs, rhs = sum(terms[:left]), sum(terms[left:])
        return abs(lhs - rhs) <= 2 * self.rtol * max(lhs, rhs)

    def r2const(self, a: int, b: int, c: int, d: int, value: Fraction) -> bool:
        x, y = self.length[a][b] ** 2, self.length[c][d] ** 2 * float(value)
        return abs(x - y) <= 2 * self.rtol * max(x, y)

    def lconst(self, a: int, b: int, value: Fraction, squared: bool = False) -> bool:
        x = self.length[a][b] ** 2 if squared else self.length[a][b]
        y = float(value)
        return abs(x - y) <= (2 if squared else 1) * self.rtol * max(x, y)

    def obtuse(self, a: int, b: int, c: int) -> bool:
        """The angle abc is strictly obtuse (b strictly between a and c when the three are collinear)."""
        u, v = self.points[a] - self.points[b], self.points[c] - self.points[b]
        inner = u.real * v.real + u.imag * v.imag
        return inner < -self.rtol * self.length[a][b] * self.length[c][b]

    def midp(self, m: int, a: int, b: int) -> bool:
        pa, pb = self.points[a], self.points[b]
        return abs(self.points[m] - (pa + pb) / 2) <= self.rtol * max(abs(pb - pa), 1e-300)

    def circle(self, o: int, rest: Sequence[int]) -> bool:
        r = self.length[o][rest[0]]
        return r > 0 and all(abs(self.length[o][q] - r) <= self.rtol * r for q in rest[1:])

    def cyclic(self, pts: Sequence[int]) -> bool:
        pts = tuple(dict.fromkeys(pts))
        if len(pts) < 4:
            return True
        a, b, c = pts[0], pts[1], pts[2]
        centre = self.circumcentre(a, b, c)
        if centre is None:
            return False
        r = abs(self.points[a] - centre)
        return all(abs(abs(self.points[q] - centre) - r) <= self.rtol * r for q in pts[3:])

    def circumcentre(self, a: int, b: int, c: int) -> complex | None:
        pa = self.points[a]
        ab, ac = self.points[b] - pa, self.points[c] - pa
        den = 2 * (ab.real * ac.imag - ab.imag * ac.real)
        if abs(den) <= self.rtol * abs(ab) * abs(ac):
            return None
        return pa + 1j * (ab * abs(ac) ** 2 - ac * abs(ab) ** 2) / den

    def similar(self, p: Sequence[int], reflected: bool) -> bool:
        pt = self.points
        a, b, c, x, y, z = (pt[i] for i in p)
        s1 = (c - a) / (b - a)
        s2 = (z - x) / (y - x)
        if reflected:
            s2 = s2.conjugate()
        return abs(s1 - s2) <= self.rtol * max(abs(s1), abs(s2), 1.0)

    def orientation(self, a: int, b: int, c: int) -> int:
        pt = self.points
        u, v = pt[b] - pt[a], pt[c] - pt[a]
        area = u.real * v.imag - u.imag * v.real
        size = max(abs(u), abs(v), abs(pt[c] - pt[b])) ** 2
        if abs(area) <= self.rtol * size:
            return 0
        return 1 if area > 0 else -1

    def side(self, a: int, b: int, c: int) -> int:
        """+1 if A lies outside segment BC, -1 if strictly inside, 0 at an end."""
        pt = self.points
        u, v = pt[b] - pt[a], pt[c] - pt[a]
        d = u.real * v.real + u.imag * v.imag
        if abs(d) <= self.rtol * max(abs(u), abs(v)) ** 2:
            return 0
        return 1 if d > 0 else -1

    # ----------------------------------------------------------------- structures
    @cached_property
    def angle_buckets(self) -> list[dict[int, list[int]]]:
        """`angle_buckets[v][k]`: the points j != v whose direction from V rounds to bucket k (angle over
        `BUCKET`, modulo pi; `known_bisector` looks its candidates up in the neighbouring buckets)."""
        period = round(math.pi / BUCKET)
        out: list[dict[int, list[int]]] = []
        for v in range(self.n):
            row = self.angle[v]
            buckets: dict[int, list[int]] = {}
            for j in range(self.n):
                if j != v:
                    buckets.setdefault(round(row[j] / BUCKET) % period, []).append(j)
            out.append(buckets)
        return out

    @cached_property
    def lines(self) -> list[NumericLine]:
        """Every maximal set of >= 2 collinear points (each point pair lies in exactly one)."""
        xs = np.array([p.real for p in self.points], dtype=np.float64)
        ys = np.array([p.imag for p in self.points], dtype=np.float64)
        owner = collinear_owner(xs, ys, self.rtol, self.config)
        found: dict[int, set[int]] = {}
        first: dict[int, tuple[int, int]] = {}
        for i, j in combinations(range(self.n), 2):
            line = int(owner[i, j])
            found.setdefault(line, set()).update((i, j))
            first.setdefault(line, (i, j))
        self._line_owner = owner.tolist()
        return [
            NumericLine(tuple(sorted(found[k])), self.angle[first[k][0]][first[k][1]]) for k in sorted(found)
        ]

    @cached_property
    def line_of_pair(self) -> list[list[int]]:
        """`line_of_pair[a][b]`: the index in `lines` of the numeric line through A and B (-1 if a == b)."""
        _ = self.lines
        return self._line_owner

    @cached_property
    def circles(self) -> list[NumericCircle]:
        """Every maximal set of >= 4 concyclic points."""
        n = self.n
        if n < 4:
            return []
        z = np.array(self.points)
        tri = np.array(list(combinations(range(n), 3)), dtype=np.int64)
        a, b, c = z[tri[:, 0]], z[tri[:, 1]], z[tri[:, 2]]
        ab, ac = b - a, c - a
        den = 2 * (ab.real * ac.imag - ab.imag * ac.real)
        ok = np.abs(den) > 1e-3 * self.rtol * np.abs(ab) * np.abs(ac)
        tri, a, ab, ac, den = tri[ok], a[ok], ab[ok], ac[ok], den[ok]
        centre = a + 1j * (ab * np.abs(ac) ** 2 - ac * np.abs(ab) ** 2) / den
        radius = np.abs(a - centre)
        dist = np.abs(z[None, :] - centre[:, None])
        on = np.abs(dist - radius[:, None]) <= self.rtol * radius[:, None]
        counts = on.sum(axis=1)
        seen: set[tuple[int, ...]] = set()
        found: list[NumericCircle] = []
        for row in np.nonzero(counts >= 4)[0]:
            members = tuple(int(k) for k in np.nonzero(on[row])[0])
            if members in seen:
                continue
            seen.add(members)
            if not self.cyclic(members):
                continue
            found.append(NumericCircle(members, complex(centre[row]), float(radius[row])))
        return found

    @cached_property
    def direction_cluster(self) -> list[int]:
        """For each numeric line, the id of its class of numerically parallel lines."""
        return _cluster_angles([line.angle for line in self.lines], self.atol)

    @cached_property
    def line_clusters(self) -> dict[int, list[int]]:
        """Each class of numerically parallel lines (`direction_cluster`), with its line indices, in order
        of first appearance."""
        clusters: dict[int, list[int]] = {}
        for k, cluster in enumerate(self.direction_cluster):
            clusters.setdefault(cluster, []).append(k)
        return clusters

    @cached_property
    def perp_cluster_pairs(self) -> list[tuple[list[int], list[int]]]:
        """The ordered pairs of numerically perpendicular classes of `line_clusters` (their line indices),
        the first class in its order, then the second."""
        clusters = list(self.line_clusters.values())
        lines = self.lines
        angles = [lines[ks[0]].angle for ks in clusters]
        # the classes by angle, to look at those near each target only; the test itself is unchanged
        order = sorted(range(len(angles)), key=angles.__getitem__)
        keys = [angles[i] for i in order]
        reach = 2 * self.atol + 1e-9
        out = []
        for ks1, angle in zip(clusters, angles, strict=True):
            target = (angle + math.pi / 2) % math.pi
            near: list[int] = []
            for low, high in ((target - reach, target + reach), (target - reach + math.pi, math.pi),
                              (-1.0, target + reach - math.pi)):
                near.extend(order[bisect_left(keys, low) : bisect_right(keys, high)])
            for j in sorted(set(near)):
                diff = abs(angles[j] - target)
                if min(diff, math.pi - diff) <= 2 * self.atol:
                    out.append((ks1, clusters[j]))
        return out

    @cached_property
    def bisectors(self) -> list[tuple[int, int, int, int]]:
        """Every (v, p, x, q) with VX numerically bisecting angle PVQ (`eqangle V P V X V X V Q`, P not on
        line VX), ordered by v, then x, then p, then the direction buckets of q (see `angle_buckets`)."""
        n = self.n
        if n < 3:
            return []
        period = round(math.pi / BUCKET)
        angle = np.array(self.angle, dtype=np.float64)
        # every (v, x, p) of distinct points, ordered by v, x, p; P not on line VX (as `para` decides)
        v, x, p = (g.reshape(-1) for g in np.indices((n, n, n)))
        distinct = (v != x) & (v != p) & (x != p)
        v, x, p = v[distinct], x[distinct], p[distinct]
        off = np.remainder(angle[v, p] - angle[v, x], math.pi)
        keep = ~(np.minimum(off, math.pi - off) <= self.atol)
        v, x, p = v[keep], x[keep], p[keep]
        if len(v) == 0:
            return []
        # the direction bucket a Q needs (the same float operations as the direct loop), and each point's
        # bucket as seen from V (`angle_buckets`)
        key = np.rint(np.remainder(2 * angle[v, x] - angle[v, p], math.pi) / BUCKET).astype(np.int64)
        bucket = np.remainder(np.rint(angle / BUCKET).astype(np.int64), period)
        qv, qq = (g.reshape(-1) for g in np.indices((n, n)))
        mine = qv != qq
        code = qv[mine] * (period + 1) + bucket[qv[mine], qq[mine]]
        order = np.argsort(code, kind="stable")  # by V and bucket, then Q ascending
        sorted_code, sorted_q = code[order], qq[mine][order]
        near = np.remainder(key[:, None] + np.array([-1, 0, 1]), period)  # the bucket and its neighbours
        wanted = (v[:, None] * (period + 1) + near).reshape(-1)
        query, at = matches_of(sorted_code, wanted)
        if len(query) == 0:
            return []
        q = sorted_q[at]
        row = query // 3
        cv, cx, cp = v[row], x[row], p[row]
        ok = (q != cp) & (q != cx)  # in the direct loop's order already: rows, then buckets, then Q
        out = []
        eqangle = self.eqangle
        for a, b, c, d in zip(cv[ok].tolist(), cp[ok].tolist(), cx[ok].tolist(), q[ok].tolist(), strict=True):
            if eqangle((a, b, a, c, a, c, a, d)):
                out.append((a, b, c, d))
        return out

    @cached_property
    def length_cluster(self) -> dict[tuple[int, int], int]:
        """For each point pair (a < b), the id of its class of numerically equal lengths."""
        pairs = list(combinations(range(self.n), 2))
        values = [self.length[a][b] for a, b in pairs]
        order = sorted(range(len(pairs)), key=values.__getitem__)
        out: dict[tuple[int, int], int] = {}
        cluster, previous = -1, -1.0
        for k in order:
            value = values[k]
            if cluster < 0 or value - previous > self.rtol * value:
                cluster += 1
            out[pairs[k]] = cluster
            previous = value
        return out

    @cached_property
    def midpoints(self) -> list[tuple[int, int, int]]:
        """Every (m, a, b), a < b, with M numerically the midpoint of AB."""
        xs = np.array([p.real for p in self.points], dtype=np.float64)
        ys = np.array([p.imag for p in self.points], dtype=np.float64)
        return [(int(m), int(a), int(b)) for m, a, b in midpoints(xs, ys, self.rtol, self.config)]

    @cached_property
    def similar_triangles(self) -> list[tuple[tuple[int, int, int], tuple[int, int, int], bool]]:
        """Pairs of numerically similar triangles: (ABC with A<B<C, PQR in corresponding order, reflected).

        Each unordered pair of triangles appears once per correspondence that makes them similar; a
        triangle similar to itself under a relabelling (isosceles, equilateral) appears with it.
        """
        tris = [t for t in combinations(range(self.n), 3) if self.orientation(*t) != 0]
        if not tris:
            return []
        step = 1e-4
        # every relabelling of every triangle (entry e: triangle e // 6, relabelling e % 6, identity first),
        # with the bucket of its ratio (C - A) / (B - A), computed as Python divides complex numbers
        labels = np.array(tris, dtype=np.int64)[:, _RELABELLINGS].reshape(-1, 3)
        xs = np.array([p.real for p in self.points])
        ys = np.array([p.imag for p in self.points])
        a, b, c = labels[:, 0], labels[:, 1], labels[:, 2]
        zr, zi = complex_quotient(xs[c] - xs[a], ys[c] - ys[a], xs[b] - xs[a], ys[b] - ys[a])
        kx, ky = np.rint(zr / step), np.rint(zi / step)
        if not (np.isfinite(kx).all() and np.isfinite(ky).all()) or max(
            float(np.abs(kx).max()), float(np.abs(ky).max())
        ) >= _BUCKET_LIMIT:
            return self._similar_triangles_loop(tris)
        code = (kx.astype(np.int64) + _BUCKET_LIMIT) * _BUCKET_SPAN + (ky.astype(np.int64) + _BUCKET_LIMIT)
        order = np.argsort(code, kind="stable")  # a bucket's entries in insertion order
        sorted_code = code[order]
        # queries: each triangle as labelled (entry 6t), then reflected, each in the 9 buckets around
        t_idx = np.arange(len(tris), dtype=np.int64)
        qx = np.repeat(kx[6 * t_idx].astype(np.int64), 2)
        qy = ky[6 * t_idx].astype(np.int64)
        qy = np.stack([qy, -qy], axis=1).reshape(-1)  # the mirror image's ratio is the conjugate
        query_t = np.repeat(t_idx, 2)
        query_r = np.tile(np.array([0, 1], dtype=np.int64), len(tris))
        offsets = np.array([(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)], dtype=np.int64)
        wanted = ((qx[:, None] + offsets[:, 0] + _BUCKET_LIMIT) * _BUCKET_SPAN
                  + (qy[:, None] + offsets[:, 1] + _BUCKET_LIMIT)).reshape(-1)
        hit, at = matches_of(sorted_code, wanted)
        if len(hit) == 0:
            return []
        entry = order[at]
        query, nb = hit // 9, hit % 9
        qt = query_t[query]
        # other triangles once per pair (not earlier ones), the same triangle relabelled, not onto itself
        keep = (entry // 6 > qt) | ((entry // 6 == qt) & (entry % 6 != 0))
        entry, qt, nb, qr = entry[keep], qt[keep], nb[keep], query_r[query][keep]
        # the order of the direct loop: triangle, as labelled before reflected, bucket, insertion
        rank = np.lexsort((entry, nb, qr, qt))
        found = []
        similar = self.similar
        for ti, (x, y, z), r in zip(qt[rank].tolist(), labels[entry[rank]].tolist(), qr[rank].tolist(),
                                    strict=True):
            t, reflected = tris[ti], bool(r)
            if similar((*t, x, y, z), reflected):
                found.append((t, (x, y, z), reflected))
        return found

    def _similar_triangles_loop(
        self, tris: list[tuple[int, int, int]]
    ) -> list[tuple[tuple[int, int, int], tuple[int, int, int], bool]]:
        """`similar_triangles` by direct loops (ratios too large for the packed bucket codes)."""
        step = 1e-4
        table: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
        pts = self.points
        for t in tris:
            for k in _RELABELLINGS:
                a, b, c = (t[k[0]], t[k[1]], t[k[2]])
                z = (pts[c] - pts[a]) / (pts[b] - pts[a])
                table.setdefault((round(z.real / step), round(z.imag / step)), []).append((a, b, c))
        found = []
        for t in tris:
            a, b, c = t
            z = (pts[c] - pts[a]) / (pts[b] - pts[a])
            for reflected, w in ((False, z), (True, z.conjugate())):
                kx, ky = round(w.real / step), round(w.imag / step)
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        for other in table.get((kx + dx, ky + dy), ()):
                            if tuple(sorted(other)) < t or other == t:
                                continue
                            if self.similar((a, b, c, *other), reflected):
                                found.append((t, other, reflected))
        return found


_RELABELLINGS = ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))
"""A triangle's six labellings, in the order `similar_triangles` files them."""
_BUCKET_LIMIT = 1 << 29
_BUCKET_SPAN = 1 << 31


def matches_of(
    sorted_code: NDArray[np.int64], wanted: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every (i, j) with `sorted_code[j] == wanted[i]`, as two arrays ordered by i, then j: a join of a
    sorted table with queries, in the order a loop over the queries and then the table would give."""
    lo = np.searchsorted(sorted_code, wanted, side="left")
    counts = np.searchsorted(sorted_code, wanted, side="right") - lo
    hit = np.nonzero(counts)[0]
    reps = counts[hit]
    within = np.arange(int(reps.sum()), dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    return np.repeat(hit, reps), np.repeat(lo[hit], reps) + within


def complex_quotient(
    ar: NDArray[np.float64], ai: NDArray[np.float64], br: NDArray[np.float64], bi: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(ar + i ai) / (br + i bi) elementwise, by the same operations as CPython's complex division
    (Smith's method, dividing through by the larger part of the divisor), so each quotient is the same
    float as Python's `/` gives; a zero divisor gives 0 (Python raises; callers never divide by one)."""
    real_big = np.abs(br) >= np.abs(bi)
    safe_br = np.where(real_big & (br == 0), 1.0, br)
    safe_bi = np.where(~real_big & (bi == 0), 1.0, bi)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio1 = bi / safe_br
        denom1 = br + bi * ratio1
        r1, i1 = (ar + ai * ratio1) / denom1, (ai - ar * ratio1) / denom1
        ratio2 = br / safe_bi
        denom2 = br * ratio2 + bi
        r2, i2 = (ar * ratio2 + ai) / denom2, (ai * ratio2 - ar) / denom2
    zero = real_big & (br == 0)
    real = np.where(zero, 0.0, np.where(real_big, r1, r2))
    imag = np.where(zero, 0.0, np.where(real_big, i1, i2))
    return real, imag


def _cluster_angles(angles: Sequence[float], tol: float) -> list[int]:
    """Cluster directions mod pi: neighbours closer than `tol` share a class (with wrap-around)."""
    order = sorted(range(len(angles)), key=angles.__getitem__)
    cluster = [0] * len(angles)
    current = -1
    previous = -10.0
    for k in order:
        if angles[k] - previous > tol:
            current += 1
        cluster[k] = current
        previous = angles[k]
    if len(order) > 1 and angles[order[0]] + PI - angles[order[-1]] <= tol:
        last = cluster[order[-1]]
        for k in order:
            if cluster[k] == last:
                cluster[k] = 0
    return cluster


def _cond_sameside(m: NumericModel, p: Sequence[int]) -> bool:
    s1, s2 = m.side(p[0], p[1], p[2]), m.side(p[3], p[4], p[5])
    return s1 != 0 and s1 == s2


def _cond_nsameside(m: NumericModel, p: Sequence[int]) -> bool:
    s1, s2 = m.side(p[0], p[1], p[2]), m.side(p[3], p[4], p[5])
    return s1 != 0 and s2 != 0 and s1 != s2


def _cond_sameclock(m: NumericModel, p: Sequence[int]) -> bool:
    s1 = m.orientation(p[0], p[1], p[2])
    return s1 != 0 and s1 == m.orientation(p[3], p[4], p[5])


NumericCheck = Callable[[NumericModel, Sequence[int]], bool]

NUMERIC_CHECKS: dict[str, NumericCheck] = {
    "coll": lambda m, p: m.coll(p),
    "ncoll": lambda m, p: not m.coll(p),
    "cyclic": lambda m, p: m.cyclic(p),
    "para": lambda m, p: m.para(p[0], p[1], p[2], p[3]),
    "npara": lambda m, p: not m.para(p[0], p[1], p[2], p[3]),
    "perp": lambda m, p: m.perp(p[0], p[1], p[2], p[3]),
    "nperp": lambda m, p: not m.perp(p[0], p[1], p[2], p[3]),
    "cong": lambda m, p: m.cong(p[0], p[1], p[2], p[3]),
    "eqangle": lambda m, p: m.eqangle(p),
    "eqratio": lambda m, p: m.eqratio(p),
    "midp": lambda m, p: m.midp(p[0], p[1], p[2]),
    "circle": lambda m, p: m.circle(p[0], p[1:]),
    "simtri": lambda m, p: m.similar(p, False),
    "simtri2": lambda m, p: m.similar(p, True),
    "contri": lambda m, p: m.similar(p, False) and m.cong(p[0], p[1], p[3], p[4]),
    "contri2": lambda m, p: m.similar(p, True) and m.cong(p[0], p[1], p[3], p[4]),
    "sameside": _cond_sameside,
    "nsameside": _cond_nsameside,
    "sameclock": _cond_sameclock,
    "diff": lambda m, p: p[0] != p[1],
    "obtuse_angle": lambda m, p: m.obtuse(p[0], p[1], p[2]),
}
"""Numeric truth of each predicate without a constant, on point indices."""


def numeric_holds(model: NumericModel, kind: str, pts: Sequence[int], value: Fraction | None = None) -> bool:
    """Whether the predicate holds in the diagram (aconst, rconst, r2const, lconst and l2const take their
    constant as `value`)."""
    check = NUMERIC_CHECKS.get(kind)  # the kinds with a constant are not among them
    if check is not None:
        return check(model, pts)
    if kind == "aconst":
        assert value is not None
        return model.aconst(pts[0], pts[1], pts[2], pts[3], value)
    if kind == "rconst":
        assert value is not None
        return model.rconst(pts[0], pts[1], pts[2], pts[3], value)
    if kind == "aequation":
        assert value is not None
        return model.aequation(pts, value)
    if kind == "lequation":
        assert value is not None
        return model.lequation(pts, int(value))
    if kind == "r2const":
        assert value is not None
        return model.r2const(pts[0], pts[1], pts[2], pts[3], value)
    if kind in ("lconst", "l2const"):
        assert value is not None
        return model.lconst(pts[0], pts[1], value, squared=kind == "l2const")
    raise KeyError(kind)
