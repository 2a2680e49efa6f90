"""Enumerating the known instances of a premise: for each fact kind, the tuples of points (extending the
points already bound, -1 where unbound) that the database's classes say hold.

These are generators over the database's indices (lines through a point, the lines of a direction class,
the segments of a length class...), so a rule premise is matched without scanning all point tuples.
Kinds held only by the algebraic tables (eqangle, eqratio, aconst, rconst) have no enumerator: the
planner binds their points through other premises and then checks them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import permutations

from tonggeo.ddar.database import Database

Values = Sequence[int]
Enumerator = Callable[[Database, Values], Iterable[tuple[int, ...]]]


def fill(vals: Values, pool: Iterable[int]) -> Iterator[tuple[int, ...]]:
    """Tuples agreeing with `vals` where bound, with distinct unbound entries drawn from `pool`."""
    holes = [i for i, v in enumerate(vals) if v < 0]
    if not holes:
        yield tuple(vals)
        return
    bound = {v for v in vals if v >= 0}
    choices = [p for p in pool if p not in bound]
    out = list(vals)
    for pick in permutations(choices, len(holes)):
        for i, p in zip(holes, pick, strict=True):
            out[i] = p
        yield tuple(out)


def _point_sets(db: Database, vals: Values, circles: bool) -> Iterator[tuple[int, ...]]:
    sets = db.circles if circles else db.lines
    bound = [v for v in vals if v >= 0]
    if len(bound) >= sets.arity:
        sid = sets.of(bound)
        containers = [] if sid is None else [sid]
    elif bound:
        containers = list(sets.through(bound[0]))
    else:
        containers = list(sets.classes())
    for sid in containers:
        pts = sets.points(sid)
        if all(b in pts for b in bound):
            yield from fill(vals, sorted(pts))


def known_coll(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    return _point_sets(db, vals, circles=False)


def known_cyclic(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    return _point_sets(db, vals, circles=True)


def _pairs_on(line: tuple[int, ...], a: int, b: int) -> Iterator[tuple[int, int]]:
    if a >= 0 and b >= 0:
        if a in line and b in line:
            yield a, b
        return
    for x, y in permutations(line, 2):
        if (a < 0 or x == a) and (b < 0 or y == b):
            yield x, y


def _line_pairs(
    db: Database, vals: Values, groups: Iterable[tuple[list[tuple[int, ...]], list[tuple[int, ...]]]]
) -> Iterator[tuple[int, ...]]:
    a, b, c, d = vals
    for first_lines, second_lines in groups:
        for l1 in first_lines:
            pairs1 = list(_pairs_on(l1, a, b))
            if not pairs1:
                continue
            for l2 in second_lines:
                if l2 is l1:
                    continue
                for z, w in _pairs_on(l2, c, d):
                    for x, y in pairs1:
                        yield x, y, z, w


def known_para(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    a, b, c, d = vals
    if a >= 0 and b >= 0:
        roots = [db.direction(a, b)]
    elif c >= 0 and d >= 0:
        roots = [db.direction(c, d)]
    else:
        roots = db.direction_roots()
    groups = ((lines, lines) for lines in (db.dir_lines(r) for r in roots) if len(lines) > 1)
    return _line_pairs(db, vals, groups)


def known_perp(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    a, b, c, d = vals
    if a >= 0 and b >= 0:
        d1 = db.direction(a, b)
        pairs = [(d1, d2) for d2 in db.perp_partners(d1)]
    elif c >= 0 and d >= 0:
        d2 = db.direction(c, d)
        pairs = [(d1, d2) for d1 in db.perp_partners(d2)]
    else:
        pairs = db.perp_pairs()
    groups = ((db.dir_lines(d1), db.dir_lines(d2)) for d1, d2 in pairs)
    return _line_pairs(db, vals, groups)


def _oriented(pid: int, db: Database, x: int, y: int) -> Iterator[tuple[int, int]]:
    p, q = db.pair_of(pid)
    for s, t in ((p, q), (q, p)):
        if (x < 0 or s == x) and (y < 0 or t == y):
            yield s, t


def known_cong(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    a, b, c, d = vals
    if (a < 0 or b < 0) and c >= 0 and d >= 0:
        for x, y, z, w in known_cong(db, (c, d, a, b)):
            yield z, w, x, y
        return
    lengths = db.lengths
    if a >= 0 and b >= 0:
        firsts = [db.pair_id(a, b)]
    elif a >= 0 or b >= 0:
        p = a if a >= 0 else b
        firsts = [db.pair_id(p, q) for q in range(db.n) if q != p]
    else:
        classes = [list(lengths.members(r)) for r in list(lengths.roots())]
        firsts = [m for members in classes if len(members) > 1 for m in members]
    for pid in firsts:
        if pid not in lengths:
            continue
        members = list(lengths.members(pid))
        if len(members) < 2:
            continue
        ends1 = list(_oriented(pid, db, a, b))
        if not ends1:
            continue
        for other in members:
            if other == pid:
                continue
            for z, w in _oriented(other, db, c, d):
                for x, y in ends1:
                    yield x, y, z, w


def _centred_records(db: Database, kind: str, vals: Values) -> Iterator[tuple[int, ...]]:
    """Literal midp/circle records (the centre first, the rest in any order)."""
    idx = db.index
    for fid in list(db.by_kind.get(kind, ())):
        centre, *rest = (idx[x] for x in db.records[fid].fact.args)
        for order in permutations(rest):
            pts = (centre, *order)
            if all(v < 0 or v == p for v, p in zip(vals, pts, strict=True)):
                yield pts


def known_midp(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    yield from _centred_records(db, "midp", vals)
    m, a, b = vals
    if a >= 0 and b >= 0:
        sid = db.lines.of((a, b))
        lines = [] if sid is None else [sid]
    elif m >= 0:
        lines = list(db.lines.through(m))
    else:
        p = a if a >= 0 else b
        lines = list(db.lines.through(p)) if p >= 0 else list(db.lines.classes())
    numeric = db.numeric
    for sid in lines:
        pts = sorted(db.lines.points(sid))
        for mid in pts if m < 0 else [m]:
            if mid not in pts:
                continue
            for x, y in permutations(pts, 2):
                if x == mid or y == mid or (a >= 0 and x != a) or (b >= 0 and y != b):
                    continue
                # known facts are true in the diagram: the numeric test only saves the tables' query
                if numeric.cong(mid, x, mid, y) and db.cong(mid, x, mid, y):
                    yield mid, x, y


def known_circle(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    yield from _centred_records(db, "circle", vals)
    o = vals[0]
    centres = [o] if o >= 0 else range(db.n)
    lengths = db.lengths
    for centre in centres:
        groups: dict[int, list[int]] = {}
        for q in range(db.n):
            if q != centre:
                pid = db.pair_id(centre, q)
                if pid in lengths:
                    groups.setdefault(lengths.find(pid), []).append(q)
        for pts in groups.values():
            if len(pts) >= 3 and all(v < 0 or v in pts for v in vals[1:]):
                yield from fill((centre, *vals[1:]), pts)


def _pair_forms(args: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The 8 equivalent orders of an eqangle/eqratio, each pair in both point orders."""
    p = [args[i : i + 2] for i in range(0, 8, 2)]
    for q1, q2, q3, q4 in ((0, 1, 2, 3), (0, 2, 1, 3), (3, 1, 2, 0), (3, 2, 1, 0),
                           (1, 0, 3, 2), (1, 3, 0, 2), (2, 0, 3, 1), (2, 3, 0, 1)):
        for flips in range(16):
            out: list[str] = []
            for k, q in enumerate((q1, q2, q3, q4)):
                a, b = p[q]
                out.extend((b, a) if flips >> k & 1 else (a, b))
            yield tuple(out)


def _triangle_forms(args: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    first, second = args[:3], args[3:]
    for order in permutations(range(3)):
        x = tuple(first[i] for i in order)
        y = tuple(second[i] for i in order)
        yield x + y
        yield y + x


def _records(kind: str, since: int = 0) -> Enumerator:
    """The instances of the records of `kind` (those numbered `since` or later)."""
    forms = _pair_forms if kind in ("eqangle", "eqratio") else _triangle_forms

    def enumerate_records(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
        idx = db.index
        fids = db.by_kind.get(kind, [])
        for fid in fids[bisect_left(fids, since):] if since else list(fids):
            for form in forms(db.records[fid].fact.args):
                pts = tuple(idx[x] for x in form)
                if all(v < 0 or v == p for v, p in zip(vals, pts, strict=True)):
                    yield pts

    return enumerate_records


def known_bisector(db: Database, vals: Values) -> Iterator[tuple[int, ...]]:
    """eqangle V P V X V X V Q (VX bisects angle PVQ): numerically true instances
    (`NumericModel.bisectors`), then known ones."""
    v0, p0, x0, q0 = vals[0], vals[1], vals[3], vals[7]
    for v, p, x, q in db.numeric.bisectors:
        if (v0 >= 0 and v != v0) or (x0 >= 0 and x != x0) or (p0 >= 0 and p != p0) or (q0 >= 0 and q != q0):
            continue
        pts = (v, p, v, x, v, x, v, q)
        if db.holds(db.fact("eqangle", pts)):
            yield pts


def is_bisector_shape(args: Sequence[str]) -> bool:
    """`eqangle V P V X V X V Q`: one vertex, the middle line shared."""
    return len(args) == 8 and args[0] == args[2] == args[4] == args[6] and args[3] == args[5]


def enumerator_for(name: str, args: Sequence[str], algebra: bool) -> Enumerator | None:
    """How to enumerate the known instances of a premise, or None if it can only be checked.

    eqangle/eqratio are enumerated from their records only when the tables are off (then records are
    all there is); with the tables on, only the bisector shape is enumerated (numerically, then checked).
    """
    if name in KNOWN:
        return KNOWN[name]
    if name == "eqangle" and is_bisector_shape(args):
        return known_bisector
    if not algebra and name in ("eqangle", "eqratio"):
        return _records(name)
    return None


def records_since(kind: str, since: int) -> Enumerator:
    """Enumerate the instances of the records of `kind` numbered `since` or later (record kinds only)."""
    if kind not in RECORD_KINDS:
        raise ValueError(f"{kind} is not a records-only kind")
    return _records(kind, since)


RECORD_KINDS = frozenset({"simtri", "simtri2", "contri", "contri2"})
"""Kinds known only as records (no class or table decides them): their new instances are new records."""

KNOWN: dict[str, Enumerator] = {
    "coll": known_coll,
    "cyclic": known_cyclic,
    "para": known_para,
    "perp": known_perp,
    "cong": known_cong,
    "midp": known_midp,
    "circle": known_circle,
    "simtri": _records("simtri"),
    "simtri2": _records("simtri2"),
    "contri": _records("contri"),
    "contri2": _records("contri2"),
}
"""Kinds whose known instances can be enumerated (the rest are only checked)."""

