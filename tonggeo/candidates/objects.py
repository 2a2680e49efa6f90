"""The lines and circles a problem's figure draws, read off its constructions' facts and completed
numerically with every point of the diagram that lies on them.

A line comes from a stated collinearity, a pair of points in a parallel/perpendicular/angle fact, or
two points of a base shape; a circle from a stated cyclic/circle fact, equal distances from an input
centre (`on_circle x o a`), or equal distances of at least three points from a new centre.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from tonggeo.candidates.profile import SHAPE, profile_of
from tonggeo.config import DEFAULT_NUMERIC, NumericConfig
from tonggeo.constructions.catalogue import default_catalogue
from tonggeo.diagram.model import Diagram

_PAIR_FACTS = frozenset({"para", "perp", "eqangle"})


@dataclass(frozen=True, slots=True)
class FigureLine:
    """A line of the figure: the diagram points on it (diagram order, at least two) and its direction."""

    points: tuple[str, ...]
    direction: complex

    def parallel(self, other: FigureLine, tol: float) -> bool:
        return abs((self.direction.conjugate() * other.direction).imag) < tol

    def perpendicular(self, other: FigureLine, tol: float) -> bool:
        return abs((self.direction.conjugate() * other.direction).real) < tol


@dataclass(frozen=True, slots=True)
class FigureCircle:
    """A circle of the figure: its centre's name if a point sits there, the points on it, its geometry."""

    centre: str | None
    points: tuple[str, ...]
    center: complex
    radius: float


@dataclass(frozen=True, slots=True)
class Figure:
    lines: tuple[FigureLine, ...]
    circles: tuple[FigureCircle, ...]


def _stated(diagram: Diagram) -> Iterator[tuple[str, tuple[str, ...], frozenset[str], bool]]:
    """(predicate, args, inputs of the call, call is a base shape) for every fact of built clauses."""
    catalogue = default_catalogue()
    clauses = diagram.problem.clauses
    if diagram.aux_points:
        clauses += diagram.problem.aux
    for clause in clauses:
        for call in clause.calls:
            construction = catalogue[call.name]
            mapping = dict(zip(construction.args, call.args, strict=True))
            inputs = frozenset(mapping[a] for a in construction.inputs)
            if profile_of(call.name).kind == SHAPE:
                yield "shape", tuple(mapping[o] for o in construction.outputs), inputs, True
            for template in construction.all_facts():
                name, args = template.bind(mapping)
                yield name, args, inputs, False


def figure_of(diagram: Diagram, config: NumericConfig = DEFAULT_NUMERIC) -> Figure:
    """The figure's lines and circles, each once, with all diagram points on them."""
    coords = diagram.complex_points
    names = [n for n in diagram.points if n in coords]
    tol = 1e3 * config.rel_tol * max(diagram.radius, 1e-9)
    segments: list[tuple[str, str]] = []
    centred: list[tuple[str, tuple[str, ...], bool]] = []
    rings: list[tuple[str, ...]] = []
    for name, args, inputs, shape in _stated(diagram):
        if any(a not in coords for a in args if not a[:1].isdigit()):
            continue
        if shape:
            segments.extend(itertools.combinations(args, 2))
        elif name in ("coll", "midp"):
            segments.extend(itertools.combinations(args[:3], 2))
        elif name in _PAIR_FACTS:
            segments.extend((args[i], args[i + 1]) for i in range(0, len(args) - 1, 2))
        elif name == "cong" and len(args) == 4:
            shared = set(args[:2]) & set(args[2:])
            if len(shared) == 1:
                (centre,) = shared
                others = tuple(a for a in args if a != centre)
                centred.append((centre, others, centre in inputs))
        elif name == "circle":
            centred.append((args[0], args[1:], args[0] in inputs))
        elif name == "cyclic":
            rings.append(args)
    return Figure(_lines(segments, names, coords, tol), _circles(centred, rings, names, coords, tol))


def _lines(
    segments: list[tuple[str, str]], names: list[str], coords: Mapping[str, complex], tol: float
) -> tuple[FigureLine, ...]:
    found: dict[frozenset[str], FigureLine] = {}
    covered: set[frozenset[str]] = set()
    for a, b in segments:
        pair = frozenset((a, b))
        if a == b or pair in covered:
            continue
        pa, pb = coords[a], coords[b]
        d = pb - pa
        if abs(d) <= tol:
            continue
        u = d / abs(d)
        on = tuple(n for n in names if abs((u.conjugate() * (coords[n] - pa)).imag) <= tol)
        key = frozenset(on)
        covered.update(frozenset(p) for p in itertools.combinations(on, 2))
        if key not in found:
            found[key] = FigureLine(on, u)
    return tuple(found.values())


def _circles(
    centred: list[tuple[str, tuple[str, ...], bool]],
    rings: list[tuple[str, ...]],
    names: list[str],
    coords: Mapping[str, complex],
    tol: float,
) -> tuple[FigureCircle, ...]:
    pts = {n: coords[n] for n in names}
    found: list[FigureCircle] = []

    def add(center: complex, radius: float, keep_two: bool) -> None:
        if radius <= tol:
            return
        on = tuple(n for n, z in pts.items() if abs(abs(z - center) - radius) <= tol)
        if len(on) < (2 if keep_two else 3):
            return
        if any(abs(c.center - center) <= tol and abs(c.radius - radius) <= tol for c in found):
            return
        centre = next((n for n, z in pts.items() if abs(z - center) <= tol), None)
        found.append(FigureCircle(centre, on, center, radius))

    for centre, others, from_input in centred:
        add(pts[centre], abs(pts[others[0]] - pts[centre]), from_input)
    for ring in rings:
        a, b, c = (pts[n] for n in ring[:3])
        ab, ac = b - a, c - a
        den = 2 * (ab.conjugate() * ac).imag
        if abs(den) <= tol * tol:
            continue
        center = a + 1j * (ab * abs(ac) ** 2 - ac * abs(ab) ** 2) / den
        add(center, abs(a - center), False)
    return tuple(found)
