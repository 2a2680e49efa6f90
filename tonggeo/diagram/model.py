"""The numeric diagram of a problem: named points, the loci that fixed them, and the build error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from tonggeo.constructions.planar import Circle, Line
from tonggeo.dsl.ast import Problem


@dataclass(frozen=True, slots=True)
class Locus:
    """A line, ray, segment or circle that helped fix `point`, from the call `call` (for figures).

    `shape.kind` is 'line', 'ray', 'segment' or 'circle'; lines expose `origin_xy`, `direction_xy`
    (unit), `lo`/`hi` (parameter bounds along the direction), circles `center_xy` and `radius`.
    """

    point: str
    call: str
    shape: Line | Circle


@dataclass(frozen=True)
class Diagram:
    """Coordinates of every point of a problem (auxiliary points included iff built with include_aux)."""

    problem: Problem
    points: Mapping[str, np.ndarray]
    aux_points: tuple[str, ...]
    loci: tuple[Locus, ...]
    complex_points: Mapping[str, complex] = field(default_factory=dict, repr=False, compare=False)
    choices: int = field(default=0, compare=False)
    """Two-candidate choices (which of two intersections) the drawing made (`build_diagram`'s flips)."""

    def __post_init__(self) -> None:
        if len(self.complex_points) != len(self.points):
            as_complex = {name: complex(float(xy[0]), float(xy[1])) for name, xy in self.points.items()}
            object.__setattr__(self, "complex_points", MappingProxyType(as_complex))

    def coords(self, name: str) -> np.ndarray:
        """The point's coordinates as a float64 array [x, y] (KeyError if unknown)."""
        return self.points[name]

    @property
    def radius(self) -> float:
        """Largest distance of a point from the centroid (the diagram's size)."""
        pts = list(self.complex_points.values())
        if not pts:
            return 0.0
        centre = sum(pts) / len(pts)
        return max(abs(p - centre) for p in pts)


class DiagramError(Exception):
    """No usable diagram: `problem` (name), `clause` (the failing clause's text), `reason` (a sentence)."""

    def __init__(self, problem: str, clause: str, reason: str) -> None:
        self.problem = problem
        self.clause = clause
        self.reason = reason
        super().__init__(f"problem '{problem}': cannot build '{clause}': {reason}")


def freeze_points(coords: Mapping[str, complex]) -> Mapping[str, np.ndarray]:
    """Read-only float64 [x, y] arrays from complex coordinates."""
    out: dict[str, np.ndarray] = {}
    for name, z in coords.items():
        xy = np.array([z.real, z.imag], dtype=np.float64)
        xy.setflags(write=False)
        out[name] = xy
    return MappingProxyType(out)
