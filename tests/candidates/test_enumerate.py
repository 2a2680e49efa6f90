"""Candidate constructions: families, symmetry-reduced keys, one candidate per new point, DSL round trip."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from tonggeo.candidates.enumerate import Candidate, enumerate_candidates, fresh_names
from tonggeo.candidates.objects import figure_of
from tonggeo.config import DEFAULT_CANDIDATES
from tonggeo.diagram import Diagram, build_diagram
from tonggeo.dsl import parse_problem

TRIANGLE = "a b c = triangle a b c"
FIGURE = "a b c = triangle a b c; o = circumcenter o a b c; d = midpoint d b c; h = orthocenter h a b c"
QUAD = "a@0_0 b@5_0 c@4_3 d@0.5_2.5 = quadrangle a b c d"
DISJOINT = "a@0_0 b@4_0 c@0_3 = triangle a b c; o = circumcenter o a b c; d@-1_1 e@5_2.2 = segment d e"
TWO_CIRCLES = (
    "a@0_0 b@4_0 c@0_3 = triangle a b c; o = circumcenter o a b c; "
    "d@3_-1 e@6_2 f@7_-2 = triangle d e f; w = circumcenter w d e f"
)


def _diagram(text: str, seed: int = 0) -> Diagram:
    return build_diagram(parse_problem(text, "t"), np.random.default_rng(seed))


def _candidates(text: str, families: tuple[str, ...] | None = None, seed: int = 0) -> list[Candidate]:
    config = DEFAULT_CANDIDATES if families is None else replace(DEFAULT_CANDIDATES, families=families)
    return enumerate_candidates(_diagram(text, seed), np.random.default_rng(seed), config=config)


FAMILIES = [
    ("construction", TRIANGLE, "midpoint _ a b"),
    ("lines", QUAD, "intersection_ll _ a c b d"),
    ("line_circle", DISJOINT, "on_circle _ o a, on_line _ d e"),
    ("circles", TWO_CIRCLES, "on_circle _ o a, on_circle _ w d"),
    ("parallel", QUAD, "intersection_lp _ a b c b d"),
    ("perpendicular", QUAD, "intersection_lt _ a b c b d"),
]


@pytest.mark.parametrize(("family", "text", "key"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_each_family_proposes_its_constructions(family: str, text: str, key: str) -> None:
    found = _candidates(text, (family,))
    assert found and all(c.family == family for c in found)
    assert key in {c.key for c in found}


def test_symmetric_calls_are_proposed_once() -> None:
    keys = [c.key for c in _candidates(TRIANGLE)]
    assert len(keys) == len(set(keys))
    assert sorted(k for k in keys if k.startswith("midpoint ")) == [
        "midpoint _ a b", "midpoint _ a c", "midpoint _ b c"
    ]
    assert [k for k in keys if k.startswith("circumcenter ")] == ["circumcenter _ a b c"]
    assert "circle _ a b c" not in keys  # excluded: duplicates circumcenter


def test_no_candidate_repeats_a_point_or_lands_on_an_existing_one() -> None:
    diagram = _diagram(FIGURE)
    found = enumerate_candidates(diagram, np.random.default_rng(1))
    assert len(found) > 100
    scale = diagram.radius
    existing = list(diagram.complex_points.values())
    for c in found:
        assert all(abs(z - w) > 1e-3 * scale for z in c.coords for w in existing), c.to_text()
    # single-point candidates: pairwise distinct positions (multi-point ones differ in at least one point)
    singles = [c.coords[0] for c in found if len(c.coords) == 1]
    for z, w in itertools.combinations(singles, 2):
        assert abs(z - w) > 1e-7 * scale
    # the midpoint of bc exists already (d), so no candidate re-makes it
    assert "midpoint _ b c" not in {c.key for c in found}


def test_candidates_print_parse_and_build() -> None:
    diagram = _diagram(FIGURE, seed=3)
    found = enumerate_candidates(diagram, np.random.default_rng(3))
    rng = np.random.default_rng(4)
    for c in found[:: max(1, len(found) // 60)]:
        text = FIGURE + "; " + c.to_text()
        problem = parse_problem(text, "t")
        assert problem.clauses[-1] == c.clause
        assert problem.to_text() == text
        built = build_diagram(problem, rng)
        assert set(c.points) <= set(built.points)


def test_must_use_restricts_to_calls_naming_the_point() -> None:
    diagram = _diagram(FIGURE)
    found = enumerate_candidates(diagram, np.random.default_rng(0), must_use={"h"})
    assert found
    for c in found:
        assert any("h" in call.args for call in c.clause.calls), c.to_text()


def test_enumeration_is_deterministic_for_a_seed() -> None:
    first = [c.to_text() for c in _candidates(FIGURE, seed=7)]
    second = [c.to_text() for c in _candidates(FIGURE, seed=7)]
    assert first == second


def test_new_points_get_fresh_names() -> None:
    found = _candidates(FIGURE)
    assert {c.points[0] for c in found} == {"e"}
    assert fresh_names({"a", "b", "d"}, 3) == ("c", "e", "f")
    assert fresh_names(set("abcdefghijklmnopqrstuvwxyz"), 2) == ("a1", "b1")


def test_figure_lines_and_circles() -> None:
    figure = figure_of(_diagram(FIGURE))
    lines = {line.points for line in figure.lines}
    assert ("b", "c", "d") in lines and ("a", "b") in lines and ("a", "h") in lines
    assert [(c.centre, c.points) for c in figure.circles] == [("o", ("a", "b", "c"))]
