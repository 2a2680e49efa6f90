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
        """Incidences beyond what the construction asked for: none when the structure is the one its
        inputs define (enough of them on it), else the points beyond the minimum that fixes it."""
        minimum = 3 if self.kind == "circle" else 2
        if sum(1 for p in self.points if p in inputs) >= minimum:
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
    tol = rel_tol * max(scale, 1e-12)
    rel = pts - z
    dist = np.abs(rel)
    found: list[Incidence] = []
    far = dist > tol
    idx = np.nonzero(far)[0]
    # lines: existing points seen from z in one direction (mod pi)
    angle = np.mod(np.angle(rel[idx]), np.pi)
    angle = np.where(angle > np.pi - _ANGLE_TOL, angle - np.pi, angle)
    for group in _groups(angle, _ANGLE_TOL):
        found.append(Incidence("line", frozenset(names[i] for i in idx[group])))
    # equal distances: z is the centre of a circle through the group
    for group in _groups(dist[idx], tol * 10):
        found.append(Incidence("centre", frozenset(names[i] for i in idx[group])))
    # circles through z: invert about z (circles through z become lines), then group as lines
    inv = 1.0 / np.conj(rel[idx])
    found.extend(_inverted_lines(inv, [names[i] for i in idx]))
    return found


def _inverted_lines(inv: np.ndarray, names: Sequence[str]) -> list[Incidence]:
    """Circles through the centre of inversion are lines through the images that miss the origin (lines
    through the origin are lines through the centre): group, for each image, the directions to the later
    ones; keep the maximal sets."""
    found: set[frozenset[str]] = set()
    n = inv.size
    for i in range(n - 2):
        rel = inv[i + 1 :] - inv[i]
        size = np.abs(rel)
        sel = np.nonzero(size > 1e-9 * np.abs(inv[i]))[0]
        if sel.size < 2:
            continue
        angle = np.mod(np.angle(rel[sel]), np.pi)
        angle = np.where(angle > np.pi - _ANGLE_TOL, angle - np.pi, angle)
        for group in _groups(angle, _ANGLE_TOL):
            j = sel[group[0]]
            direction = rel[j] / size[j]
            # distance of the origin from the line, relative to the image's size
            offset = abs((np.conj(direction) * (-inv[i])).imag)
            if offset <= 1e-7 * abs(inv[i]):
                continue
            found.add(frozenset([names[i], *(names[i + 1 + k] for k in sel[group])]))
    return [Incidence("circle", s) for s in found if not any(s < other for other in found)]


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
