"""Figures: which lines, circles and goal objects a diagram's figure shows, and that SVG/PNG files are
written with readable labels (checked on hand-computed coordinates, independent of diagram sampling)."""

from __future__ import annotations

import cmath
import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from tonggeo.diagram.figure import FigureModel, figure_model, incident_angles, label_offsets, render_figure
from tonggeo.dsl import parse_problem

TEXT = (
    "a b c = triangle a b c; h = orthocenter h a b c; d = foot d a b c; o = circle o a b c; "
    "m = midpoint m b c | e = on_line e a o, on_circle e o a ? perp a h b c; cyclic a b c e"
)


def _foot(p: complex, u: complex, v: complex) -> complex:
    d = v - u
    return u + d * ((p - u) / d).real


@pytest.fixture
def model() -> FigureModel:
    a, b, c = 0j, 4 + 0j, 1 + 3j
    o = 2 + 1j  # circumcentre of a, b, c
    coords = {"a": a, "b": b, "c": c, "h": a + b + c - 2 * o, "d": _foot(a, b, c), "o": o,
              "m": (b + c) / 2, "e": 2 * o - a}
    points = {name: np.array([z.real, z.imag]) for name, z in coords.items()}
    return figure_model(parse_problem(TEXT, "ortho"), points, aux_points=["e"])


def test_lines_pass_through_every_collinear_named_point(model: FigureModel) -> None:
    assert set(model.lines) == {("a", "b"), ("a", "c"), ("b", "m", "d", "c"), ("a", "h", "d"), ("b", "h"),
                                ("c", "h")}
    assert model.aux_lines == [("a", "o", "e")]  # only the auxiliary clause asks for line a-o


def test_circles_and_goal_objects(model: FigureModel) -> None:
    (circle,) = model.circles
    assert circle.center == pytest.approx(2 + 1j)
    assert set(circle.through) == {"a", "b", "c", "e"}
    assert not circle.aux  # the statement's circumcircle; e merely lies on it
    assert model.goal_segments == [("a", "h"), ("b", "c")]
    (goal_circle,) = model.goal_circles
    assert goal_circle.radius == pytest.approx(math.sqrt(5))
    assert model.goal_points == {"a", "h", "b", "c", "e"}
    assert model.aux_points == {"e"}


def test_missing_aux_points_are_skipped() -> None:
    points = {"a": np.array([0.0, 0.0]), "b": np.array([4.0, 0.0]), "c": np.array([1.0, 3.0])}
    problem = parse_problem("a b c = triangle a b c | d = midpoint d b c ? cong a d a d", "p")
    built = figure_model(problem, points)
    assert set(built.lines) == {("a", "b"), ("b", "c"), ("a", "c")}
    assert built.goal_segments == []


def test_labels_keep_clear_of_lines_and_points(model: FigureModel) -> None:
    offsets = label_offsets(model, data_per_pt=0.01)
    for name, offset in offsets.items():
        assert abs(offset) == pytest.approx(0.11)
        for direction in incident_angles(model, name):
            gap = abs((cmath.phase(offset) - direction + math.pi) % (2 * math.pi) - math.pi)
            assert gap > math.radians(10), (name, math.degrees(direction))
        spot = model.points[name] + offset
        assert all(abs(spot - q) > 0.05 for q in model.points.values())


def test_svg_has_labels_as_text(model: FigureModel, tmp_path: Path) -> None:
    path = render_figure(model, tmp_path / "f.svg", title="ortho")
    svg = path.read_text()
    assert svg.startswith("<?xml") and "<svg" in svg
    for name in model.points:
        assert f">{name}</text>" in svg
    assert "#d62728" in svg  # the goal colour
    again = render_figure(model, tmp_path / "g.svg", title="ortho").read_text()
    assert again == svg  # reproducible output


def test_png_is_written(model: FigureModel, tmp_path: Path) -> None:
    path = render_figure(model, tmp_path / "f.png", highlight_goal=False)
    image = imread(path)
    height, width = image.shape[:2]
    assert 700 < width < 1100 and 700 < height < 1200
    ink = (image[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.002 < ink < 0.2  # something drawn, not a blot
    assert not ((image[..., 0] > 0.75) & (image[..., 1] < 0.3)).any()  # no goal red without highlighting
