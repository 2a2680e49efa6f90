"""The emitter's last check, on a share of the figures (`ProposeConfig.scratch_share`): the statement and
aux saturated together from scratch, as `tonggeo solve` does, must derive the goal; an aux problem they do
not prove is an engine gap, not emitted, and listed in the run's gaps.txt."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tonggeo.config import DEFAULT_DDAR, DEFAULT_PROPOSE
from tonggeo.ddar.rules import load_rules
from tonggeo.propose import run as run_module
from tonggeo.propose.pipeline import Proposal, Task, TaskResult, _Emitter, sampled
from tonggeo.propose.redraw import FreshDrawings
from tonggeo.propose.select import Trials

STATEMENT = (
    "a b c = r_triangle a b c; d = psquare d a c; e = psquare e a b; f = foot f a b e; g = foot g a c d; "
    "h = nsquare h f d; i = nsquare i g e; k = intersection_lt k a f i f h; l = shift l b h k"
)
AUX = "n = parallelogram d a l n"
GOAL = "eqangle a b a l b c d f"
TEXT = f"{STATEMENT} | {AUX} ? {GOAL}"


def _fresh(rules: Any = None) -> FreshDrawings:
    config = replace(DEFAULT_PROPOSE, saturation_seconds=30.0)
    return FreshDrawings(Trials(config, DEFAULT_DDAR, load_rules() if rules is None else rules))


def test_the_engine_proves_an_aux_problem_from_scratch() -> None:
    fresh = _fresh()
    assert fresh.scratch(TEXT, "p", GOAL) is True
    assert fresh.scratch_seconds > 0.0


def test_a_goal_with_a_value_is_read_with_it() -> None:
    # AE / CD = 1/2 on one line; the goal text carries its ratio (`rconst ... 1/2`), parsed as the DSL does
    text = ("a b = segment a b; c = mirror c b a; d = mirror d a b; e = midpoint e b d | f = midpoint f a c; "
            "g = mirror g f c ? rconst a e c d 1/2")
    fresh = _fresh()
    assert fresh.scratch(text, "p", "rconst a e c d 1/2") is True
    assert fresh.scratch(text.replace("1/2", "1/3"), "p", "rconst a e c d 1/3") is False


def test_an_engine_that_cannot_derive_the_goal_from_scratch_is_a_gap() -> None:
    # the same check with the angle-chasing rules left out stands for an engine missing a derivation
    rules = [r for r in load_rules() if not any(p.name == "eqangle" for p in r.conclusions)]
    assert _fresh(rules).scratch(TEXT, "p", GOAL) is False


def test_a_gap_is_kept_apart_and_not_emitted(monkeypatch: pytest.MonkeyPatch) -> None:
    config = replace(DEFAULT_PROPOSE, saturation_seconds=30.0)
    emitter = _Emitter(Task("r_triangle", False, (0,)), config, DEFAULT_DDAR, lambda key: False)
    proposal = Proposal(name="p", key="k", text=TEXT, goal=GOAL, aux=(AUX,), steps=3, symmetric=False,
                        points=12, base="r_triangle", score=0.0, proof_text="", proof_json="", facts=())
    assert emitter.scratch_checked(proposal)
    monkeypatch.setattr(emitter.fresh, "scratch", lambda text, name, goal_text: False)
    assert not emitter.scratch_checked(proposal)
    assert emitter.gaps == [TEXT] and emitter.drops == {"engine gap": 1}
    monkeypatch.setattr(emitter.fresh, "scratch", lambda text, name, goal_text: None)
    assert not emitter.scratch_checked(proposal)
    assert emitter.gaps == [TEXT] and emitter.drops["scratch undecided"] == 1


def test_a_run_writes_its_gaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake(task: Any, **kwargs: Any) -> TaskResult:
        calls.append(task)
        gaps = (TEXT,) if len(calls) == 1 else ()
        return TaskResult((), 2, 0.01, 9, gaps=gaps, scratch_seconds=0.5 * len(gaps), redraw_seconds=0.25)

    monkeypatch.setattr(run_module, "run_task", fake)
    stats = run_module.propose(tmp_path / "out", seconds=0.2, seed=0, jobs=1,
                               config=replace(DEFAULT_PROPOSE, figures=0))
    assert stats.engine_gaps == 1 and stats.scratch_seconds == 0.5
    assert stats.redraw_seconds == 0.25 * len(calls)  # the fresh-drawing checks' CPU, summed over walks
    assert (tmp_path / "out" / "gaps.txt").read_text(encoding="utf-8") == f"{TEXT}\n"


def test_a_share_of_the_figures_is_checked() -> None:
    figures = [f"a b c = triangle a b c | d = midpoint d a b; e = foot e {i} b c" for i in range(2000)]
    assert not any(sampled(f"{t} ? cong a d b d", 0.0) for t in figures)
    assert all(sampled(f"{t} ? cong a d b d", 1.0) for t in figures)
    quarter = [t for t in figures if sampled(f"{t} ? cong a d b d", 0.25)]
    assert 400 < len(quarter) < 600
    # every goal over a figure is checked or none: the hash reads the statement and aux only
    assert all(sampled(f"{t} ? perp a e b c", 0.25) for t in quarter)
