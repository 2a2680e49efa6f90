"""The merged exact detector: configuration involutions after saturation, the re-check of a guessed
involution, and the per-problem detection `tonggeo symmetry --detector exact` prints."""

from __future__ import annotations

import numpy as np

from tonggeo.dsl import parse_problem
from tonggeo.symmetry import is_configuration_symmetry, swapped_pairs
from tonggeo.symmetry.detect import detect_exact, saturated_state

ISOSCELES = (
    "a b c = iso_triangle a b c; d = midpoint d b c; e = foot e b a c; f = foot f c a b ? cong b e c f"
)
SCALENE = "a b c = triangle a b c; d = midpoint d b c; e = foot e b a c ? perp b e a c"


def test_isosceles_altitudes_are_mirror_images() -> None:
    found = detect_exact(parse_problem(ISOSCELES, "iso"), np.random.default_rng(0))
    assert found.error is None and found.symmetric
    assert found.pairs == (("b", "c"), ("e", "f"))
    assert found.to_json()["pairs"] == [["b", "c"], ["e", "f"]]


def test_no_symmetry_in_a_scalene_figure() -> None:
    found = detect_exact(parse_problem(SCALENE, "scalene"), np.random.default_rng(0))
    assert found.error is None and not found.symmetric and found.pairs == ()


def test_a_guess_is_rechecked_exactly() -> None:
    state, goals = saturated_state(parse_problem(ISOSCELES, "iso"), np.random.default_rng(0), None)
    assert is_configuration_symmetry(state.db, {"b": "c", "c": "b", "e": "f", "f": "e"}, goals)
    assert not is_configuration_symmetry(state.db, {"b": "c", "c": "b"}, goals)  # e, f must follow
    assert not is_configuration_symmetry(state.db, {"a": "b", "b": "a"}, goals)
    assert not is_configuration_symmetry(state.db, {"b": "c", "c": "e", "e": "b"}, goals)  # not an involution
    assert not is_configuration_symmetry(state.db, {}, goals)


def test_swapped_pairs_are_sorted_and_unique() -> None:
    assert swapped_pairs([{"c": "b", "b": "c", "a": "a"}, {"b": "c", "c": "b", "e": "d", "d": "e"}]) == [
        ("b", "c"),
        ("d", "e"),
    ]


def test_a_failing_problem_is_reported_not_raised() -> None:
    found = detect_exact(parse_problem("a b c = triangle a b c; d = midpoint d b b ? cong a b a c", "bad"),
                         np.random.default_rng(0))
    assert found.error and not found.symmetric
