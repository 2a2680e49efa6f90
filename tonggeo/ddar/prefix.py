"""The tuples of one known circle (line) that pass a prefix plan's side conditions, computed for all tuples
at once (`match._run_prefix` keeps them per class and diagram).

The direct loop visits every permutation of the class's points (P(9, 6) = 60,480 for a nine-point circle
and r58's six variables) and calls each condition on it.  Here each condition is read off a table of its
answers on the class's points, filled by the same scalar predicates (`NumericModel.orientation`,
`NumericModel.side`, or the condition itself on at most three distinct points), and the tables are
combined with numpy over all permutations at once, in the order `itertools.permutations` gives them, so
the survivors are the direct loop's, in its order.  Conditions this module cannot split that way make it
answer None (the caller then runs the direct loop).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import permutations, product

import numpy as np
from numpy.typing import NDArray

from tonggeo.ddar.numeric import NumericModel

Condition = Callable[[NumericModel, Sequence[int]], bool]

_SIGNS = ("sameclock", "sameside", "nsameside")
"""Conditions on two triangles decided by one sign per triangle (`numeric._cond_*`)."""

_MAX_ROWS = 4_000_000
"""More permutations than this go to the direct loop (memory)."""

_PERMUTATIONS: dict[tuple[int, int], NDArray[np.uint8]] = {}


def permutation_positions(k: int, m: int) -> NDArray[np.uint8]:
    """Every m-permutation of range(k) as rows, in `itertools.permutations` order (kept per (k, m))."""
    found = _PERMUTATIONS.get((k, m))
    if found is None:
        if m == 0:
            found = np.zeros((1, 0), dtype=np.uint8)
        else:
            flat = np.fromiter((i for row in permutations(range(k), m) for i in row), dtype=np.uint8)
            found = flat.reshape(-1, m)
        if len(_PERMUTATIONS) > 32:
            _PERMUTATIONS.clear()
        _PERMUTATIONS[(k, m)] = found
    return found


def _row_count(k: int, m: int) -> int:
    count = 1
    for i in range(m):
        count *= k - i
    return count


def survivors(
    numeric: NumericModel,
    pts: tuple[int, ...],
    slots: tuple[int, ...],
    conditions: Sequence[tuple[str, tuple[int, ...], Condition]],
) -> list[tuple[int, ...]] | None:
    """The permutations of `pts` (bound to `slots`, all distinct) passing every condition, each given as
    (kind, its slots, its test); None if a condition cannot be tabulated or there are too many rows."""
    k, m = len(pts), len(slots)
    if len(set(slots)) != m or k > 255:
        return None
    if k < m:
        return []
    if _row_count(k, m) > _MAX_ROWS:
        return None
    column = {s: j for j, s in enumerate(slots)}
    if any(s not in column for _, cond_slots, _ in conditions for s in cond_slots):
        return None
    rows = permutation_positions(k, m)
    keep = np.ones(len(rows), dtype=np.bool_)
    for kind, cond_slots, test in conditions:
        cols = [column[s] for s in cond_slots]
        if kind in _SIGNS and len(cols) == 6:
            sign = numeric.orientation if kind == "sameclock" else numeric.side
            table = _sign_table(sign, pts)
            s1 = table[rows[:, cols[0]], rows[:, cols[1]], rows[:, cols[2]]]
            s2 = table[rows[:, cols[3]], rows[:, cols[4]], rows[:, cols[5]]]
            if kind == "nsameside":
                ok = (s1 != 0) & (s2 != 0) & (s1 != s2)
            else:
                ok = (s1 != 0) & (s1 == s2)
            keep &= ok
            continue
        distinct = sorted(set(cols))
        if len(distinct) > 3:
            return None
        answers = _condition_table(test, numeric, pts, cols, distinct)
        keep &= answers[tuple(rows[:, c] for c in distinct)]
    chosen = np.asarray(pts, dtype=np.int64)[rows[keep]]
    return [tuple(row) for row in chosen.tolist()]


def _sign_table(sign: Callable[[int, int, int], int], pts: tuple[int, ...]) -> NDArray[np.int8]:
    """`sign` on every triple of distinct points (by position); 0 elsewhere (never read: rows are
    permutations, so a triangle's points are distinct)."""
    k = len(pts)
    table = np.zeros((k, k, k), dtype=np.int8)
    for i, j, h in permutations(range(k), 3):
        table[i, j, h] = sign(pts[i], pts[j], pts[h])
    return table


def _condition_table(
    test: Condition, numeric: NumericModel, pts: tuple[int, ...], cols: list[int], distinct: list[int]
) -> NDArray[np.bool_]:
    """The condition on every assignment of distinct points to its distinct columns (by position)."""
    k = len(pts)
    table = np.zeros((k,) * len(distinct), dtype=np.bool_)
    where = {c: i for i, c in enumerate(distinct)}
    for index in product(range(k), repeat=len(distinct)):
        if len(set(index)) != len(index):
            continue  # rows are permutations: these cells are never read
        table[index] = test(numeric, [pts[index[where[c]]] for c in cols])
    return table
