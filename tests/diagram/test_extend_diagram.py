"""extend_diagram / realise_clause: one clause drawn on top of an existing diagram."""

from __future__ import annotations

import numpy as np
import pytest

from tonggeo.diagram import Diagram, DiagramError, build_diagram, extend_diagram, realise_clause
from tonggeo.dsl import Clause, ConstructionCall, PointDecl, parse_problem


def _base(seed: int = 0) -> Diagram:
    return build_diagram(parse_problem("a b c = triangle a b c", "t"), np.random.default_rng(seed))


def _clause(text: str) -> Clause:
    return parse_problem("a b c = triangle a b c; " + text, "t").clauses[-1]


def test_extend_keeps_old_points_and_adds_the_new_one() -> None:
    base = _base()
    ext = extend_diagram(base, _clause("m = midpoint m b c"), np.random.default_rng(1))
    for p in "abc":
        np.testing.assert_array_equal(ext.coords(p), base.coords(p))
    np.testing.assert_allclose(ext.coords("m"), (base.coords("b") + base.coords("c")) / 2)
    assert ext.problem.to_text() == "a b c = triangle a b c; m = midpoint m b c"
    assert ext.aux_points == ()


def test_extend_as_aux_marks_the_points_auxiliary() -> None:
    ext = extend_diagram(_base(), _clause("h = orthocenter h a b c"), np.random.default_rng(1), aux=True)
    assert ext.aux_points == ("h",)
    assert ext.problem.aux[0].to_text() == "h = orthocenter h a b c"
    assert ext.problem.clauses[0].to_text() == "a b c = triangle a b c"


def test_extend_records_loci_of_the_new_point() -> None:
    ext = extend_diagram(_base(), _clause("x = on_line x b c, on_circle x a b"), np.random.default_rng(2))
    assert sorted(locus.shape.kind for locus in ext.loci if locus.point == "x") == ["circle", "line"]
    assert np.linalg.norm(ext.coords("x") - ext.coords("b")) > 1e-3  # the second meet, not b


def test_coinciding_point_is_rejected() -> None:
    base = extend_diagram(_base(), _clause("d = midpoint d b c"), np.random.default_rng(0))
    clause = parse_problem("a b c = triangle a b c; d = midpoint d b c; x = mirror x b d", "t").clauses[-1]
    with pytest.raises(DiagramError, match="coincides with c"):
        realise_clause(base, clause, np.random.default_rng(0))


def test_existing_name_is_rejected() -> None:
    clause = Clause((PointDecl("c"),), (ConstructionCall("midpoint", ("c", "a", "b")),))
    with pytest.raises(DiagramError, match="already exist"):
        realise_clause(_base(), clause, np.random.default_rng(0))
