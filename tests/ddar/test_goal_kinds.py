"""Goal kinds beyond AlphaGeometry's: constant lengths and squared ratios, value questions (acompute,
rcompute, lcompute), linear equations in angles (aequation) and in products of lengths (lequation) and
ordering conditions (obtuse_angle), each on a minimal problem of its own.

"proved" always means the independent checker accepted the proof; a wrong value must never be proved.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from solvers.ddar import solve
from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.premises import CONDITION_GOALS, PremiseError, answered, goal_fact
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import Goal, load_problems, parse_problem
from tonggeo.facts import FactError, fact_text, make_fact, parse_fact
from tonggeo.facts.compute import answers, candidate
from tonggeo.proof import Proof, check_proof

DATA = Path(__file__).parent / "data" / "goal_kinds.txt"
PROBLEMS = {p.name: p for p in load_problems(DATA)}

# problem -> the fact its proof must state (the answer, for the value questions)
EXPECTED: dict[str, str] = {
    "lconst_midpoint": "lconst a c 3/2",
    "l2const_midpoint": "l2const a c 2/1",
    "r2const_square_diagonal": "r2const a b a c 1/2",
    "acompute_equilateral": "aconst a b a c 1pi/3",
    "rcompute_midpoint": "rconst a b a c 2/1",
    "rcompute_square_diagonal": "r2const a b a c 1/2",
    "lcompute_midpoint": "lconst a c 3/2",
    "aequation_right_triangle": "aequation 1/1 a b b c 1/1 b c a c 1pi/2",
    "aequation_isosceles_base_angles": "aequation 1/1 a b a c 2/1 b c a b 0pi/1",
    "lequation_pythagoras": "lequation 1/1 a b * a b 1/1 a c * a c -1/1 b c * b c 0",
    "lconst_hypotenuse": "lconst a c 13/1",
    "perp_from_given_lengths": "perp a b b c",
    "lcompute_unit_square_diagonal": "l2const a c 2/1",
    # 2 AM^2 + BC^2 / 2 = AB^2 + AC^2, times 2, written with the side that sorts first on the left
    "lequation_median_length": "lequation 2/1 a b * a b 2/1 a c * a c -4/1 a m * a m -1/1 b c * b c 0",
}


@pytest.mark.parametrize("name", sorted(PROBLEMS), ids=str)
def test_goal_kind_is_proved_with_a_checked_proof(name: str) -> None:
    result = solve(PROBLEMS[name], timeout=60, rng=np.random.default_rng(0))
    assert result.status == "proved", result.message
    assert result.proof is not None
    stated = {fact_text(step.fact) for step in result.proof.steps}
    if name in EXPECTED:
        assert EXPECTED[name] in stated
        assert result.proof.steps, "a constant is derived, never only checked on the figure"
    else:  # a diagram condition: checked on the figure, never presented as a derivation
        assert PROBLEMS[name].goals[0].name in CONDITION_GOALS
        assert not result.proof.steps
        assert "not derived" in (result.message or "")


@pytest.mark.parametrize(
    "text",
    [
        "a = free a; b = lconst b a 3; c = midpoint c a b ? lconst a c 2",
        "a b c d = isquare a b c d ? r2const a c a b 3/1",
        "a = free a; b = l2const b a 8; c = midpoint c a b ? l2const a c 3",
        "a b c = r_triangle a b c ? aequation 1/1 a b b c 1/1 b c c a 60o",
        "a b c = r_triangle a b c ? lequation 1/1 a b * a b 2/1 a c * a c -1/1 b c * b c 0",
    ],
    ids=["lconst", "r2const", "l2const", "aequation", "lequation"],
)
def test_a_wrong_constant_is_not_proved(text: str) -> None:
    result = solve(parse_problem(text, "wrong"), timeout=30, rng=np.random.default_rng(0))
    assert result.status != "proved"


def test_obtuse_angle_false_in_the_figure_is_an_error() -> None:
    problem = parse_problem("a b = segment a b; c = midpoint c a b ? obtuse_angle a b c", "acute")
    result = solve(problem, timeout=10, rng=np.random.default_rng(0))
    assert result.status == "error" and "numerically false" in (result.message or "")


def test_value_candidates_are_exact_or_absent() -> None:
    pts = {"a": 0j, "b": 1 + 0j, "c": 0.5 + 0.75**0.5 * 1j, "d": 2 + 0j, "e": complex(3.14159265358979, 0)}
    assert fact_text(candidate("acompute", ("a", "b", "a", "c"), pts) or parse_fact("coll", "abc")) == (
        "aconst a b a c 1pi/3"
    )
    found = candidate("rcompute", ("a", "d", "a", "c"), pts)
    assert found is not None and fact_text(found) == "rconst a c a d 1/2"  # ad/ac = 2, canonical order
    diagonal = {"a": 0j, "b": 1 + 0j, "c": 1 + 1j}
    found = candidate("lcompute", ("a", "c"), diagonal)
    assert found is not None and found.kind == "l2const" and found.value == Fraction(2)  # type: ignore[union-attr]
    assert candidate("lcompute", ("a", "e"), pts) is None  # pi is no simple exact number
    assert answers("acompute", ("a", "c", "a", "b"), parse_fact("aconst", ["a", "b", "a", "c", "1pi/3"]))
    assert not answers("acompute", ("a", "c", "a", "d"), parse_fact("aconst", ["a", "b", "a", "c", "1pi/3"]))


def test_value_goal_needs_the_diagram() -> None:
    with pytest.raises(PremiseError, match="needs the diagram"):
        goal_fact(Goal("acompute", ("a", "b", "a", "c")))


def test_constant_facts_parse_and_print_back() -> None:
    for text in ("lconst a b 3/2", "l2const a b 5/1", "r2const a b c d 3/2"):
        name, *args = text.split()
        fact = parse_fact(name, args)
        assert fact_text(fact) == text
        again = fact_text(parse_fact(name, [*args[:-1], args[-1]]))
        assert again == text
    swapped = parse_fact("r2const", ["c", "d", "a", "b", "2"])
    assert fact_text(swapped) == "r2const a b c d 1/2"


def test_aequation_terms_and_canonical_form() -> None:
    written = parse_fact("aequation", "-1/1 a b b c 2/1 c a a o 1pi/2".split())
    assert fact_text(written) == "aequation 2/1 a c a o 1/1 b c a b 1pi/2"
    assert parse_fact("aequation", fact_text(written).split()[1:]) == written  # the fact form reads back
    # opposite groups cancel; what is left must still be an angle
    assert fact_text(parse_fact("aequation", "1/1 a b c d 1/1 c d a b 1/1 a b a c 0".split())) == (
        "aequation 1/1 a b a c 0pi/1"
    )
    with pytest.raises(FactError):
        parse_fact("aequation", "1/2 a b c d 0".split())  # half angles are not supported
    with pytest.raises(FactError):
        parse_fact("aequation", "1/1 a b c d -1/1 a b c d 0".split())  # nothing left: no statement


def test_lequation_terms_and_canonical_form() -> None:
    written = parse_fact("lequation", "1/2 b c * b c -1/1 a b * a c 0".split())  # bc^2 = 2 ab.ac
    assert fact_text(written) == "lequation 2/1 a b * a c -1/1 b c * b c 0"
    assert parse_fact("lequation", fact_text(written).split()[1:]) == written
    negated = parse_fact("lequation", "2/1 a b * a c -1/1 c b * c b 0".split())
    assert negated == written  # an equation and its negation are one fact
    with pytest.raises(FactError, match="products"):
        parse_fact("lequation", "1/1 a c 1/1 c b -1/1 a b 0".split())  # plain lengths: no table holds them
    with pytest.raises(FactError, match="constant 0"):
        parse_fact("lequation", "1/1 a b * a b 4".split())


@pytest.mark.parametrize(
    ("name", "kind", "wrong"),
    [
        ("lconst_hypotenuse", "lconst", Fraction(14)),
        ("r2const_square_diagonal", "r2const", Fraction(1, 3)),
        ("aequation_right_triangle", "aequation", Fraction(1, 3)),
        ("lequation_pythagoras", "lequation", Fraction(1)),
    ],
)
def test_checker_rejects_a_tampered_constant(name: str, kind: str, wrong: Fraction) -> None:
    """The proof of the goal, with the goal step's constant changed (and the goal with it): rejected."""
    problem = PROBLEMS[name]
    result = solve(problem, timeout=60, rng=np.random.default_rng(0))
    assert result.status == "proved" and result.proof is not None
    last = result.proof.steps[-1]
    assert last.fact.kind == kind
    forged = make_fact(kind, last.fact.args, wrong)
    steps = (*result.proof.steps[:-1], dataclasses.replace(last, fact=forged))
    name_, *args = fact_text(forged).split()
    points = _points(result.proof)
    tampered_problem = answered(dataclasses.replace(problem, goals=(Goal(name_, tuple(args)),)), points)
    tampered = dataclasses.replace(result.proof, steps=steps, goals=(forged,))
    assert check_proof(result.proof, answered(problem, points)).ok
    report = check_proof(tampered, tampered_problem)
    assert not report.ok
    # the forged step itself is refused (not merely a goal the checker cannot read)
    assert any(e.startswith(f"step {last.number} ") for e in report.errors), report.errors
    assert not any("cannot be checked" in e for e in report.errors), report.errors


def _points(proof: Proof) -> dict[str, complex]:
    return {k: complex(*v) for k, v in proof.points.items()}


def test_given_lengths_and_products_saturate_together() -> None:
    """The unit variable of given lengths lives beside the products of the power of a point."""
    text = (
        "o = free o; a = lconst a o 2; b = on_circle b o a; c = on_circle c o a; p = on_line p b c; "
        "q = on_line q p a, on_circle q o a ? lconst o b 2"
    )
    state = initial_state(parse_problem(text, "power"), np.random.default_rng(0))
    saturator = Saturator(state.db, plans_for(load_rules(), DEFAULT_DDAR), DEFAULT_DDAR)
    saturator.run((), deadline=None)
    assert saturator.stats.stopped == "fixpoint"
    assert state.db.linear is not None
    squared = state.db.linear.squared
    assert squared.table.implied({squared.var(0, 1): 1, squared.unit(): -4}, 0)  # OA^2 = 4


def test_a_value_with_no_exact_form_is_unproved_not_an_error() -> None:
    # the angle at a of a right triangle with legs 1 and 2 is atan(2): no rational multiple of pi
    text = "a = free a; b = lconst b a 1; c = on_tline c a a b, lconst c a 2 ? acompute a b b c"
    result = solve(parse_problem(text, "atan2"), timeout=10, rng=np.random.default_rng(0))
    assert result.status == "unproved" and "no simple exact number" in (result.message or "")
