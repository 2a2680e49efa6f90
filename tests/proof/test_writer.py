"""Proof text marks the steps that read the drawn configuration ("in this configuration: ...")."""

from __future__ import annotations

from fractions import Fraction

from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import AlgebraStep, Given, RuleStep
from tonggeo.proof import Proof, proof_text
from tonggeo.proof.model import ProofStep
from tonggeo.proof.writer import CONFIGURATION_MARK, configuration_read, step_reason

RULE_TEXTS = {
    "r33": "cong A B P Q, cong B C Q R, eqangle B A B C Q P Q R, ncoll A B C, sameclock A B C P Q R "
    "=> contri A B C P Q R",
    "r32": "cong A B P Q, cong B C Q R, cong C A R P, ncoll A B C => contri* A B C P Q R",
    "r13": "cong O A O B, ncoll O A B => eqangle O A A B A B O B",
}


def _f(kind: str, args: str) -> Fact:
    return make_fact(kind, tuple(args.split()))


def _assign(names: str, points: str) -> tuple[tuple[str, str], ...]:
    return tuple(zip(names.split(), points.split(), strict=True))


def test_side_condition_steps_are_marked_with_what_they_read() -> None:
    assign = _assign("A B C P Q R", "a b c d e f")
    step = ProofStep(9, _f("contri", "a b c d e f"), RuleStep("r33", (1, 2, 3), assign))
    assert configuration_read(step, RULE_TEXTS) == "sameclock a b c d e f"
    assert step_reason(step, RULE_TEXTS).startswith(CONFIGURATION_MARK)


def test_oriented_conclusions_and_halved_angles_are_marked() -> None:
    assign = _assign("A B C P Q R", "a b c d e f")
    sss = ProofStep(9, _f("contri", "a b c d e f"), RuleStep("r32", (1, 2, 3), assign))
    assert "orientation" in configuration_read(sss, RULE_TEXTS)
    halved = ProofStep(5, _f("para", "a b c d"), AlgebraStep("angle", ((1, Fraction(1)),), multiplier=2))
    assert step_reason(halved).startswith(CONFIGURATION_MARK)


def test_steps_true_in_every_figure_are_not_marked() -> None:
    iso = ProofStep(3, _f("eqangle", "o a a b a b o b"), RuleStep("r13", (1,), _assign("O A B", "o a b")))
    chase = ProofStep(4, _f("para", "a b c d"), AlgebraStep("angle", ((1, Fraction(1)),)))
    assert not step_reason(iso, RULE_TEXTS).startswith(CONFIGURATION_MARK)
    assert not step_reason(chase, RULE_TEXTS).startswith(CONFIGURATION_MARK)


def test_proof_text_shows_the_mark_and_a_footer() -> None:
    given = ProofStep(1, _f("cong", "o a o b"), Given("o = ..."))
    iso = ProofStep(2, _f("eqangle", "o a a b a b o b"), RuleStep("r13", (1,), _assign("O A B", "o a b")))
    halved = ProofStep(3, _f("para", "a b c d"), AlgebraStep("angle", ((2, Fraction(1)),), multiplier=2))
    proof = Proof("p", (halved.fact,), (given, iso, halved), {})
    text = proof_text(proof, RULE_TEXTS)
    assert text.count(CONFIGURATION_MARK) == 1
    assert "1 step(s) marked 'in this configuration'" in text
