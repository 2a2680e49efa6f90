"""Plans whose inputs did not change are not run again: the fixpoint is the same as running every plan
every round, on real problems (problems/newclid/large_examples.txt)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.conftest import ROOT
from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import load_problems

PROBLEMS = {p.name: p for p in load_problems(ROOT / "problems" / "newclid" / "large_examples.txt")}
PLANS = plans_for(load_rules(), DEFAULT_DDAR)


class EveryPlanEveryRound(Saturator):
    def _unchanged(self, k: int) -> bool:
        return False


@pytest.mark.parametrize("name", ["ninepoints", "euler_simplified", "miquels_circles_centers_are_concyclic",
                                  "pre_reflection_of_points_is_on_circumcenter_of_mirrors"])
def test_skipping_unchanged_plans_keeps_the_fixpoint(name: str) -> None:
    states = []
    for kind in (Saturator, EveryPlanEveryRound):
        state = initial_state(PROBLEMS[name], np.random.default_rng(0))
        saturator = kind(state.db, PLANS)
        saturator.run((), deadline=time.monotonic() + 120)
        assert saturator.stats.stopped == "fixpoint"
        states.append((state, saturator.stats))
    (fast, fast_stats), (full, full_stats) = states
    assert fast_stats.skipped > 0 and full_stats.skipped == 0
    assert all(full.db.holds(r.fact) for r in fast.db.records)
    assert all(fast.db.holds(r.fact) for r in full.db.records)
