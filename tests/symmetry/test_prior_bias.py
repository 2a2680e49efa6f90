"""Proposing's symmetry bias: candidates on the drawing's mirror axis move up, nothing is dropped, a
figure without a mirror keeps the base order, and walks run with the ranker through proposing's seam."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from tonggeo.candidates.enumerate import Candidate
from tonggeo.diagram import Diagram, build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl
from tonggeo.propose.rankers import RANKERS
from tonggeo.propose.walk import random_walk
from tonggeo.symmetry.prior_bias import SymmetricRanker, keeps_symmetry, mirror_isometries


class _InOrder:
    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        return list(candidates)


def _midpoint(diagram: Diagram, a: str, b: str) -> Candidate:
    z = (diagram.complex_points[a] + diagram.complex_points[b]) / 2
    clause = Clause((PointDecl("x"),), (ConstructionCall("midpoint", ("x", a, b)),))
    return Candidate(clause, "midpoint", f"midpoint {a} {b}", (z,))


def _diagram(text: str) -> Diagram:
    return build_diagram(parse_problem(text, "p"), np.random.default_rng(0), require_goals=False)


def test_candidates_on_the_axis_move_up_and_none_is_dropped() -> None:
    diagram = _diagram("a b c = iso_triangle a b c ? cong a b a c")
    assert mirror_isometries(diagram.complex_points)
    off = [_midpoint(diagram, "a", "b"), _midpoint(diagram, "a", "c")]
    on = _midpoint(diagram, "b", "c")
    ranked = SymmetricRanker(_InOrder()).rank(diagram, [*off, on], np.random.default_rng(0))
    assert ranked[0] is on and sorted(map(id, ranked)) == sorted(map(id, [*off, on]))
    # at place 8 with odds 2, it passes the candidates at places q with (1 + 8) / (1 + q) > 2: q >= 4
    many = [*off, *[_midpoint(diagram, "a", "b") for _ in range(6)], on]
    moved = SymmetricRanker(_InOrder(), bias=2.0).rank(diagram, many, np.random.default_rng(0))
    assert moved.index(on) == 4 and moved[:4] == many[:4]
    tol = 1e-6 * diagram.radius
    isos = mirror_isometries(diagram.complex_points)
    pair = (off[0].coords[0], off[1].coords[0])  # the two midpoints of the legs are each other's image
    assert keeps_symmetry(pair, isos, tol) and not keeps_symmetry(off[0].coords, isos, tol)


def test_a_figure_without_a_mirror_keeps_the_base_order() -> None:
    diagram = _diagram("a b c = triangle a b c ? cong a b a c")
    assert mirror_isometries(diagram.complex_points) == ()
    candidates = [_midpoint(diagram, "a", "b"), _midpoint(diagram, "b", "c")]
    assert SymmetricRanker(_InOrder()).rank(diagram, candidates, np.random.default_rng(0)) == candidates
    with pytest.raises(ValueError):
        SymmetricRanker(_InOrder(), bias=0.5)


def test_walks_run_with_the_symmetric_ranker() -> None:
    ranker = RANKERS["symmetric"]()
    assert isinstance(ranker, SymmetricRanker)
    walk = random_walk("iso_triangle", np.random.default_rng(3), depth=3, ranker=ranker)
    assert len(walk.steps) >= 1
