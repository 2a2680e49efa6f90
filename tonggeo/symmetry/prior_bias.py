"""Proposing's symmetry bias: a walk ranker that moves up the candidates predicted to keep the figure
symmetric, so walks drift toward symmetric configurations.

The prediction reads the drawing only (no saturation): the involutions of its numeric incidences
(`tonggeo.symmetry.numeric`) that the drawing realises as a mirror isometry.  A candidate keeps the
figure symmetric when such an isometry maps its new points onto its new points (a point on the axis, or
a clause that makes a point and its image together).  The bias only reorders: every candidate the base
ranker offers is still offered, and whatever symmetry a proposed problem is credited with is established
by proposing's exact checks, never by this guess.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from tonggeo.candidates.enumerate import Candidate
from tonggeo.diagram import Diagram
from tonggeo.symmetry.prior import Isometry, isometry_of, symmetries_of


class Ranker(Protocol):
    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> Sequence[Candidate]: ...


def mirror_isometries(points: Mapping[str, complex], limit: int = 2) -> tuple[Isometry, ...]:
    """Mirror isometries of the drawing that map its numeric incidences to themselves (at most `limit`)."""
    zs = np.array(list(points.values()), dtype=np.complex128)
    if len(zs) < 2 or not np.isfinite(zs).all():
        return ()
    radius = float(np.abs(zs - zs.mean()).mean())
    if radius <= 0:
        return ()
    found = (isometry_of(points, sigma, radius) for sigma in symmetries_of(points, limit))
    return tuple(iso for iso in found if iso is not None)


def keeps_symmetry(coords: Sequence[complex], isometries: Sequence[Isometry], tol: float) -> bool:
    """Whether one of `isometries` maps the new points `coords` onto themselves."""
    for a, b, flip in isometries:
        images = [a * (z.conjugate() if flip else z) + b for z in coords]
        if all(any(abs(w - z) <= tol for z in coords) for w in images):
            return True
    return False


class SymmetricRanker:
    """`base`'s order with the candidates that keep the drawing's mirror symmetry moved up: a kept
    candidate at place p goes before another at place q whenever (1 + p) / (1 + q) < `bias`."""

    def __init__(self, base: Ranker, bias: float = 4.0) -> None:
        if bias < 1.0:
            raise ValueError("the symmetry bias must be at least 1")
        self.base = base
        self.bias = bias

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        ordered = list(self.base.rank(diagram, candidates, rng))
        isometries = mirror_isometries(diagram.complex_points)
        if not isometries or self.bias == 1.0:
            return ordered
        tol = 1e-6 * max(diagram.radius, 1e-9)
        boost = math.log(self.bias)
        keys = [
            boost * keeps_symmetry(c.coords, isometries, tol) - math.log1p(i) for i, c in enumerate(ordered)
        ]
        return [ordered[i] for i in sorted(range(len(ordered)), key=lambda i: (-keys[i], i))]
