"""Every rule is proved sound outside the engine (Groebner basis) or listed with a reason; the check
itself rejects unsound rules (the algebra does not just say yes)."""

from __future__ import annotations

import re

import pytest

from solvers.algebraic.rule_soundness import (
    NOT_PROVED,
    NUMERIC_ONLY,
    PROVED,
    PROVED_UP_TO_ORIENTATION,
    check_rule,
)
from tests.conftest import ROOT
from tonggeo.ddar.rules import load_rules, parse_rule

RULES = {r.id: r for r in load_rules()}
FAST = (
    "r00", "r03", "r06", "r13", "r14", "r19", "r20", "r23", "r32", "r34", "r43", "midp_parts", "circle_def",
)


@pytest.mark.parametrize("rule_id", FAST)
def test_fast_rules_are_proved_by_groebner(rule_id: str) -> None:
    verdict = check_rule(RULES[rule_id], timeout=60.0)
    assert verdict.verdict == PROVED, verdict.reason


def test_sas_is_proved_with_its_orientation_condition() -> None:
    verdict = check_rule(RULES["r33"], timeout=120.0)
    assert verdict.verdict == PROVED_UP_TO_ORIENTATION, verdict


UNSOUND = {
    # AlphaGeometry's r33 as written (no sameclock): proved IMO 2009 P2 by a false step
    "sas_without_orientation": "cong A B P Q, cong B C Q R, eqangle6 B A B C Q P Q R, ncoll A B C "
    "=> contri A B C P Q R",
    "sss_with_a_fixed_orientation": "cong A B P Q, cong B C Q R, cong C A R P, ncoll A B C "
    "=> contri A B C P Q R",
    "isosceles_is_not_right": "cong O A O B, ncoll O A B => perp O A A B",
    "midline_wrong_side": "midp E A B, midp F A C => para E F A B",
    "perpendiculars_are_not_equal": "perp A B C D => cong A B C D",
}


@pytest.mark.parametrize("name", sorted(UNSOUND))
def test_unsound_rules_are_not_proved(name: str) -> None:
    verdict = check_rule(parse_rule(UNSOUND[name], name), timeout=60.0)
    assert verdict.verdict == NOT_PROVED, verdict


def test_real_only_side_conditions_are_listed_with_a_reason() -> None:
    verdict = check_rule(RULES["r27"], timeout=10.0)
    assert verdict.verdict == NUMERIC_ONLY and "sameside" in verdict.reason and verdict.established


def test_every_rule_is_established_in_the_committed_table() -> None:
    """BENCHMARKS.md's table (written by benchmarks/rule_soundness.py) covers every rule of rules.txt,
    each proved or listed as checked numerically only with its reason."""
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    section = re.search(r"^## Rule soundness\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert section is not None, "run python benchmarks/rule_soundness.py"
    rows = {}
    for line in section.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in RULES:
            rows[cells[0]] = cells
    assert sorted(set(RULES) - set(rows)) == []
    for rule_id, (_, _, verdict, _, reason) in rows.items():
        assert verdict.startswith("proved") or (verdict == NUMERIC_ONLY and reason), (rule_id, verdict)
