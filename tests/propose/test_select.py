"""Goal shapes: spellings of one problem (the same lines, segments of equal length) read the same."""

from __future__ import annotations

import numpy as np

from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.numeric import NumericModel
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.facts import make_fact
from tonggeo.propose.extract import fact_shape


def _numeric(text: str) -> NumericModel:
    diagram = build_diagram(parse_problem(text, "t"), np.random.default_rng(0))
    return NumericModel(list(diagram.points), diagram.points, DEFAULT_DDAR)


def test_ratio_spellings_over_equal_segments_share_a_shape() -> None:
    numeric = _numeric("a b c = iso_triangle a b c; d = midpoint d b c")
    one = fact_shape(make_fact("eqratio", "a b b d a c c d".split()), numeric)
    two = fact_shape(make_fact("eqratio", "a c c d a b b d".split()), numeric)
    other = fact_shape(make_fact("eqratio", "a b b c a c b c".split()), numeric)
    assert one == two and one != other
    assert fact_shape(make_fact("cong", "a b a c".split()), numeric) != fact_shape(
        make_fact("cong", "b d c d".split()), numeric)


def test_line_spellings_share_a_shape_and_the_statement_points_fix_it() -> None:
    numeric = _numeric("a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c; f = on_line f d e")
    one = fact_shape(make_fact("para", "d e b c".split()), numeric)
    two = fact_shape(make_fact("para", "d f b c".split()), numeric)
    assert one == two
    statement = ["a", "b", "c", "d", "e"]
    assert fact_shape(make_fact("para", "d e b c".split()), numeric, statement) == "para b c d e"
