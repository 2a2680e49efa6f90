"""New incidences a candidate point brings: lines, circles and equal distances through it that hold
numerically but that its construction did not ask for.

A construction that places a point where existing lines and circles happen to meet again (the foot of
an altitude on the circle through two other feet, the midpoint that is also on a median...) is one that
creates facts for the deduction to use; HAGeo keeps exactly such "non-trivial" auxiliary points.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_ANGLE_TOL = 1e-7
"""Directions (radians) this close are one direction."""


@dataclass(frozen=True, slots=True)
class Incidence:
    """One structure through the new point: 'line', 'circle' (through it) or 'centre' (equidistant from
    `points`), with the existing points on it."""

    kind: str
    points: frozenset[str]

    def new_count(self, inputs: Collection[str]) -> int:
        """Incidences beyond what the construction asked for.  A line through two inputs, a circle
        through three, a centre of three are the construction's own (other points on them were on them
        before); a centre of exactly two inputs (a midpoint, a point on a bisector) equidistant from
        more points is new for each of them; any other structure counts its points beyond the minimum
        that fixes it (two on a line or around a centre, three on a circle through the point)."""
        on = sum(1 for p in self.points if p in inputs)
        minimum = 3 if self.kind == "circle" else 2
        if self.kind == "centre":
            if on >= 3:
                return 0
            if on == 2:
                return len(self.points) - 2
        elif on >= minimum:
            return 0
        return len(self.points) - minimum + 1


def _groups(keys: np.ndarray, tol: float) -> list[np.ndarray]:
    """Indices grouped by key value (keys within `tol` of their neighbour in sorted order join)."""
    if keys.size == 0:
        return []
    order = np.argsort(keys)
    splits = np.nonzero(np.diff(keys[order]) > tol)[0] + 1
    return [g for g in np.split(order, splits) if g.size >= 2]


def incidences(
    z: complex, points: Mapping[str, complex], scale: float, rel_tol: float = 1e-7
) -> list[Incidence]:
    """Lines through `z` and two or more points, circles through `z` and three or more, and groups of two
    or more points at one distance from `z` (all numerically, relative to `scale`)."""
    names = list(points)
    if len(names) < 2:
        return []
    pts = np.array([points[n] for n in names], dtype=np.complex128)
    scale = max(scale, 1e-12)
    rel = pts - z
    dist = np.abs(rel)
    idx = np.nonzero(dist > rel_tol * scale)[0]
    found: list[Incidence] = []
    # lines: existing points seen from z in one direction (mod pi)
    angle = np.mod(np.angle(rel[idx]), np.pi)
    angle = np.where(angle > np.pi - _ANGLE_TOL, angle - np.pi, angle)
    for group in _groups(angle, _ANGLE_TOL):
        found.append(Incidence("line", frozenset(names[i] for i in idx[group])))
    # equal distances: z is the centre of a circle through the group
    for group in _groups(dist[idx] / scale, 10 * rel_tol):
        found.append(Incidence("centre", frozenset(names[i] for i in idx[group])))
    found.extend(_circles_through(rel[idx], [names[i] for i in idx], scale, rel_tol))
    return found


def _circles_through(rel: np.ndarray, names: Sequence[str], scale: float, rel_tol: float) -> list[Incidence]:
    """Circles through the origin and three or more of the points `rel`: the circle through the origin
    and each pair has its centre at a*b*(conj(a) - conj(b)) / (conj(a)*b - a*conj(b)); pairs on one
    circle share the centre."""
    n = rel.size
    if n < 3:
        return []
    i, j = np.triu_indices(n, 1)
    a, b = rel[i], rel[j]
    den = np.conj(a) * b - a * np.conj(b)
    ok = np.abs(den) > 1e-9 * np.abs(a) * np.abs(b)
    if not np.any(ok):
        return []
    a, b, den, i, j = a[ok], b[ok], den[ok], i[ok], j[ok]
    centre = a * b * (np.conj(a) - np.conj(b)) / den
    q = 100 * rel_tol * scale
    cells = np.round(centre.real / q) + 1j * np.round(centre.imag / q)
    _, inverse, counts = np.unique(cells, return_inverse=True, return_counts=True)
    out = []
    for cell in np.nonzero(counts >= 3)[0]:  # three points on a circle through z make three pairs
        members = inverse == cell
        pts = set(i[members].tolist()) | set(j[members].tolist())
        if len(pts) >= 3:
            out.append(Incidence("circle", frozenset(names[k] for k in pts)))
    return out


def new_incidence_weight(
    found: Sequence[Incidence], inputs: Collection[str], goal_points: Collection[str], goal_bonus: float
) -> float:
    """Sum of new incidences, each weighted up by the goal points on its structure."""
    total = 0.0
    for inc in found:
        count = inc.new_count(inputs)
        if count:
            total += count * (1.0 + goal_bonus * sum(1 for p in inc.points if p in goal_points))
    return total
