"""Symmetry detection of a whole problem, as `tonggeo symmetry` reports it: the exact detector saturates
the statement and reads involutions off the database; the learned one (`tonggeo.symmetry.learned`) guesses
mirror pairs from the drawing alone.  Both answer with a `Detection`."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar.premises import split_goals
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import State, initial_state
from tonggeo.dsl.ast import Problem
from tonggeo.facts import Fact
from tonggeo.symmetry.exact import Involution, all_swapped_pairs


@dataclass(frozen=True)
class Detection:
    """`pairs`: point pairs swapped by the detected involution(s), sorted; `score`: the detector's
    confidence that the problem is symmetric (1 or 0 for the exact detector); `error`: why nothing was
    detected, if something failed (then `symmetric` is False)."""

    name: str
    symmetric: bool
    pairs: tuple[tuple[str, str], ...]
    seconds: float
    detector: str
    score: float = 0.0
    involutions: tuple[Involution, ...] = field(default=(), repr=False)
    error: str | None = None
    saturation: str | None = field(default=None, repr=False)
    """How the exact detector's saturation stopped ('fixpoint', 'timeout', 'rounds'); labels are complete
    only at a fixpoint."""
    pairs_complete: bool = field(default=True, repr=False)
    """False when the exact detector's search for some pair's involution ran out of steps."""

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "symmetric": self.symmetric, "pairs": [list(p) for p in self.pairs],
                "seconds": round(self.seconds, 4), "error": self.error}


def saturated_state(problem: Problem, rng: np.random.Generator, deadline: float | None,
                    config: DdarConfig = DEFAULT_DDAR) -> tuple[State, tuple[Fact, ...]]:
    """The problem's initial state saturated by the rules (to `deadline`), and its goal facts."""
    state, goals, _ = _saturate(problem, rng, deadline, config)
    return state, goals


def _saturate(problem: Problem, rng: np.random.Generator, deadline: float | None,
              config: DdarConfig) -> tuple[State, tuple[Fact, ...], str]:
    state = initial_state(problem, rng, config=config)
    goals, _ = split_goals(problem.goals, state.diagram.complex_points)
    saturator = Saturator(state.db, plans_for(load_rules(), config), config)
    saturator.run((), deadline=deadline)
    return state, tuple(goals), saturator.stats.stopped


def detect_exact(problem: Problem, rng: np.random.Generator, *, timeout: float = 30.0, limit: int = 8,
                 config: DdarConfig = DEFAULT_DDAR) -> Detection:
    """Saturate (within `timeout` seconds), then every point pair some involution of the configuration
    that keeps the goals swaps (the first `limit` involutions, then one search per pair none of them
    swaps); never raises for a problem-level failure (`error` says what went wrong)."""
    start = time.monotonic()
    try:
        state, goals, stopped = _saturate(problem, rng, start + timeout, config)
        found = all_swapped_pairs(state.db, list(state.diagram.points), goals, first=limit)
    except Exception as exc:  # one problem's failure is that problem's error only
        return Detection(problem.name, False, (), time.monotonic() - start, "exact",
                         error=f"{type(exc).__name__}: {exc}")
    return Detection(problem.name, bool(found.pairs), found.pairs, time.monotonic() - start, "exact",
                     score=1.0 if found.pairs else 0.0, involutions=found.involutions, saturation=stopped,
                     pairs_complete=found.complete)
