"""Figures for the web page: the objects of `tonggeo.diagram.figure.figure_model` (lines, circles, goal
objects, label placement) written as plain SVG whose elements name what they show, so the page can
highlight a proof step's points, lines and circles:

    <g class="point" id="pt-a" data-point="a">            one per point
    <line class="line" data-points="a b d">               one per line, every named point on it
    <circle class="circle" data-points="a b c" data-center="o">

The drawing is the same as `tonggeo draw` (same objects, same seed, same labels), only lighter.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from tonggeo.diagram.figure import (
    AUX_COLOUR,
    CIRCLE_COLOUR,
    GOAL_COLOUR,
    LINE_COLOUR,
    FigureCircle,
    FigureModel,
    figure_model,
    label_offsets,
)
from tonggeo.dsl import Problem, parse_problem

SIZE = 520.0
"""Width and height of the SVG viewport, in pixels."""
PAD = 28.0


@dataclass(frozen=True, slots=True)
class _View:
    x0: float
    y1: float
    scale: float

    def xy(self, z: complex) -> tuple[float, float]:
        return PAD + (z.real - self.x0) * self.scale, PAD + (self.y1 - z.imag) * self.scale


def _view(model: FigureModel) -> _View:
    xs = [p.real for p in model.points.values()] or [0.0]
    ys = [p.imag for p in model.points.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    for c in (*model.circles, *model.goal_circles):
        if c.radius <= 1.5 * span:
            xs += [c.center.real - c.radius, c.center.real + c.radius]
            ys += [c.center.imag - c.radius, c.center.imag + c.radius]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    scale = (SIZE - 2 * PAD) / max(width, height, 1e-9)
    x0 = min(xs) - ((SIZE - 2 * PAD) / scale - width) / 2
    y1 = max(ys) + ((SIZE - 2 * PAD) / scale - height) / 2
    return _View(x0, y1, scale)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _circle_centre(model: FigureModel, circle: FigureCircle) -> str:
    for name, z in model.points.items():
        if abs(z - circle.center) <= 1e-6 * max(circle.radius, 1.0):
            return name
    return ""


def render_svg(model: FigureModel, title: str = "") -> str:
    """The figure of `model` as an SVG document (text)."""
    view = _view(model)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE:.0f} {SIZE:.0f}" '
        f'width="{SIZE:.0f}" height="{SIZE:.0f}" class="tonggeo-figure" font-family="serif">',
        "<style>line.hl,circle.circle.hl{stroke:#ff9f1c;stroke-width:4}"
        ".point.hl>circle{fill:#ff9f1c;stroke:#c45f00}.point.hl>text{fill:#c45f00;font-weight:bold}"
        "</style>",
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    if title:
        out.append(f"<title>{html.escape(title)}</title>")

    def line(names: tuple[str, ...], colour: str, width: float, cls: str, dashed: bool) -> None:
        (x1, y1), (x2, y2) = view.xy(model.points[names[0]]), view.xy(model.points[names[-1]])
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(
            f'<line class="{cls}" data-points="{_attr(" ".join(names))}" x1="{x1:.2f}" y1="{y1:.2f}" '
            f'x2="{x2:.2f}" y2="{y2:.2f}" stroke="{colour}" stroke-width="{width}"{dash} '
            'stroke-linecap="round"/>'
        )

    def circle(c: FigureCircle, colour: str, width: float, cls: str) -> None:
        x, y = view.xy(c.center)
        dash = ' stroke-dasharray="6 4"' if c.aux else ""
        centre = _circle_centre(model, c)
        out.append(
            f'<circle class="{cls}" data-points="{_attr(" ".join(c.through))}" '
            f'data-center="{_attr(centre)}" cx="{x:.2f}" cy="{y:.2f}" r="{c.radius * view.scale:.2f}" '
            f'fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>'
        )

    for c in model.circles:
        circle(c, AUX_COLOUR if c.aux else CIRCLE_COLOUR, 1.4, "circle")
    for names in model.aux_lines:
        line(names, AUX_COLOUR, 1.2, "line aux", True)
    for names in model.lines:
        line(names, LINE_COLOUR, 1.5, "line", False)
    for a, b in model.goal_segments:
        line((a, b), GOAL_COLOUR, 2.8, "line goal", False)
    for c in model.goal_circles:
        circle(c, GOAL_COLOUR, 2.4, "circle goal")
    offsets = label_offsets(model, 1.0 / view.scale)
    for name, z in model.points.items():
        x, y = view.xy(z)
        aux = name in model.aux_points
        colour = GOAL_COLOUR if name in model.goal_points else (AUX_COLOUR if aux else "black")
        dx, dy = offsets[name].real * view.scale, -offsets[name].imag * view.scale
        style = ' font-style="italic"' if aux else ""
        out.append(
            f'<g class="point{" aux" if aux else ""}" id="pt-{_attr(name)}" data-point="{_attr(name)}">'
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="4" fill="{"white" if aux else colour}" '
            f'stroke="{colour}" stroke-width="1.5"/>'
            f'<text x="{x + dx:.2f}" y="{y + dy:.2f}" text-anchor="middle" dominant-baseline="central" '
            f'font-size="15" fill="{colour}"{style}>{html.escape(name)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


def figure_of(problem: Problem, seed: int, aux: tuple[str, ...] = ()) -> str:
    """The SVG of `problem` drawn with `seed` (as `tonggeo solve --out` draws it), with the auxiliary
    clauses `aux` (DSL text, e.g. those a search found) drawn dashed.  Raises DiagramError."""
    from tonggeo.diagram import build_diagram

    statement = problem
    if aux:
        text = "; ".join(c.to_text() for c in problem.clauses) + " | " + "; ".join(aux)
        goals = "; ".join(g.to_text() for g in problem.goals)
        statement = parse_problem(text + (" ? " + goals if goals else ""), problem.name)
    diagram = build_diagram(
        statement, np.random.default_rng(seed), include_aux=bool(aux), require_goals=False
    )
    aux_points = frozenset(diagram.aux_points)
    clauses = tuple(c for c in statement.clauses if not set(c.point_names) <= aux_points or not aux_points)
    extra = tuple(c for c in statement.clauses if c not in clauses) + statement.aux
    model = figure_model(Problem(statement.name, clauses, statement.goals, extra), diagram.points, aux_points)
    goals = "; ".join(g.to_text() for g in problem.goals)
    return render_svg(model, f"{problem.name} ? {goals}" if goals else problem.name)
