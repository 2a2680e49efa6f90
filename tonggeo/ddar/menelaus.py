"""Menelaus' theorem as ratio equations: four known lines meeting pairwise in six named points (a complete
quadrilateral) give, for each line taken as the transversal of the triangle the other three make,
(BX/XC)(CY/YA)(AZ/ZB) = 1 - a linear equation in log-lengths for the ratio table.  Ceva's theorem and
many ratio lemmas follow from these by ratio chasing."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from tonggeo.ddar.database import LINE_BASE

if TYPE_CHECKING:
    from tonggeo.ddar.database import Database


def _meet(l1: frozenset[int], l2: frozenset[int]) -> int | None:
    common = l1 & l2
    return next(iter(common)) if len(common) == 1 else None


def _at(meets: dict[tuple[int, int], int], i: int, j: int) -> int:
    return meets[(min(i, j), max(i, j))]


def feed_menelaus(db: Database, done: set[frozenset[int]]) -> int:
    """Add the Menelaus equations of every new complete quadrilateral of known lines; returns how many
    configurations were added.  `done` holds the line-id sets already used."""
    linear = db.linear
    if linear is None:
        return 0
    lines = [(lid, frozenset(pts)) for lid, pts in db.lines_with(3)]
    numeric = db.numeric
    added = 0
    for quad in combinations(lines, 4):
        key = frozenset(lid for lid, _ in quad)
        if key in done:
            continue
        sets = [pts for _, pts in quad]
        meets = {}
        for i, j in combinations(range(4), 2):
            point = _meet(sets[i], sets[j])
            if point is None:
                break
            meets[(i, j)] = point
        if len(meets) != 6 or len(set(meets.values())) != 6:
            continue
        done.add(key)
        structure = sorted({f for lid, _ in quad for f in db.lines.facts(lid - LINE_BASE)})
        for t in range(4):
            s1, s2, s3 = (k for k in range(4) if k != t)
            a, b, c = _at(meets, s2, s3), _at(meets, s3, s1), _at(meets, s1, s2)  # A opposite side s1...
            x, y, z = _at(meets, t, s1), _at(meets, t, s2), _at(meets, t, s3)  # X on s1, Y on s2, Z on s3
            if numeric.orientation(a, b, c) == 0:
                continue
            linear.add_menelaus((a, b, c, x, y, z), structure)
        added += 1
    return added
