"""The construction walk: chained steps, mirror pairs that keep the base's symmetry, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from tonggeo.dsl import parse_problem
from tonggeo.propose.bases import BASES, UnknownBase, base_problem
from tonggeo.propose.symmetry import statement_symmetries
from tonggeo.propose.walk import isometry_of, random_walk


@pytest.mark.parametrize("base", sorted(BASES))
def test_bases_parse(base: str) -> None:
    assert base_problem(base).clauses


def test_unknown_base() -> None:
    with pytest.raises(UnknownBase, match="known"):
        base_problem("hexagon")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_step_uses_a_point_of_the_previous_step(seed: int) -> None:
    walk = random_walk("triangle", np.random.default_rng(seed), depth=4)
    assert len(walk.steps) == 4 and walk.mirror is None
    previous = set(base_problem("triangle").points)
    for step in walk.steps:
        (clause,) = step.clauses
        used = {a for call in clause.calls for a in call.args} - set(clause.point_names)
        assert used & previous, clause.to_text()
        previous = set(clause.point_names)
    # the walk's problem text parses back
    assert parse_problem(walk.diagram.problem.to_text(), "t").clauses == walk.diagram.problem.clauses


@pytest.mark.parametrize(("base", "seed"), [("iso_triangle", 0), ("segment", 1), ("triangle", 2)])
def test_symmetric_walk_keeps_its_mirror_as_a_symmetry(base: str, seed: int) -> None:
    walk = random_walk(base, np.random.default_rng(seed), depth=3, symmetric=True)
    assert walk.mirror is not None and walk.steps
    mirror = dict(walk.mirror)
    assert all(mirror[mirror[p]] == p for p in mirror)
    assert set(mirror) == set(walk.diagram.points)
    symmetries = [dict(s) for s in statement_symmetries(walk.diagram.problem.clauses)]
    assert mirror in symmetries


@pytest.mark.parametrize(("base", "seed"), [("iso_triangle", 3), ("segment", 4)])
def test_symmetric_drawing_stays_symmetric(base: str, seed: int) -> None:
    walk = random_walk(base, np.random.default_rng(seed), depth=3, symmetric=True)
    assert walk.mirror is not None
    coords = walk.diagram.complex_points
    iso = isometry_of(coords, walk.mirror, 1e-6 * walk.diagram.radius)
    assert iso is not None


def test_walks_are_reproducible() -> None:
    first = random_walk("quadrangle", np.random.default_rng(9), depth=3, symmetric=True)
    second = random_walk("quadrangle", np.random.default_rng(9), depth=3, symmetric=True)
    assert first.diagram.problem.to_text() == second.diagram.problem.to_text()
