"""The search's symmetries: a learned guess is used only after the exact re-check; a wrong guess falls
back to the exact search, so it costs time, never soundness."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Problem
from tonggeo.symmetry.detect import saturated_state
from tonggeo.symmetry.suggest import search_symmetries

ISO = "a b c = iso_triangle a b c; d = midpoint d b c; e = foot e b a c; f = foot f c a b ? cong b e c f"


class _Guess:
    def __init__(self, guesses: list[dict[str, str]]) -> None:
        self.guesses = guesses
        self.calls = 0

    def suggest(
        self, problem: Problem, points: Mapping[str, np.ndarray], limit: int = 2
    ) -> list[dict[str, str]]:
        self.calls += 1
        return self.guesses


def _moved(found: tuple[Mapping[str, str], ...]) -> list[dict[str, str]]:
    return [{k: v for k, v in s.items() if k != v} for s in found]


def test_a_right_guess_is_verified_and_used() -> None:
    state, goals = saturated_state(parse_problem(ISO, "iso"), np.random.default_rng(0), None)
    right = {"b": "c", "c": "b", "e": "f", "f": "e"}
    guess = _Guess([right])
    assert _moved(search_symmetries(state, goals, guess)) == [right]  # type: ignore[arg-type]
    assert guess.calls == 1


def test_a_wrong_guess_falls_back_to_the_exact_search() -> None:
    state, goals = saturated_state(parse_problem(ISO, "iso"), np.random.default_rng(0), None)
    wrong = _Guess([{"a": "b", "b": "a"}, {"b": "c", "c": "b"}])
    found = _moved(search_symmetries(state, goals, wrong))  # type: ignore[arg-type]
    assert found == _moved(search_symmetries(state, goals, None))
    assert {"b": "c", "c": "b", "e": "f", "f": "e"} in found and {"b": "c", "c": "b"} not in found
