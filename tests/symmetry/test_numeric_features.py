"""Involutions of a drawing's incidences (the learned detector's cheap feature and post-filter), pair
names as exact labels write them, the validation split and threshold choice of training, and the numeric
filter of the learned detector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from neural.geometric import MirrorNet, NetConfig
from neural.geometric.models import save
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.symmetry.exact import swapped_pairs
from tonggeo.symmetry.features import EDGE_FEATURES, NODE_FEATURES, featurize, normalised
from tonggeo.symmetry.learned import LearnedDetector
from tonggeo.symmetry.numeric import numeric_involutions
from tonggeo.symmetry.training import Labelled, choose_threshold, split_statements


def _numeric_pairs(text: str) -> list[tuple[str, str]]:
    points = build_diagram(parse_problem(text, "p"), np.random.default_rng(0), require_goals=False).points
    return swapped_pairs(numeric_involutions(points, normalised(points, tuple(points))))


def test_four_collinear_points_are_not_concyclic() -> None:
    # a degenerate 'circle' through collinear points once blocked every involution of this figure
    assert _numeric_pairs("a b = segment a b; c = mirror c b a; d = mirror d a b") == [("a", "b"), ("c", "d")]


def test_a_right_angle_at_a_shared_vertex_is_an_incidence() -> None:
    # b <-> d keeps coll/cong/midpoint facts but not the right angle at a (perp a b a c)
    assert _numeric_pairs("a b c = r_triangle a b c; d = mirror d b c") == []
    assert _numeric_pairs("a b c = triangle a b c; d = mirror d b c") == [("b", "d")]


def test_pair_names_are_sorted_like_exact_labels() -> None:
    problem = parse_problem("a b c = iso_triangle a b c; o = circumcenter o a b c; d = midpoint d a o", "p")
    points = build_diagram(problem, np.random.default_rng(0), require_goals=False).points
    arrays = featurize(problem, points)
    assert all(a < b for a, b in arrays.pair_names())
    assert ("d", "o") in arrays.pair_names() and ("b", "c") in arrays.numeric_pairs()


def _labelled(text: str, pairs: set[tuple[str, str]], seed: int = 0) -> Labelled:
    problem = parse_problem(text, "p")
    points = build_diagram(problem, np.random.default_rng(seed), require_goals=False).points
    return Labelled(problem, featurize(problem, points), frozenset(pairs), bool(pairs), 0.1)


ISO = "a b c = iso_triangle a b c; d = midpoint d b c"
SCALENE = "a b c = triangle a b c; d = midpoint d b c"


def test_split_keeps_every_drawing_of_a_statement_on_one_side() -> None:
    items = [_labelled(ISO, {("b", "c")}, s) for s in (0, 1)] + [_labelled(SCALENE, set(), s) for s in (0, 1)]
    train, valid = split_statements(items, 0.5, seed=0)
    assert len(train) == 2 and len(valid) == 2
    assert len({repr(it.problem.clauses) for it in train}) == 1
    assert {repr(it.problem.clauses) for it in train}.isdisjoint(repr(it.problem.clauses) for it in valid)


def test_threshold_is_the_best_precision_at_the_recall_asked() -> None:
    items = [_labelled(ISO, {("b", "c")}), _labelled(SCALENE, set())]
    # the right pair at 0.8, wrong ones at 0.4 (isosceles) and 0.3 (scalene)
    probs = [{("b", "c"): 0.8, ("a", "d"): 0.4}, {("b", "c"): 0.3}]

    def accepted(item: Labelled, cut: float) -> set[tuple[str, str]]:
        return {p for p, q in probs[items.index(item)].items() if q >= cut}

    cut, metrics = choose_threshold(accepted, items)
    assert 0.4 < cut <= 0.8 and metrics.precision == 1.0 and metrics.recall == 1.0


def test_numeric_filter_drops_pairs_no_incidence_involution_swaps(tmp_path: Path) -> None:
    torch.manual_seed(0)
    path = tmp_path / "d.pt"
    config = NetConfig("mirror", NODE_FEATURES, EDGE_FEATURES, hidden=8, layers=2, pair_edges=True)
    save(MirrorNet(config), path, {"threshold": 0.0, "numeric_filter": True})
    detector = LearnedDetector.load(path)
    assert detector.numeric_filter and detector.threshold == 0.0
    pairs, probs, _ = detector.pairs(_labelled(ISO, {("b", "c")}).arrays)
    assert pairs == [("b", "c")] and len(probs) == 6  # every pair passes the cut; the filter keeps one
    unfiltered = LearnedDetector(detector.model, {}, path, 0.0, numeric_filter=False)
    assert len(unfiltered.pairs(_labelled(ISO, {("b", "c")}).arrays)[0]) == 6
