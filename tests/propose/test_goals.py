"""Goals up to what their statement knows: equivalent goals are one problem, a restated construction
ratio is trivial, and a goal class's key does not depend on point names or on the drawing."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.facts import Fact, fact_text, make_fact
from tonggeo.propose.deduce import deduce
from tonggeo.propose.extract import hard_facts
from tonggeo.propose.goals import StatementGoals

# a statement from a walk (tests/propose/test_pipeline.py): its hard facts are angle and ratio equalities
STATEMENT = (
    "a b c = r_triangle a b c; d = psquare d a c; e = psquare e a b; f = foot f a b e; g = foot g a c d; "
    "h = nsquare h f d; i = nsquare i g e; k = intersection_lt k a f i f h; l = shift l b h k"
)
RENAME = dict(zip("abcdefghikl", "qrstuvwxyzm", strict=True))


def _goals(text: str, seed: int) -> tuple[StatementGoals, list[Fact]]:
    problem = parse_problem(text, "statement")
    diagram = build_diagram(problem, np.random.default_rng(seed), require_goals=False)
    alone = deduce(diagram, seconds=600)  # a wall-clock cap: generous for a loaded machine
    assert alone.complete
    return StatementGoals(alone, problem.clauses), hard_facts(alone)


@pytest.fixture(scope="module")
def statement() -> tuple[StatementGoals, list[Fact]]:
    return _goals(STATEMENT, 1)


def test_equivalent_goals_are_one_problem(statement: tuple[StatementGoals, list[Fact]]) -> None:
    goals, hard = statement
    angles = [f for f in hard if f.kind == "eqangle"]
    assert len(angles) >= 3
    first, second = goals.classify(angles[0]), goals.classify(angles[1])
    assert goals.implies(first, second) and goals.implies(second, first)
    assert first.key == second.key
    assert not goals.duplicate(first)
    goals.accepted.append(first)
    assert goals.duplicate(second)
    ratios = [f for f in hard if f.kind == "eqratio" and not goals.trivial(f)]
    if ratios:  # a ratio goal is not a consequence of the angle goal here: its own class
        ratio = goals.classify(ratios[0])
        assert ratio.key != first.key
    goals.accepted.clear()


def test_class_keys_ignore_names_and_drawing(statement: tuple[StatementGoals, list[Fact]]) -> None:
    goals, hard = statement
    renamed_text = re.sub(r"\b([a-l])\b", lambda m: RENAME.get(m.group(1), m.group(1)), STATEMENT)
    other, other_hard = _goals(renamed_text, 7)
    assert goals.statement_key == other.statement_key
    angle = next(f for f in hard if f.kind == "eqangle")
    image = make_fact(angle.kind, tuple(RENAME[a] for a in angle.args))
    assert image in set(other_hard)
    assert goals.classify(angle).key == other.classify(image).key


def test_a_restated_construction_ratio_is_trivial() -> None:
    problem = parse_problem("a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c", "mid")
    diagram = build_diagram(problem, np.random.default_rng(0), require_goals=False)
    goals = StatementGoals(deduce(diagram, seconds=300), problem.clauses)
    fixed = make_fact("eqratio", ("a", "d", "a", "b", "c", "e", "c", "a"))
    free = make_fact("eqratio", ("a", "b", "a", "c", "b", "c", "a", "b"))
    assert goals.trivial(fixed), fact_text(fixed)
    assert not goals.trivial(free), fact_text(free)
    assert not goals.trivial(make_fact("cong", ("a", "d", "d", "b")))


def test_a_congruence_spelt_as_a_ratio_is_trivial() -> None:
    problem = parse_problem("a b c = triangle a b c; d = midpoint d a b", "mid")
    diagram = build_diagram(problem, np.random.default_rng(0), require_goals=False)
    goals = StatementGoals(deduce(diagram, seconds=300), problem.clauses)
    assert goals.trivial(make_fact("eqratio", ("a", "c", "b", "c", "c", "d", "c", "d")))
