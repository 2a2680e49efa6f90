"""Order types of drawings: which way each triple of points turns. Two drawings of one statement with the
same order type have the same shape in the sense a DDAR proof reads (sides of lines, orientations of
triangles, which of two points lies between); one that differs in many triples is another shape (an obtuse
apex where the other is acute, a foot beyond the vertex instead of on the side).

The fresh-drawing check (`tonggeo.propose.redraw`) picks its later drawings of a statement by these, so that
they visit shapes its first drawing does not.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache

import numpy as np

from tonggeo.diagram.model import Diagram

_TOLERANCE = 1e-9
"""Triples whose area is below this share of their squared size count as collinear (sign 0)."""


@cache
def _triples(n: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), 3)), dtype=np.intp).reshape(-1, 3)


def order_type(diagram: Diagram, names: Sequence[str]) -> np.ndarray:
    """The orientation (+1 counter-clockwise, -1 clockwise, 0 collinear) of every triple of the points
    `names` (in the order of `itertools.combinations`), as an int8 array."""
    xy = np.array([diagram.points[n] for n in names], dtype=np.float64).reshape(-1, 2)
    triples = _triples(len(names))
    a, b, c = xy[triples[:, 0]], xy[triples[:, 1]], xy[triples[:, 2]]
    u, v, w = b - a, c - a, c - b
    area = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    size = np.maximum(np.maximum((u * u).sum(axis=1), (v * v).sum(axis=1)), (w * w).sum(axis=1))
    signs = np.sign(area).astype(np.int8)
    signs[np.abs(area) <= _TOLERANCE * size] = 0
    return signs


def distance(first: np.ndarray, second: np.ndarray) -> int:
    """How many triples turn opposite ways in the two order types (collinear ones ignored), up to a mirror
    image of the whole drawing (which turns every triple round and is the same shape)."""
    if first.shape != second.shape:
        raise ValueError("order types of different point sets")
    both = (first != 0) & (second != 0)
    opposite = int(np.count_nonzero(both & (first != second)))
    return min(opposite, int(np.count_nonzero(both)) - opposite)


def most_different(candidates: Sequence[np.ndarray], earlier: Sequence[np.ndarray]) -> int:
    """The index of the candidate farthest (by its least `distance`) from every earlier order type; the
    first of equals, and 0 with nothing earlier."""
    if not earlier:
        return 0
    scores = [min(distance(c, e) for e in earlier) for c in candidates]
    return max(range(len(candidates)), key=lambda i: (scores[i], -i))
