"""Exact symmetry: label permutations mapping the statement to itself, and symmetric goals."""

from __future__ import annotations

import pytest

from tonggeo.dsl import parse_problem
from tonggeo.facts import parse_fact
from tonggeo.symmetry.exact import statement_symmetries, symmetric_goal


def _syms(text: str) -> list[dict[str, str]]:
    return [dict(s) for s in statement_symmetries(parse_problem(text, "t").clauses)]


def test_isosceles_triangle_with_base_midpoint_swaps_b_and_c() -> None:
    assert _syms("a b c = iso_triangle a b c; d = midpoint d b c") == [
        {"a": "a", "b": "c", "c": "b", "d": "d"}
    ]


def test_triangle_with_midpoint_has_one_swap() -> None:
    assert _syms("a b c = triangle a b c; d = midpoint d a b") == [{"a": "b", "b": "a", "c": "c", "d": "d"}]


def test_mirror_pairs_are_matched() -> None:
    syms = _syms("a b c = triangle a b c; d = foot d b a c; e = foot e c a b")
    assert syms == [{"a": "a", "b": "c", "c": "b", "d": "e", "e": "d"}]


@pytest.mark.parametrize(
    "text",
    [
        "a b c = triangle a b c; d = midpoint d a b; e = foot e c a d",  # foot on line ad, not on ab
        "a b c = r_triangle a b c; d = midpoint d a b",  # the right angle is at a, d sits on ab
        "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a d",
        "a b = segment a b; c = psquare c a b",
    ],
)
def test_asymmetric_statements(text: str) -> None:
    assert _syms(text) == []


def test_symmetric_goal_maps_to_itself_or_to_a_derived_fact() -> None:
    problem = parse_problem("a b c = iso_triangle a b c; d = midpoint d b c; e = midpoint e a b; "
                            "f = midpoint f a c", "t")
    syms = statement_symmetries(problem.clauses)
    perp = parse_fact("perp", ("a", "d", "b", "c"))
    assert symmetric_goal(perp, syms)  # maps to itself
    one_side = parse_fact("cong", ("d", "e", "a", "f"))
    other_side = parse_fact("cong", ("d", "f", "a", "e"))
    assert not symmetric_goal(one_side, syms)  # its image is another fact, not known to be derived
    assert symmetric_goal(one_side, syms, lambda fact: fact == other_side)
    assert not symmetric_goal(perp, [])
