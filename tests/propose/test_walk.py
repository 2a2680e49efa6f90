"""The construction walk: chained steps, mirror pairs that keep the base's symmetry, determinism."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tonggeo.candidates.enumerate import clause_key, enumerate_candidates
from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.constructions.prior import construction_prior
from tonggeo.dsl import parse_problem
from tonggeo.propose.bases import BASES, UnknownBase, base_problem
from tonggeo.propose.rankers import PriorRanker, RandomRanker
from tonggeo.propose.walk import Walk, branches, extend_walk, isometry_of, random_walk, start_walk
from tonggeo.symmetry.exact import map_call, statement_symmetries


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


def test_branches_leave_the_trunk_unchanged_and_may_use_any_points() -> None:
    rng = np.random.default_rng(5)
    trunk = extend_walk(start_walk("triangle", rng), rng, 2)
    before = trunk.diagram.problem.to_text()
    branch = extend_walk(trunk, rng, 1, chained=False)
    assert trunk.diagram.problem.to_text() == before
    assert branch.diagram.problem.to_text().startswith(before + "; ")
    assert len(branch.steps) == 3


def test_prior_ranker_prefers_heavier_kinds() -> None:
    diagram = random_walk("triangle", np.random.default_rng(0), depth=0).diagram
    found = enumerate_candidates(diagram, np.random.default_rng(0))
    ranker = PriorRanker()
    rng = np.random.default_rng(1)
    firsts = [ranker.rank(diagram, found, rng)[0].clause.calls[0].name for _ in range(200)]
    heavy = sum(construction_prior(n) >= 2.0 for n in firsts)
    heavy_found = sum(construction_prior(c.clause.calls[0].name) >= 2.0 for c in found)
    share = heavy_found / len(found)
    assert heavy / 200 > share + 0.1
    assert sorted(c.key for c in RandomRanker().rank(diagram, found, rng)) == sorted(c.key for c in found)


def test_branches_are_distinct_one_step_continuations_naming_the_given_points() -> None:
    rng = np.random.default_rng(3)
    trunk = extend_walk(start_walk("triangle", rng), rng, 2)
    before = trunk.diagram.problem.clauses
    made = list(branches(trunk, rng, 5, must_use={"a"}))
    assert made
    texts = set()
    for branch in made:
        clauses = branch.diagram.problem.clauses
        assert clauses[: len(before)] == before and len(clauses) == len(before) + 1
        (new,) = clauses[len(before):]
        assert any("a" in call.args for call in new.calls)
        texts.add(new.to_text())
    assert len(texts) == len(made)


def _branch_keys(trunk: Walk, made: list[Walk]) -> list[str]:
    rank = {p: i for i, p in enumerate(trunk.diagram.points)}
    return [clause_key(b.diagram.problem.clauses[-1].calls, rank) for b in made]


def _images(trunk: Walk, made: list[Walk]) -> list[str]:
    assert trunk.mirror is not None
    rank = {p: i for i, p in enumerate(trunk.diagram.points)}
    mirror = dict(trunk.mirror)
    return [clause_key(tuple(map_call(c, mirror) for c in b.diagram.problem.clauses[-1].calls), rank)
            for b in made]


def test_symmetric_branches_draw_one_construction_and_skip_mirror_images() -> None:
    trunk = random_walk("iso_triangle", np.random.default_rng(0), depth=2, symmetric=True)
    assert trunk.mirror is not None
    before = trunk.diagram.problem.clauses
    made = list(branches(trunk, np.random.default_rng(4), 40))
    assert len(made) > 10
    for branch in made:
        assert branch.diagram.problem.clauses[:-1] == before and branch.mirror is None
    keys, images = _branch_keys(trunk, made), _images(trunk, made)
    assert not {k for k, i in zip(keys, images, strict=True) if k != i} & set(images)
    # the same candidates and order, drawn as a plain walk: some are mirror images of each other
    plain = list(branches(replace(trunk, mirror=None, iso=None), np.random.default_rng(4), 40))
    keys, images = _branch_keys(trunk, plain), _images(trunk, plain)
    assert {k for k, i in zip(keys, images, strict=True) if k != i} & set(images)


def test_symmetric_branches_with_twins_stay_symmetric() -> None:
    trunk = random_walk("iso_triangle", np.random.default_rng(0), depth=2, symmetric=True)
    config = replace(DEFAULT_PROPOSE, branch_twins=True)
    made = list(branches(trunk, np.random.default_rng(4), 12, config=config))
    assert made and any(len(b.steps[-1].clauses) == 2 for b in made)
    for branch in made:
        assert branch.mirror is not None
        assert dict(branch.mirror) in [dict(s) for s in statement_symmetries(branch.diagram.problem.clauses)]
