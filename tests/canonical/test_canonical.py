"""Canonical form: one key per problem up to renaming points and reordering independent clauses."""

from __future__ import annotations

import itertools
import random

import pytest

from tonggeo.canonical import CanonicalError, canonical_form, problem_key
from tonggeo.dsl import Problem, parse_problem

MIDLINE = "a b c = triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a b"


def _key(text: str) -> str:
    return problem_key(parse_problem(text, "t"))


def _renamed(problem: Problem, mapping: dict[str, str]) -> str:
    text = problem.to_text()
    tokens = text.replace(";", " ; ").replace("?", " ? ").replace("|", " | ").split()
    return " ".join(mapping.get(t, t) for t in tokens).replace(" ;", ";")


def test_renaming_gives_the_same_key() -> None:
    renamed = "x y z = triangle x y z; m = midpoint m y z; n = midpoint n x z ? para m n x y"
    assert _key(MIDLINE) == _key(renamed)
    # a random relabelling of the same problem
    problem = parse_problem(MIDLINE, "t")
    names = list(problem.points)
    rng = random.Random(3)
    for _ in range(5):
        shuffled = names[:]
        rng.shuffle(shuffled)
        mapping = {a: f"q{b}" for a, b in zip(names, shuffled, strict=True)}
        assert _key(_renamed(problem, mapping)) == _key(MIDLINE)


def test_reordering_independent_clauses_gives_the_same_key() -> None:
    swapped = "a b c = triangle a b c; e = midpoint e a c; d = midpoint d b c ? para d e a b"
    assert _key(swapped) == _key(MIDLINE)


def test_argument_symmetries_of_calls_and_goals_are_ignored() -> None:
    written = "a b c = triangle a c b; d = midpoint d c b; e = midpoint e c a ? para b a e d"
    assert _key(written) == _key(MIDLINE)


@pytest.mark.parametrize(
    "other",
    [
        "a b c = triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a c",  # another goal
        "a b c = triangle a b c; d = midpoint d b c; e = foot e a b c ? para d e a b",  # another call
        "a b c = iso_triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a b",  # another base
        "a b c = triangle a b c; d = midpoint d b c; e = midpoint e a d ? para d e a b",  # another wiring
    ],
)
def test_different_problems_get_different_keys(other: str) -> None:
    assert _key(other) != _key(MIDLINE)


def test_aux_clauses_are_not_part_of_the_identity() -> None:
    with_aux = MIDLINE.replace(" ?", " | f = midpoint f a b ?")
    assert _key(with_aux) == _key(MIDLINE)


def test_automorphisms_of_the_statement() -> None:
    problem = parse_problem("a b c = triangle a b c; o = circumcenter o a b c; h = orthocenter h a b c", "t")
    form = canonical_form(problem.clauses)
    assert len(form.automorphisms) == 6
    assert all(s["o"] == "o" and s["h"] == "h" for s in form.automorphisms)
    assert {tuple(s[p] for p in "abc") for s in form.automorphisms} == set(itertools.permutations("abc"))


def test_goal_restricts_the_automorphisms() -> None:
    problem = parse_problem(MIDLINE, "t")
    # swapping a with b and d with e maps the statement, and its goal para d e a b, to themselves
    assert len(canonical_form(problem.clauses).automorphisms) == 2
    assert len(canonical_form(problem.clauses, problem.goals).automorphisms) == 2
    lopsided = parse_problem(MIDLINE.replace("para d e a b", "para d e a c"), "t")
    assert len(canonical_form(lopsided.clauses, lopsided.goals).automorphisms) == 1


def test_leaf_budget_is_enforced() -> None:
    problem = parse_problem("a b c d e = pentagon a b c d e", "t")
    with pytest.raises(CanonicalError):
        canonical_form(problem.clauses, max_leaves=10)
