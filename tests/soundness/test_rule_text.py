"""Soundness of the rule file itself: no coordinates may make a rule's premises and side conditions true
(as the engine reads them: directed angles mod pi, eqangle6 as eqangle, different variables may name one
point) while a conclusion is false.

A counterexample is coordinates; the engine only keeps conclusions that hold in its diagram, so such a
rule never adds a false fact, but it turns a diagram coincidence into a "proof": the step is not valid.
Known bugs are strict xfails: they flip to failures once the rule text is fixed (then drop the mark).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from soundness_configurations import false_conclusions, search

from tonggeo.ddar.rules import Rule, load_rules, parse_rule

RULES = {r.id: r for r in load_rules()}


def _on_circle(degrees: float) -> complex:
    return complex(math.cos(math.radians(degrees)), math.sin(math.radians(degrees)))


def _axis(**xs: float) -> dict[str, complex]:
    """Points on one line (the x-axis)."""
    return {k: complex(x, 0.0) for k, x in xs.items()}


# Rules that are unsound as written, with the fix the audit recommends.
KNOWN_BUGS: dict[str, str] = {}

# One explicit counterexample per known bug (coordinates, checked with the checker's predicates).
COUNTEREXAMPLES: dict[str, dict[str, complex]] = {
    # OA/OC = 1/3 but OB/OD = 4/5
    "r07": _axis(O=0, A=1, C=3, B=4, D=5),
    # M is the midpoint of AB, not of CD
    "r26": _axis(A=0, B=4, M=2, C=1, D=5),
    # MA/MD = 5/2 but NB/NC = 6/5
    "r42": _axis(a=0, b=1, c=2, d=3, m=5, n=7),
    # reflection in the x-axis swaps A <-> Q and B <-> P: AB = PQ and AQ // BP, but AP is not // BQ
    "r81": {"A": _on_circle(10), "B": _on_circle(200), "P": _on_circle(160), "Q": _on_circle(-10)},
}


def _marks(rule_id: str) -> list[pytest.MarkDecorator]:
    if rule_id in KNOWN_BUGS:
        return [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[rule_id])]
    return []


@pytest.mark.parametrize(
    "rule_id", [pytest.param(r, marks=_marks(r), id=r) for r in COUNTEREXAMPLES]
)
def test_known_counterexample_is_excluded(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert not false_conclusions(rule, COUNTEREXAMPLES[rule_id]), f"{rule.to_text()} fails here"


def test_counterexamples_are_real() -> None:
    """The coordinates above really satisfy the premises as written in AG/Newclid (so the xfails test
    the rule texts, not typos in the coordinates)."""
    texts = {
        "r07": "para A B C D, coll O A C, coll O B D => eqratio O A O C O B O D",
        "r26": "midp M A B, para A C B D, para A D B C => midp M C D",
        "r42": "para a b c d, coll m a d, coll n b c, para m n a b => eqratio6 m a m d n b n c",
        "r81": "cyclic A B P Q, cong A B P Q, sameclock A P B A P Q => eqangle P A P B Q B P B",
    }
    for rule_id, text in texts.items():
        assert false_conclusions(parse_rule(text, rule_id), COUNTEREXAMPLES[rule_id]), rule_id


# IMO 2009 P2 pattern: Q, M, P on one line with MQ = MP, O off the line; triangles Q M O and P M O have
# MQ = MP, MO = MO and the "equal" directed angle (MQ, MO) = (MP, MO) because MQ and MP are one line.
SAS_TRAP = {"A": 0j, "B": 2 + 0j, "C": 2.5 + 1.7j, "P": 4 + 0j, "Q": 2 + 0j, "R": 2.5 + 1.7j}
AG_SAS = {
    "r33": "cong A B P Q, cong B C Q R, eqangle6 B A B C Q P Q R, ncoll A B C => contri* A B C P Q R",
    "r39": "eqratio6 B A B C Q P Q R, eqangle6 B A B C Q P Q R, ncoll A B C => simtri* A B C P Q R",
}


@pytest.mark.parametrize("rule_id", sorted(AG_SAS))
def test_alphageometry_sas_is_fooled_by_collinear_sides(rule_id: str) -> None:
    assert false_conclusions(parse_rule(AG_SAS[rule_id], rule_id), SAS_TRAP)


@pytest.mark.parametrize("rule_id", sorted(AG_SAS))
def test_sas_with_orientation_is_not_fooled(rule_id: str) -> None:
    assert not false_conclusions(RULES[rule_id], SAS_TRAP)


def _rule_params() -> list[object]:
    return [pytest.param(r, marks=_marks(r.id), id=r.id) for r in RULES.values()]


@pytest.mark.parametrize("rule", _rule_params())
def test_no_counterexample_from_random_premise_solutions(rule: Rule) -> None:
    """Solve the premises from random starts (some near a line or circle, some with variables merged);
    no clear solution may make a conclusion false."""
    found = search(rule, np.random.default_rng(20261130), tries=30)
    assert not found, f"{rule.id}: {found[0]}"


@pytest.mark.parametrize("rule_id", sorted(AG_SAS))
def test_search_finds_the_alphageometry_sas_bug(rule_id: str) -> None:
    """The random search is strong enough to find the bug the lead fixed by hand."""
    assert search(parse_rule(AG_SAS[rule_id], rule_id), np.random.default_rng(1), tries=40)
