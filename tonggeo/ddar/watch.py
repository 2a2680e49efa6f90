"""Delta matching for a child: whether a database still knows about its first `n` points ("old" points)
exactly what it knew at its parent's fixpoint.

A search child is its parent's database, saturated to a fixpoint, plus one construction (new points and
the facts stated about them).  While nothing is known about the old points that the parent did not know,
a rule match on old points only is one the parent already saw at its fixpoint: its premises were known
there too, so it was fired (`Database.fired`) or did nothing.  The child's saturation then needs only the
matches that touch a new point, and the matcher leaves out the others once every variable is bound
(`run_plan(old=...)`).  The database reports each change of its classes and tables here; the first one
that may tell something new about old points closes the watch for good, and matching is complete again.

The tests are sufficient conditions, never guesses: a class merge counts when it joins two classes that
both hold old lines (segments), or passes perpendicular partners on to old lines; a table equation counts
when its part on new variables (point pairs with a new point) depends on those of the equations added
before it (`Watch.equation`); records of the kinds read off records count when all their points are old.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from tonggeo.ddar.structures import Merged
from tonggeo.ddar.view import STRIDE

if TYPE_CHECKING:
    from tonggeo.ddar.database import Database

RECORD_READ = frozenset({"simtri", "simtri2", "contri", "contri2", "midp", "circle"})
"""Kinds whose records the matcher enumerates as records (not only through classes and tables)."""


class Watch:
    """Open while the database knows nothing new about its first `n` points since the fixpoint `plans`
    (the key of the rule set saturated to it); `gate[0]` is `n` while open, 0 once closed."""

    __slots__ = ("_basis", "_circles", "_lines", "_used", "gate", "n", "plans")

    def __init__(self, db: Database, plans: int, n: int) -> None:
        self.n = n
        self.plans = plans
        self.gate = [n]
        self._lines = _old_sets(db.lines.classes(), db.lines.points, n, 3)
        self._circles = _old_sets(db.circles.classes(), db.circles.points, n, 4)
        self._used: dict[bool, set[int]] = {True: set(), False: set()}
        """table (angle: True) -> the variables of the equations added since the watch began"""
        self._basis: dict[bool, dict[int, dict[int, Fraction]]] = {True: {}, False: {}}
        """table -> the new-variable parts of those equations, reduced (pivot variable -> row)"""

    @property
    def open(self) -> bool:
        return self.gate[0] > 0

    def close(self) -> None:
        self.gate[0] = 0

    def _old(self, pts: Iterable[int]) -> frozenset[int]:
        n = self.n
        return frozenset(p for p in pts if p < n)

    # ------------------------------------------------------------------ records and point sets
    def record(self, kind: str, args: Iterable[int]) -> None:
        if kind in RECORD_READ and all(p < self.n for p in args):
            self.close()

    def circle_class(self, db: Database, merged: Merged) -> None:
        old = self._old(db.circles.points(merged.sid))
        if len(old) >= 4 and not any(old <= known for known in self._circles):
            self.close()

    def line_class(self, db: Database, merged: Merged) -> None:
        """A coll record made line `merged.sid` from the parts it absorbed; call before their directions
        are merged (`Database._merge_lines`)."""
        points = db.lines.points(merged.sid)
        old = self._old(points)
        if len(old) >= 3 and not any(old <= known for known in self._lines):
            self.close()
            return
        parts = [(LINE_BASE + sid, pts) for sid, pts in zip(merged.classes, merged.points, strict=True)]
        parts += [(a * STRIDE + b, frozenset((a, b))) for a, b in merged.keys]
        holder = next((lid for lid, pts in parts if old <= pts), None) if len(old) >= 2 else None
        if len(old) >= 2 and holder is None:
            self.close()
            return
        new_lid = LINE_BASE + merged.sid
        directions = db.directions
        groups: dict[int, bool] = {}  # direction root -> whether it holds old lines (other than this one)
        owner = None
        for lid, _ in parts:
            if lid not in directions:
                continue
            root = directions.find(lid)
            if root not in groups:
                groups[root] = bool(self._lines_of(db, root) - {new_lid})
            if lid == holder:
                owner = root
        if holder is not None and owner is None:
            owner = -1  # the line's old pair had no direction yet: a group of its own
        nonempty = [root for root, has in groups.items() if has or root == owner]
        if owner == -1:
            nonempty.append(-1)
        if len(nonempty) >= 2:
            self.close()
            return
        if nonempty and any(self._partners_old(db, root) for root in groups if root != nonempty[0]):
            self.close()

    # ------------------------------------------------------------------ directions, perpendiculars, lengths
    def directions(self, db: Database, l1: int, l2: int) -> None:
        """Lines l1 and l2 are about to get one direction (a para record)."""
        g1, r1 = self._direction_side(db, l1)
        g2, r2 = self._direction_side(db, l2)
        if r1 is not None and r1 == r2:
            return
        if (g1 and g2) or (g1 and self._partners_old(db, r2)) or (g2 and self._partners_old(db, r1)):
            self.close()

    def perp(self, db: Database, d1: int, d2: int) -> None:
        if d2 in db.perp_partners(d1):
            return
        if self._lines_of(db, d1) and self._lines_of(db, d2):
            self.close()

    def lengths(self, db: Database, s1: int, s2: int) -> None:
        lengths = db.lengths
        if lengths.same(s1, s2):
            return
        if self._old_segments(db, s1) and self._old_segments(db, s2):
            self.close()

    def _direction_side(self, db: Database, lid: int) -> tuple[bool, int | None]:
        if lid in db.directions:
            root = db.directions.find(lid)
            return bool(self._lines_of(db, root)), root
        return self._old_line(db, lid) is not None, None

    def _old_line(self, db: Database, lid: int) -> int | None:
        """The current id of line `lid` if it holds at least two old points."""
        if lid >= LINE_BASE:
            cur = LINE_BASE + db.lines.root(lid - LINE_BASE)
        else:
            a, b = divmod(lid, STRIDE)
            cur = db.line_id(a, b)
        return cur if len(self._old(db.line_points(cur))) >= 2 else None

    def _lines_of(self, db: Database, root: int) -> set[int]:
        """The current old lines of direction class `root`."""
        out = set()
        for lid in db.directions.members(root):
            cur = self._old_line(db, lid)
            if cur is not None:
                out.add(cur)
        return out

    def _partners_old(self, db: Database, root: int | None) -> bool:
        if root is None:
            return False
        return any(self._lines_of(db, other) for other in db.perp_partners(root))

    def _old_segments(self, db: Database, sid: int) -> bool:
        n = self.n
        if sid not in db.lengths:
            a, b = divmod(sid, STRIDE)
            return a < n and b < n
        return any(m // STRIDE < n and m % STRIDE < n for m in db.lengths.members(sid))

    # ------------------------------------------------------------------ tables
    def equation(self, angle: bool, coeffs: Mapping[int, int]) -> None:
        """An equation changed the angle (ratio) table.  It tells something new about old variables
        exactly when its part on new variables is a combination of the new parts of the equations added
        since the watch began (subtracting that combination leaves a new equation on old variables
        only); over the integers too, since an independent new part cannot cancel in any combination."""
        used = self._used[angle]
        used.update(coeffs)
        rest = {v: Fraction(c) for v, c in coeffs.items() if self._new_variable(v)}
        basis = self._basis[angle]
        for pivot, row in basis.items():  # rows are kept reduced: one pass eliminates every pivot
            c = rest.get(pivot)
            if c:
                for v, r in row.items():
                    left = rest.get(v, _ZERO) - c * r
                    if left:
                        rest[v] = left
                    else:
                        rest.pop(v, None)
        if not rest:
            self.close()
            return
        pivot = min(rest)
        scale = rest[pivot]
        row = {v: c / scale for v, c in rest.items()}
        for other in basis.values():  # keep every row free of the new pivot
            c = other.get(pivot)
            if c:
                for v, r in row.items():
                    left = other.get(v, _ZERO) - c * r
                    if left:
                        other[v] = left
                    else:
                        other.pop(v, None)
        basis[pivot] = row

    def line_variables(self, points: Iterable[int], variables: Iterable[int]) -> None:
        """Lines with table `variables` became the line through `points`: its old pairs now read those
        variables, so a new variable that equations have used tells them something."""
        used = self._used[True]
        if len(self._old(points)) >= 2 and any(v in used and self._new_variable(v) for v in variables):
            self.close()

    def _new_variable(self, var: int) -> bool:
        """A point pair's variable (a line or a segment known by two points) with a new point."""
        return 0 <= var < LINE_BASE and max(divmod(var, STRIDE)) >= self.n


LINE_BASE = STRIDE * STRIDE
_ZERO = Fraction(0)


def _old_sets(
    classes: Iterable[int], points: Callable[[int], set[int]], n: int, least: int
) -> tuple[frozenset[int], ...]:
    """The old points of each class that has at least `least` of them."""
    out = []
    for sid in classes:
        old = frozenset(p for p in points(sid) if p < n)
        if len(old) >= least:
            out.append(old)
    return tuple(out)
