"""The prior as a search policy feature: the merged order keeps the base policy's early candidates early,
puts the prior's favourites early, keeps mirrors; a missing checkpoint is a warning naming the file and a
neutral prior; labelling a record against the heuristic's root candidates; `tonggeo solve --prior`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from solvers.registry import SolverOptions, get_solver
from solvers.search.node import Ranked, SearchState
from solvers.search.policy import HeuristicPolicy
from solvers.search.prior_policy import PriorPolicy, figure_of, heuristic_pool, merge, prior_policy
from tonggeo.cli import main
from tonggeo.dsl import parse_problem
from tonggeo.symmetry.prior import FEATURES, PriorModel
from tonggeo.symmetry.prior_training import Record, label

TRIANGLE = "a b c = triangle a b c; d = foot d a b c; e = midpoint e a c ? perp a d b c"
L058 = (
    "a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
    " ? cong e c c d"
)


def _favouring(feature: str) -> PriorModel:
    """A prior whose logit is the (unscaled) value of one feature."""
    n = len(FEATURES)
    w = np.zeros((n, 1))
    w[FEATURES.index(feature), 0] = 1.0
    return PriorModel(np.zeros(n), np.ones(n), ((w, np.zeros(1)),), {})


class _Fixed:
    """A base policy returning fixed candidates (with a mirror on the last)."""

    def __init__(self, ranked: list[Ranked]) -> None:
        self.ranked = ranked

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        return self.ranked[:limit]


def test_merge_alternates_and_keeps_each_once() -> None:
    assert merge([3, 0, 1, 2], [0, 1, 2, 3]) == [3, 0, 1, 2]
    assert merge([2, 1, 0], [0, 1, 2]) == [2, 0, 1]


def test_prior_reorders_the_base_shortlist_and_keeps_mirrors() -> None:
    node, pool = heuristic_pool(parse_problem(TRIANGLE, "t"), np.random.default_rng(0), 24)
    assert len(pool) == 24
    pool = [*pool[:-1], replace(pool[-1], mirror=pool[0])]
    policy = PriorPolicy(_favouring("kind_midpoint"), _Fixed(pool), pool_factor=2.0, keep_first=0)
    ranked = policy.rank(node, 12, np.random.default_rng(0))
    assert len(ranked) == 12
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    # the base's first six are among the first twelve, and midpoints come first by the prior
    clauses = [r.clause for r in ranked]
    assert all(p.clause in clauses for p in pool[:6])
    assert ranked[0].clause.calls[0].name == "midpoint"
    kept = PriorPolicy(_favouring("kind_midpoint"), _Fixed(pool), pool_factor=2.0).rank(
        node, 12, np.random.default_rng(0)
    )
    assert [r.clause for r in kept[:8]] == [p.clause for p in pool[:8]]  # the base's first batch stays
    assert any(r.clause.calls[0].name == "midpoint" for r in kept[8:])
    mirrored = [r for r in policy.rank(node, 24, np.random.default_rng(0)) if r.mirror is not None]
    assert len(mirrored) == 1 and mirrored[0].mirror == pool[0]


def test_neutral_prior_is_the_base_order(tmp_path: Path) -> None:
    node, pool = heuristic_pool(parse_problem(TRIANGLE, "t"), np.random.default_rng(0), 10)
    policy, warning = prior_policy(_Fixed(pool), checkpoint=tmp_path / "gone.npz")
    assert warning is not None and "gone.npz" in warning and "neutral" in warning
    assert policy.rank(node, 10, np.random.default_rng(0)) == pool


def test_degenerate_node_figure_gives_the_neutral_prior() -> None:
    node, pool = heuristic_pool(parse_problem(TRIANGLE, "t"), np.random.default_rng(0), 4)
    assert figure_of(node) is not None
    points = dict(node.state.diagram.complex_points)
    points["b"] = points["a"]
    state = node.state.fork()
    arrays = {k: np.array([z.real, z.imag]) for k, z in points.items()}
    state.diagram = replace(node.state.diagram, points=arrays, complex_points=points)
    degenerate = SearchState(state, (), node.goals)
    assert figure_of(degenerate) is None
    policy = PriorPolicy(_favouring("lines"), _Fixed(pool))
    ranked = policy.rank(degenerate, 4, np.random.default_rng(0))
    assert [r.clause for r in ranked] == [r.clause for r in pool]  # neutral: the base's order
    assert all(np.isfinite(r.score) for r in ranked)


def test_label_finds_the_aux_point_among_the_heuristic_candidates() -> None:
    text = "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"
    record = Record("train_s1", "k", text, ("f = midpoint f b c",))

    def pool(problem, rng):  # type: ignore[no-untyped-def]
        node, ranked = heuristic_pool(problem, rng, 48)
        return node.state.diagram, [(r.clause, r.coords, r.score) for r in ranked]

    sample = label(record, pool)
    assert sample is not None and sample.rows.shape[1] == len(FEATURES)
    assert sample.labels.sum() >= 1
    assert label(Record("r", "k", text, ("f = nonsense f",)), pool) is None


def test_registry_builds_search_prior_and_it_proves_with_a_checked_proof() -> None:
    solver = get_solver("search-prior", SolverOptions(policy=HeuristicPolicy()))
    assert solver.name == "search-prior"
    assert isinstance(getattr(solver, "policy"), PriorPolicy)  # noqa: B009


def test_search_prior_with_the_learned_detector_ranks_in_process() -> None:
    """The learned detector is a torch model called while ranking: no forked ranking workers."""
    solver = get_solver("search-prior")
    policy = getattr(solver, "policy")  # noqa: B009
    assert isinstance(policy, PriorPolicy) and getattr(policy.base, "mirror_detector", None) is not None
    assert getattr(solver, "config").jobs == 1  # noqa: B009


def test_solve_with_prior(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(f"L058-9\n{L058}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path), "--json", "--timeout", "60", "--prior"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert row["status"] == "proved" and row["aux"]
    bad = CliRunner().invoke(main, ["solve", str(path), "--solver", "ddar", "--prior"])
    assert bad.exit_code != 0 and "the prior steers the search solver" in bad.output


@pytest.mark.parametrize("solver", ["search-prior"])
def test_missing_checkpoint_in_the_registry_warns(solver: str, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    import solvers.search.prior_policy as pp

    monkeypatch.setattr(pp, "CHECKPOINT", tmp_path / "absent.npz")
    defaults = (None, pp.DEFAULT_SEARCH, tmp_path / "absent.npz", False)
    monkeypatch.setattr(pp.prior_policy, "__defaults__", defaults)
    with pytest.warns(UserWarning, match="absent.npz"):
        built = get_solver(solver)
    assert getattr(built, "policy").prior is None  # noqa: B009


class _Counting(_Fixed):
    """`_Fixed`, remembering the shortlist lengths it was asked for."""

    def __init__(self, ranked: list[Ranked]) -> None:
        super().__init__(ranked)
        self.asked: list[int] = []

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        self.asked.append(limit)
        return super().rank(node, limit, rng)


def test_the_prior_draws_no_more_candidates_than_its_base_would() -> None:
    node, pool = heuristic_pool(parse_problem(TRIANGLE, "t"), np.random.default_rng(0), 24)
    base = _Counting(pool)
    ranked = PriorPolicy(_favouring("kind_midpoint"), base).rank(node, 16, np.random.default_rng(0))
    assert base.asked == [16]  # the base's own shortlist, re-ordered: no extra candidates drawn
    assert {r.clause for r in ranked} == {p.clause for p in pool[:16]}
    assert [r.clause for r in ranked[:8]] == [p.clause for p in pool[:8]]
