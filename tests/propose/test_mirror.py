"""Mirror aux clauses (the other half of a symmetric figure, `tonggeo.propose.mirror`): found in the
drawing's own symmetry only, earn no worth credit; a problem stated on one half with the other half as aux
and the one stated on the other half are one problem (the run counts it once)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tonggeo.canonical import canonical_form
from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.facts import make_fact
from tonggeo.propose import run as run_module
from tonggeo.propose.mirror import AuxCopies, aux_copies
from tonggeo.propose.pipeline import Proposal, TaskResult, unsettled
from tonggeo.propose.worth import Worth, aux_credit

# two problems of the proposer's session-6 run (seed 31): the statement is one half of a figure symmetric
# about the perpendicular bisector of ab, and most aux clauses are the other half
HALF = ("a b = segment a b; c = psquare c a b; d = psquare d b a; e = midpoint e b d; f = midpoint f a c; "
        "h = reflect h c d e; j = mirror j h c; l = foot l d f j")
OTHER = ("a b = segment a b; c = psquare c a b; d = psquare d b a; e = midpoint e b d; f = midpoint f a c; "
         "g = reflect g d c f; i = mirror i g d; k = foot k c e i")
FIRST = (f"{HALF} | g = reflect g d c f; i = mirror i g d; k = foot k c e i; m = intersection_lp m a b k f j "
         "? cyclic b h j l")
SECOND = f"{OTHER} | h = reflect h c d e; j = mirror j h c; m = intersection_lp m a b k f j ? cyclic a g i k"


def _mirrored(text: str) -> int:
    problem = parse_problem(text, "p")
    diagram = build_diagram(problem, np.random.default_rng(0), include_aux=True, require_goals=False)
    return aux_copies(problem.clauses, problem.aux, diagram.complex_points).mirrored


def test_the_other_half_of_a_symmetric_figure_is_mirror_aux() -> None:
    assert _mirrored(FIRST) == 3  # g, i, k mirror h, j, l; m is new
    assert _mirrored(SECOND) == 2  # h, j mirror g, i


@pytest.mark.parametrize(("base", "expected"), [("iso_triangle", 1), ("triangle", 0)])
def test_only_a_symmetry_of_the_drawing_counts(base: str, expected: int) -> None:
    # the midpoint of ac mirrors the midpoint of ab in an isosceles triangle; in a scalene one it is the
    # same construction on another side, an ordinary aux
    text = f"a b c = {base} a b c; d = midpoint d a b | e = midpoint e a c ? cong c d b e"
    assert _mirrored(text) == expected


def _copies(text: str) -> AuxCopies:
    problem = parse_problem(text, "p")
    diagram = build_diagram(problem, np.random.default_rng(0), include_aux=True, require_goals=False)
    return aux_copies(problem.clauses, problem.aux, diagram.complex_points)


def test_the_same_construction_on_another_side_is_a_twin() -> None:
    text = "a b c = triangle a b c; d = midpoint d a b | e = midpoint e a c ? cong c d b e"
    assert _copies(text) == AuxCopies(twins=1)


def test_a_twin_figure_in_a_scalene_triangle() -> None:
    # the feet from a and b, the midpoints of their altitudes: the aux completes the twin by b <-> a (g is
    # the twin of f), draws a circle and its other copy (i repeats h), and one new point
    text = ("a b c = triangle a b c; d = foot d a b c; e = foot e b c a; f = midpoint f a d | "
            "g = midpoint g b e; h = circle h c d f; i = circle i c e g; j = midpoint j a b ? cong h j i j")
    copies = _copies(text)
    assert copies == AuxCopies(twins=1, repeats=1)
    assert copies.credit(4) == 3  # the twin g, the circle h, the midpoint j


def test_symmetric_arguments_keep_a_fixed_point_fixed() -> None:
    # c = midpoint c a b is its own image under a <-> b whatever the order of its arguments: e mirrors d
    for midpoint in ("c = midpoint c a b", "c = midpoint c b a"):
        text = f"a b = segment a b; {midpoint}; d = midpoint d b c | e = midpoint e a c ? cong c d c e"
        assert _copies(text) == AuxCopies(mirrored=1)


def test_an_aux_pair_in_a_symmetric_figure_is_one_move() -> None:
    # e and its mirror image f in the isosceles triangle (b <-> c): the second repeats the first
    text = ("a b c = iso_triangle a b c; d = midpoint d b c | e = midpoint e a b; f = midpoint f a c "
            "? cong d e d f")
    copies = _copies(text)
    assert copies == AuxCopies(repeats=1)
    assert copies.credit(2) == 1


def test_twins_earn_one_credit_together_and_repeats_none() -> None:
    assert aux_credit(4, twins=3) == 2
    assert aux_credit(4, repeats=3) == 1
    assert aux_credit(4, twins=2, repeats=1) == 2
    assert aux_credit(3, mirrored=2) == 1
    assert aux_credit(2) == 2
    assert Worth(4, 20, 9, False, 50, twins=3).score == Worth(2, 20, 9, False, 50).score
    assert Worth(4, 20, 9, False, 50, repeats=3).score == Worth(1, 20, 9, False, 50).score
    assert "3 twin" in Worth(4, 20, 9, False, 50, twins=3).text()
    assert "1 repeat" in Worth(4, 20, 9, False, 50, repeats=1).text()


def test_mirror_aux_earn_no_worth() -> None:
    assert Worth(3, 20, 9, True, 50, mirrored=2).score == Worth(1, 20, 9, True, 50).score
    assert Worth(3, 20, 9, True, 50, mirrored=2).score < Worth(3, 20, 9, True, 50).score
    assert "2 mirror" in Worth(3, 20, 9, True, 50, mirrored=2).text()


def test_one_problem_stated_on_either_half(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = [parse_problem(t, "p") for t in (FIRST, SECOND)]
    plain = [canonical_form(p.clauses, p.goals).key for p in problems]
    assert plain[0] == plain[1]  # same statement and goal up to renaming; the aux differ
    goals = [p.goals[0].to_text() for p in problems]
    texts = [f"{t.split(' | ')[0]} ? {g}" for t, g in zip((FIRST, SECOND), goals, strict=True)]
    proposals = [
        Proposal(name=f"p_{i}", key=f"class{i}", text=text,
                 goal=goal, aux=(), steps=8, symmetric=False, points=9, base="segment",
                 score=1.0, proof_text="", proof_json="", facts=(), plain_key=key)
        for i, (text, key, goal) in enumerate(zip(texts, plain, goals, strict=True))]
    calls = []

    def fake(task: Any, **kwargs: Any) -> TaskResult:
        calls.append(task)
        return TaskResult(tuple(proposals) if len(calls) == 1 else (), 2, 0.01, 9)

    monkeypatch.setattr(run_module, "run_task", fake)
    config = replace(DEFAULT_PROPOSE, figures=0)
    stats = run_module.propose(tmp_path / "out", seconds=0.2, seed=0, jobs=1, config=config)
    assert stats.unique == 1
    assert stats.duplicates == 1


def test_a_goal_settles_its_mirror_image_in_a_symmetric_trunk() -> None:
    mirror = {"a": "b", "b": "a", "c": "c", "d": "e", "e": "d"}
    goal = make_fact("perp", ("a", "d", "c", "e"))
    image = make_fact("perp", ("b", "e", "c", "d"))
    other = make_fact("cong", ("a", "c", "d", "e"))
    hard = [goal, image, other]
    assert unsettled(hard, [goal], mirror) == [other]
    assert unsettled(hard, [goal], None) == [image, other]
    assert unsettled(hard, [other], mirror) == [goal, image]
