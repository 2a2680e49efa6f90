"""Symmetries for the search: the learned detector's guesses, each re-checked exactly against the
database and goals before use, with the exact backtracking search as the fallback (a wrong guess costs
one check, never soundness)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tonggeo.ddar.state import State
from tonggeo.facts import Fact
from tonggeo.symmetry.exact import Involution, configuration_symmetries, is_configuration_symmetry

if TYPE_CHECKING:
    from tonggeo.symmetry.learned import LearnedDetector


def search_symmetries(
    state: State, goals: Sequence[Fact], detector: LearnedDetector | None = None, limit: int = 3
) -> tuple[Involution, ...]:
    """Involutions of the configuration for mirror candidates: the detector's verified guesses when it
    has any, otherwise (or without a detector) the exact search over the database."""
    if detector is not None:
        guesses = detector.suggest(state.problem, state.diagram.points, limit=limit)
        verified = tuple(g for g in guesses if is_configuration_symmetry(state.db, g, goals))
        if verified:
            return verified
    return configuration_symmetries(state.db, list(state.diagram.points), goals, limit=limit)
