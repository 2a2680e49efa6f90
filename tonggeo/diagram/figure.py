"""Figures of numeric diagrams, written as SVG or PNG with matplotlib (Agg, no display needed).

What is drawn comes from the constructions as data: their facts (`coll`, `perp`, `para`, `eqangle`, equal
distances from one centre, `cyclic`) and their circle loci give the lines and circles; every line is
drawn through all named points that lie on it. Goal objects are highlighted; auxiliary objects dashed.
"""

from __future__ import annotations

import cmath
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle as CirclePatch

from tonggeo.constructions import Catalogue
from tonggeo.constructions.catalogue import default_catalogue
from tonggeo.dsl import Clause, Goal, Problem

if TYPE_CHECKING:
    from tonggeo.diagram import Diagram

LINE_COLOUR = "#3a3a3a"
CIRCLE_COLOUR = "#2a6f97"
GOAL_COLOUR = "#d62728"
AUX_COLOUR = "#7f7f7f"
FIGURE_INCHES = 6.5
LABEL_OFFSET_PT = 11.0
REL_TOL = 1e-6
SEGMENT_GOALS = {"cong", "perp", "para", "eqangle", "eqratio", "aconst", "rconst", "r2const", "lconst",
                 "acompute", "rcompute", "lcompute", "npara", "nperp"}
TRIANGLE_GOALS = {"simtri", "simtri2", "simtrir", "contri", "contri2", "contrir", "sameclock"}


@dataclass(frozen=True, slots=True)
class FigureCircle:
    """A circle to draw: centre, radius and the named points on it."""

    center: complex
    radius: float
    through: tuple[str, ...]
    aux: bool = False


@dataclass(slots=True)
class FigureModel:
    """Everything a figure shows, in plain numbers and names (built once, then rendered)."""

    points: dict[str, complex]
    aux_points: frozenset[str]
    lines: list[tuple[str, ...]] = field(default_factory=list)
    """Named points of each line, in order along it; drawn from first to last."""
    aux_lines: list[tuple[str, ...]] = field(default_factory=list)
    circles: list[FigureCircle] = field(default_factory=list)
    goal_segments: list[tuple[str, str]] = field(default_factory=list)
    goal_circles: list[FigureCircle] = field(default_factory=list)
    goal_points: set[str] = field(default_factory=set)


class _Collector:
    """Gathers line and circle candidates, merging those that are numerically the same object."""

    def __init__(self, points: dict[str, complex]) -> None:
        self.points = points
        spread = [abs(p - q) for p in points.values() for q in points.values()]
        self.scale = max(spread, default=1.0) or 1.0
        self.tol = REL_TOL * self.scale * 10
        self.lines: dict[frozenset[str], bool] = {}  # points on the line -> aux only
        self.circles: dict[tuple[int, int, int], FigureCircle] = {}

    def on_line(self, a: str, b: str) -> tuple[str, ...]:
        """All named points on line ab, ordered along it."""
        pa, pb = self.points[a], self.points[b]
        direction = (pb - pa) / abs(pb - pa)
        found = [
            (((p - pa) / direction).real, name)
            for name, p in self.points.items()
            if abs(((p - pa) / direction).imag) <= self.tol
        ]
        return tuple(name for _, name in sorted(found))

    def add_line(self, names: Iterable[str], aux: bool) -> None:
        known = list(dict.fromkeys(n for n in names if n in self.points))
        pairs = [(a, b) for i, a in enumerate(known) for b in known[i + 1 :]]
        pair = next(((a, b) for a, b in pairs if abs(self.points[a] - self.points[b]) > self.tol), None)
        if pair is None:
            return
        key = frozenset(self.on_line(*pair))
        self.lines[key] = self.lines.get(key, True) and aux

    def add_circle(self, center: complex, radius: float, aux: bool) -> None:
        if not (radius > self.tol and math.isfinite(radius)):
            return
        through = tuple(n for n, p in self.points.items() if abs(abs(p - center) - radius) <= self.tol)
        key = tuple(round(v / (self.tol * 100)) for v in (center.real, center.imag, radius))
        assert len(key) == 3
        old = self.circles.get(key)
        self.circles[key] = FigureCircle(center, radius, through, aux and (old is None or old.aux))

    def circle_through(self, names: Iterable[str], aux: bool) -> FigureCircle | None:
        known = [self.points[n] for n in dict.fromkeys(names) if n in self.points]
        if len(known) < 3:
            return None
        a, b, c = known[:3]
        den = 2 * ((b - a).real * (c - a).imag - (b - a).imag * (c - a).real)
        if abs(den) <= self.tol * self.scale:
            return None
        center = a + 1j * ((b - a) * abs(c - a) ** 2 - (c - a) * abs(b - a) ** 2) / den
        self.add_circle(center, abs(a - center), aux)
        return FigureCircle(center, abs(a - center), ())

    def is_named(self, center: complex) -> bool:
        return any(abs(p - center) <= self.tol for p in self.points.values())


def _call_objects(clause: Clause, catalogue: Catalogue, collect: _Collector, aux: bool) -> None:
    """Lines and circles that one clause's constructions state about its points."""
    pts = collect.points
    for call in clause.calls:
        construction = catalogue.get(call.name)
        if construction is None:
            continue
        mapping = dict(zip(construction.args, call.args, strict=True))
        outputs = [mapping[o] for o in construction.outputs]
        if not construction.inputs and len(outputs) >= 2:  # a free shape: draw its sides
            ring = [*outputs, outputs[0]] if len(outputs) >= 3 else outputs
            for a, b in itertools.pairwise(ring):
                collect.add_line((a, b), aux)
        centres: dict[str, set[str]] = {}
        for template in construction.all_facts():
            name, args = template.bind(mapping)
            if name == "coll":
                collect.add_line(args, aux)
            elif name in ("perp", "para", "eqangle") and len(args) % 2 == 0:
                for i in range(0, len(args), 2):
                    collect.add_line(args[i : i + 2], aux)
            elif name == "cyclic":
                collect.circle_through(args, aux)
            elif name == "cong" and len(args) == 4:
                shared = set(args[:2]) & set(args[2:])
                if len(shared) == 1:  # two distances from one point: that point is a centre
                    (centre,) = shared
                    centres.setdefault(centre, set()).update(set(args) - shared)
        for centre, around in centres.items():
            if len(around) >= 3 and centre in pts:
                collect.add_circle(pts[centre], abs(pts[next(iter(around))] - pts[centre]), aux)
        for step in construction.sketch:
            names = [mapping.get(a, a) for a in step.args]
            if not all(n in pts for n in names):
                continue
            if step.primitive == "circle" and len(names) == 3:  # centre, and a segment giving the radius
                radius = abs(pts[names[2]] - pts[names[1]])
                if collect.is_named(pts[names[0]]):
                    collect.add_circle(pts[names[0]], radius, aux)
            elif step.primitive == "dia" and len(names) == 2:
                end1, end2 = pts[names[0]], pts[names[1]]
                collect.add_circle((end1 + end2) / 2, abs(end1 - end2) / 2, aux)
            elif step.primitive == "line" and len(names) == 2:
                collect.add_line(names, aux)


def _goal_objects(goal: Goal, collect: _Collector, model: FigureModel) -> None:
    args = [a for a in goal.args if a in collect.points]
    model.goal_points.update(args)
    if goal.name in SEGMENT_GOALS:
        model.goal_segments.extend((a, b) for a, b in zip(args[0::2], args[1::2], strict=False) if a != b)
    elif goal.name in TRIANGLE_GOALS and len(args) == 6:
        for tri in (args[:3], args[3:]):
            model.goal_segments.extend(zip(tri, [*tri[1:], tri[0]], strict=True))
    elif goal.name == "coll" and len(args) >= 2:
        ordered = [n for n in collect.on_line(args[0], args[1]) if n in args] if len(args) >= 2 else args
        model.goal_segments.append((ordered[0], ordered[-1]))
    elif goal.name == "midp" and len(args) == 3:
        model.goal_segments.append((args[1], args[2]))
    elif goal.name == "cyclic":
        circle = collect.circle_through(args, aux=False)
        if circle is not None:
            model.goal_circles.append(circle)
    elif goal.name == "circle" and len(args) == 4:
        centre = collect.points[args[0]]
        radius = abs(collect.points[args[1]] - centre)
        model.goal_circles.append(FigureCircle(centre, radius, tuple(args[1:])))


def figure_model(problem: Problem, points: Mapping[str, np.ndarray], aux_points: Iterable[str] = (),
                 catalogue: Catalogue | None = None) -> FigureModel:
    """The lines, circles and goal objects of `problem` drawn at the given point coordinates."""
    catalogue = catalogue or default_catalogue()
    coords = {name: complex(float(xy[0]), float(xy[1])) for name, xy in points.items()}
    model = FigureModel(coords, frozenset(aux_points) & coords.keys())
    collect = _Collector(coords)
    for clause in problem.clauses:
        _call_objects(clause, catalogue, collect, aux=False)
    for clause in problem.aux:
        _call_objects(clause, catalogue, collect, aux=True)
    for goal in problem.goals:
        _goal_objects(goal, collect, model)
    for names, aux in collect.lines.items():
        ordered = collect.on_line(*sorted(names)[:2])
        ordered = tuple(n for n in ordered if n in names) if len(names) >= 2 else ordered
        (model.aux_lines if aux else model.lines).append(ordered)
    for circle in collect.circles.values():
        centre_named = collect.is_named(circle.center)
        if len(circle.through) >= 3 or (centre_named and len(circle.through) >= 2):
            model.circles.append(circle)
    return model


def _bounds(model: FigureModel) -> tuple[float, float, float, float]:
    xs = [p.real for p in model.points.values()] or [0.0]
    ys = [p.imag for p in model.points.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    for circle in (*model.circles, *model.goal_circles):
        if circle.radius <= 1.5 * span:  # a huge circle would shrink the figure: show only its arc
            xs += [circle.center.real - circle.radius, circle.center.real + circle.radius]
            ys += [circle.center.imag - circle.radius, circle.center.imag + circle.radius]
    margin = 0.08 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    return min(xs) - margin, max(xs) + margin, min(ys) - margin, max(ys) + margin


def incident_angles(model: FigureModel, name: str) -> list[float]:
    """Directions, at a point, of the lines and circles drawn through it (labels keep clear of them)."""
    here = model.points[name]
    angles: list[float] = []
    for names in (*model.lines, *model.aux_lines, *model.goal_segments):
        if name in names:
            for other in (names[0], names[-1]):
                if other != name and abs(model.points[other] - here) > 0:
                    angles.append(cmath.phase(model.points[other] - here))
    for circle in (*model.circles, *model.goal_circles):
        radial = here - circle.center
        if abs(abs(radial) - circle.radius) <= 1e-6 * max(circle.radius, 1.0):
            tangent = cmath.phase(radial * 1j)
            angles += [tangent, tangent + math.pi]
    return angles


def _segment_distance(p: complex, a: complex, b: complex) -> float:
    d = b - a
    t = min(max(((p - a) / d).real, 0.0), 1.0) if d else 0.0
    return abs(p - (a + t * d))


def label_offsets(model: FigureModel, data_per_pt: float) -> dict[str, complex]:
    """An offset for each label: away from lines and circles, other points and labels placed before."""
    offset = LABEL_OFFSET_PT * data_per_pt
    centroid = sum(model.points.values(), 0j) / max(len(model.points), 1)
    pts = model.points
    segments = [(pts[n[0]], pts[n[-1]]) for n in (*model.lines, *model.aux_lines, *model.goal_segments)]
    circles = [*model.circles, *model.goal_circles]
    placed: list[complex] = []
    positions: dict[str, complex] = {}
    candidates = [2 * math.pi * k / 16 for k in range(16)]

    def near(distance: float, reach: float) -> float:
        return max(0.0, 1.0 - distance / reach)

    for name, here in pts.items():
        incident = incident_angles(model, name)
        outward = cmath.phase(here - centroid) if abs(here - centroid) > 0 else math.pi / 2

        def score(angle: float, here: complex = here, incident: list[float] = incident,
                  outward: float = outward) -> float:
            gaps = [abs((angle - a + math.pi) % (2 * math.pi) - math.pi) for a in incident]
            clear = min(min(gaps, default=math.pi), math.pi / 2)
            spot = here + offset * cmath.exp(1j * angle)
            crowd = sum(near(abs(spot - q), 1.6 * offset) for q in (*pts.values(), *placed))
            crossed = sum(near(_segment_distance(spot, a, b), 0.8 * offset) for a, b in segments)
            crossed += sum(near(abs(abs(spot - c.center) - c.radius), 0.8 * offset) for c in circles)
            return clear - 1.5 * crowd - 0.6 * crossed + 0.15 * math.cos(angle - outward)

        best = max(candidates, key=score)
        positions[name] = offset * cmath.exp(1j * best)
        placed.append(here + positions[name])
    return positions


def render_figure(
    model: FigureModel, path: str | Path, *, title: str = "", highlight_goal: bool = True
) -> Path:
    """Write the figure of `model` to `path` (format from the suffix: .svg or .png)."""
    path = Path(path)
    x0, x1, y0, y1 = _bounds(model)
    width = FIGURE_INCHES
    height = min(max(width * (y1 - y0) / (x1 - x0), 0.5 * width), 1.5 * width)
    if height / width > (y1 - y0) / (x1 - x0):  # widen the data window so equal aspect fills the figure
        grow = ((x1 - x0) * height / width - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    else:
        grow = ((y1 - y0) * width / height - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    data_per_pt = (x1 - x0) / (width * 72.0)
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "tonggeo", "font.size": 12}):
        fig = Figure(figsize=(width, height))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title:
            ax.set_title(title, fontsize=10, loc="left")
        _draw_objects(ax, model, highlight_goal)
        _draw_points(ax, model, data_per_pt, highlight_goal)
        metadata = {"Date": None} if path.suffix.lower() == ".svg" else {}
        fig.savefig(path, dpi=150, bbox_inches="tight", pad_inches=0.1, metadata=metadata, facecolor="white")
    return path


def _draw_circle(ax: Axes, circle: FigureCircle, colour: str, width: float, dashed: bool = False) -> None:
    ax.add_patch(CirclePatch((circle.center.real, circle.center.imag), circle.radius, fill=False,
                             edgecolor=colour, linewidth=width, linestyle="--" if dashed else "-",
                             zorder=3 if colour == GOAL_COLOUR else 1))


def _draw_objects(ax: Axes, model: FigureModel, highlight_goal: bool) -> None:
    pts = model.points

    def segment(a: str, b: str, colour: str, width: float, dashed: bool = False) -> None:
        ax.plot([pts[a].real, pts[b].real], [pts[a].imag, pts[b].imag], color=colour, linewidth=width,
                linestyle="--" if dashed else "-", solid_capstyle="round",
                zorder=3 if colour == GOAL_COLOUR else 2)

    for circle in model.circles:
        _draw_circle(ax, circle, AUX_COLOUR if circle.aux else CIRCLE_COLOUR, 1.2, dashed=circle.aux)
    for names in model.aux_lines:
        segment(names[0], names[-1], AUX_COLOUR, 1.0, dashed=True)
    for names in model.lines:
        solid = [n for n in names if n not in model.aux_points]
        if solid[0] != names[0] or solid[-1] != names[-1]:  # extended to auxiliary points: dashed there
            segment(names[0], names[-1], AUX_COLOUR, 1.0, dashed=True)
        if len(solid) >= 2:
            segment(solid[0], solid[-1], LINE_COLOUR, 1.3)
    if highlight_goal:
        for a, b in model.goal_segments:
            segment(a, b, GOAL_COLOUR, 2.6)
        for circle in model.goal_circles:
            _draw_circle(ax, circle, GOAL_COLOUR, 2.2)


def _draw_points(ax: Axes, model: FigureModel, data_per_pt: float, highlight_goal: bool) -> None:
    halo = {"boxstyle": "round,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
    offsets = label_offsets(model, data_per_pt)
    for name, here in model.points.items():
        aux = name in model.aux_points
        goal = highlight_goal and name in model.goal_points
        colour = GOAL_COLOUR if goal else (AUX_COLOUR if aux else "black")
        ax.plot([here.real], [here.imag], marker="o", markersize=5.5, zorder=7, linestyle="none",
                markerfacecolor="white" if aux else colour, markeredgecolor=colour, markeredgewidth=1.3)
        shift = offsets[name] / data_per_pt
        ax.annotate(name, (here.real, here.imag), xytext=(shift.real, shift.imag), textcoords="offset points",
                    ha="center", va="center", fontsize=12, color=colour, zorder=6, bbox=halo,
                    style="italic" if aux else "normal")


def draw_diagram(diagram: Diagram, path: str | Path, *, highlight_goal: bool = True) -> Path:
    """Draw `diagram` to `path` (.svg or .png): labelled points, construction lines and circles, goal
    objects in red (unless `highlight_goal` is False), auxiliary points hollow and their objects dashed."""
    problem = diagram.problem
    aux_points = frozenset(diagram.aux_points)
    # a diagram built with its auxiliary clauses may carry them in the statement: sort them out by point
    statement = tuple(c for c in problem.clauses if not set(c.point_names) <= aux_points or not aux_points)
    aux = tuple(c for c in problem.clauses if c not in statement) + problem.aux
    model = figure_model(Problem(problem.name, statement, problem.goals, aux), diagram.points, aux_points)
    goals = "; ".join(g.to_text() for g in problem.goals)
    return render_figure(model, path, title=f"{problem.name}\n? {goals}" if goals else problem.name,
                         highlight_goal=highlight_goal)
