"""Numerically true facts the database does not know yet, as point tuples: the starting points of
conclusion-first matching.  A rule whose conclusion is of one of these kinds is matched by taking each
such candidate as its conclusion and looking for known premises, so the work per round shrinks as the
database fills up.  Checks here use only the classes (never the tables): the read-back after each
algebra step has already put what the tables imply into the classes.

The orderings of one candidate set (a triple, a quadruple, a pair of triangles) are yielded one by one
while matching adds facts; when the database has changed since the set was found unknown (`version`),
it is asked again, and once the set is known its remaining orderings are dropped: each would only match
a rule whose conclusion is already known, which adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import combinations, permutations
from typing import Protocol

from tonggeo.ddar.database import Database

Generator = Callable[[Database], Iterator[tuple[int, ...]]]


class DeltaGenerator(Protocol):
    """A generator that also takes `old` (`run_plan`): it leaves out the candidates whose points are all
    below `old[0]`."""

    def __call__(self, db: Database, old: Sequence[int] = (0,)) -> Iterator[tuple[int, ...]]: ...



def coll_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    for line in db.numeric.lines:
        if len(line.points) < 3:
            continue
        for triple in combinations(line.points, 3):
            if db.lines.of(triple) is None:
                version = db.version
                for order in permutations(triple):
                    if db.version != version:
                        if db.lines.of(triple) is not None:
                            break
                        version = db.version
                    yield order


def cyclic_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    for circle in db.numeric.circles:
        for quad in combinations(circle.points, 4):
            if db.circles.of(quad) is None:
                version = db.version
                for order in permutations(quad):
                    if db.version != version:
                        if db.circles.of(quad) is not None:
                            break
                        version = db.version
                    yield order


def _ordered_pairs(points: tuple[int, ...]) -> list[tuple[int, int]]:
    return list(permutations(points, 2))


def _unordered_pairs(points: tuple[int, ...]) -> list[tuple[int, int]]:
    return list(combinations(points, 2))


def _directed_pairs(db: Database, ordered: bool = True) -> Callable[[int], list[tuple[int, int, int]]]:
    """For numeric line k: its ordered point pairs (or, not `ordered`, those with a < b: the points are
    sorted, so in `combinations` order) with the direction class of each (computed once per line and
    call: every candidate generator below reads each line's pairs many times)."""
    lines = db.numeric.lines
    memo: dict[int, list[tuple[int, int, int]]] = {}
    make = _ordered_pairs if ordered else _unordered_pairs

    def pairs(k: int) -> list[tuple[int, int, int]]:
        found = memo.get(k)
        if found is None:
            found = memo[k] = [(a, b, db.direction(a, b)) for a, b in make(lines[k].points)]
        return found

    return pairs


def para_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    pairs = _directed_pairs(db)
    for members in db.numeric.line_clusters.values():
        for k1, k2 in permutations(members, 2):
            pairs2 = pairs(k2)
            for a, b, d1 in pairs(k1):
                for c, d, d2 in pairs2:
                    if d2 != d1:
                        yield a, b, c, d


def perp_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    return _perp_tuples(db, ordered=True)


def perp_pair_candidates(db: Database) -> list[tuple[int, int, int, int]]:
    """`perp_candidates`' tuples with a < b, c < d and (a, b) < (c, d), in its order, without making the
    others (the lines' points are sorted, so their pairs with a < b come in `combinations` order)."""
    return [(a, b, c, d) for a, b, c, d in _perp_tuples(db, ordered=False) if (a, b) < (c, d)]


def _perp_tuples(db: Database, ordered: bool) -> Iterator[tuple[int, int, int, int]]:
    """Point pairs on numerically perpendicular lines not known perpendicular (`_directed_pairs`'
    pairs of each line, ordered or with a < b)."""
    pairs = _directed_pairs(db, ordered)
    for ks1, ks2 in db.numeric.perp_cluster_pairs:
        for k1 in ks1:
            for k2 in ks2:
                pairs2 = pairs(k2)
                for a, b, d1 in pairs(k1):
                    partners = db.perp_partners(d1)
                    for c, d, d2 in pairs2:
                        if d2 not in partners:
                            yield a, b, c, d


def cong_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    clusters: dict[int, list[tuple[int, int]]] = {}
    for pair, cluster in db.numeric.length_cluster.items():
        clusters.setdefault(cluster, []).append(pair)
    for pairs in clusters.values():
        if len(pairs) < 2:
            continue
        for (a, b), (c, d) in permutations(pairs, 2):
            if not db.lengths.same(db.pair_id(a, b), db.pair_id(c, d)):
                for x, y in ((a, b), (b, a)):
                    yield x, y, c, d
                    yield x, y, d, c


def midp_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    for m, a, b in db.numeric.midpoints:
        if db.lines.of((m, a, b)) is None or not db.lengths.same(db.pair_id(m, a), db.pair_id(m, b)):
            yield m, a, b
            yield m, b, a


def circle_candidates(db: Database) -> Iterator[tuple[int, ...]]:
    cluster = db.numeric.length_cluster
    for o in range(db.n):
        groups: dict[int, list[int]] = {}
        for q in range(db.n):
            if q != o:
                groups.setdefault(cluster[(o, q) if o < q else (q, o)], []).append(q)
        for pts in groups.values():
            if len(pts) < 3:
                continue
            for a, b, c in permutations(pts, 3):
                if not (db.lengths.same(db.pair_id(o, a), db.pair_id(o, b))
                        and db.lengths.same(db.pair_id(o, a), db.pair_id(o, c))):
                    yield o, a, b, c


def _triangle_candidates(kinds: tuple[str, ...]) -> DeltaGenerator:
    def generate(db: Database, old: Sequence[int] = (0,)) -> Iterator[tuple[int, ...]]:
        numeric = db.numeric
        for first, second, reflected in numeric.similar_triangles:
            if max(max(first), max(second)) < old[0]:  # read each time: the watch may close meanwhile
                continue
            kind = "simtri2" if reflected else "simtri"
            congruent = numeric.cong(first[0], first[1], second[0], second[1])
            wanted = kind in kinds or (congruent and ("contri2" if reflected else "contri") in kinds)
            if not wanted:
                continue
            if _known_triangles(db, first, second, reflected, congruent, kinds):
                continue
            version = db.version
            for order in permutations(range(3)):
                x = tuple(first[i] for i in order)
                y = tuple(second[i] for i in order)
                for pts in (x + y, y + x):
                    if db.version != version:
                        if _known_triangles(db, first, second, reflected, congruent, kinds):
                            break
                        version = db.version
                    yield pts
                else:
                    continue
                break

    return generate


def _known_triangles(
    db: Database,
    first: tuple[int, ...],
    second: tuple[int, ...],
    reflected: bool,
    congruent: bool,
    kinds: tuple[str, ...],
) -> bool:
    args = first + second
    sim = "simtri2" if reflected else "simtri"
    con = "contri2" if reflected else "contri"
    need = [k for k in kinds if k == sim or (congruent and k == con)]
    return all(db.fact(k, args) in db.by_fact for k in need)


_SIMTRI = _triangle_candidates(("simtri",))
_SIMTRI2 = _triangle_candidates(("simtri2",))
_CONTRI = _triangle_candidates(("contri",))
_CONTRI2 = _triangle_candidates(("contri2",))
_SIMTRI_ANY = _triangle_candidates(("simtri", "simtri2"))
_CONTRI_ANY = _triangle_candidates(("contri", "contri2"))

DELTA_CANDIDATES: dict[str, DeltaGenerator] = {
    "simtri": _SIMTRI, "simtri2": _SIMTRI2, "contri": _CONTRI, "contri2": _CONTRI2, "simtri*": _SIMTRI_ANY,
    "contri*": _CONTRI_ANY,
}
"""The generators that can leave out candidates on old points themselves (delta matching, `run_plan`)."""

CANDIDATES: dict[str, Generator] = {
    "coll": coll_candidates,
    "cyclic": cyclic_candidates,
    "para": para_candidates,
    "perp": perp_candidates,
    "cong": cong_candidates,
    "midp": midp_candidates,
    "circle": circle_candidates,
    "simtri": _SIMTRI,
    "simtri2": _SIMTRI2,
    "contri": _CONTRI,
    "contri2": _CONTRI2,
    "simtri*": _SIMTRI_ANY,
    "contri*": _CONTRI_ANY,
}
"""Conclusion kinds that can be matched conclusion-first."""
