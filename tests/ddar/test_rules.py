"""Every rule has its own minimal problem, and the engine proves it *with that rule*: the rule is run
alone (plus the definitions of midp/circle), and the checked proof must cite it.

Minimal problems come from Newclid's `testing_minimal_rules.txt` (ids r00-r92 as in Newclid) and from
`tests/ddar/data/rule_problems.txt` for tonggeo's own rules; a few tonggeo rules state what one of
Newclid's rules states, and reuse its problem (`SAME_AS`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from solvers.ddar import solve
from tests.conftest import ROOT
from tonggeo.config import DdarConfig
from tonggeo.ddar.rules import Rule, load_rules, parse_rules
from tonggeo.ddar.rules.algebraic import algebraic_domain
from tonggeo.dsl import Problem, load_problems
from tonggeo.facts.justification import RuleStep

RULES = load_rules()
DEFINITIONS = ("midp_def", "midp_parts", "circle_def", "circle_parts")
SAME_AS = {
    "midp_def": "r54",
    "midp_parts": "r51",
    "circle_def": "r73",
    "simtri_parts": "r52",
    "simtri2_parts": "r53",
    "contri_parts": "r77",
    "contri2_parts": "r78",
}


def _problems() -> dict[str, Problem]:
    found = {p.name: p for p in load_problems(ROOT / "problems" / "newclid" / "testing_minimal_rules.txt")}
    found.update({p.name: p for p in load_problems(Path(__file__).parent / "data" / "rule_problems.txt")})
    return found


PROBLEMS = _problems()


def test_rule_file_keeps_alphageometry_numbering() -> None:
    ag = [r for r in RULES if r.source == "alphageometry"]
    assert [r.id for r in ag] == [f"r{k:02d}" for k in range(43)]
    assert len({r.id for r in RULES}) == len(RULES)


def test_rule_text_round_trips() -> None:
    again = parse_rules("\n".join(f"{r.id}: {r.to_text()}" for r in RULES))
    assert [(r.id, r.premises, r.conditions, r.conclusions) for r in again] == [
        (r.id, r.premises, r.conditions, r.conclusions) for r in RULES
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_proves_its_minimal_problem(rule: Rule) -> None:
    problem = PROBLEMS.get(SAME_AS.get(rule.id, rule.id))
    assert problem is not None, f"rule {rule.id} has no minimal problem"
    chosen = [r for r in RULES if r.id == rule.id or r.id in DEFINITIONS]
    # a rule the algebra subsumes is tested with the algebra off, so that the rule itself must act
    config = DdarConfig(
        use_algebra=algebraic_domain(rule) is None, squared_lengths=False, skip_algebraic_rules=False
    )
    result = solve(problem, timeout=60, rng=np.random.default_rng(0), config=config, rules=chosen)
    assert result.status == "proved", result.message
    assert result.proof is not None
    used = {s.why.rule for s in result.proof.steps if isinstance(s.why, RuleStep)}
    assert rule.id in used, f"proof of {problem.name} does not use {rule.id} (uses {sorted(used)})"


def test_only_linear_rules_are_left_to_the_algebra() -> None:
    subsumed = {r.id for r in RULES if algebraic_domain(r) is not None}
    assert {"r00", "r02", "r08", "r09", "r10", "r30", "r31"} == subsumed
    # the incentre theorem speaks only of eqangle but is no linear consequence of its premises
    assert "r46" not in subsumed


def test_every_rule_cites_its_classical_theorem() -> None:
    # policy (rules.txt header): each rule's comment names the theorem and cites where it comes from
    missing = [r.id for r in RULES if not r.description.partition("cite:")[2].strip()]
    assert missing == []


def test_benchmark_shaped_rules_are_not_in_the_default_set() -> None:
    # these two restated JGEX problems (yL157-1, ex160_e102) and were removed (issue 9)
    ids = {r.id for r in RULES}
    assert not ids & {"bisector_foot_midline", "bisector_feet_parallel"}
    assert all(r.source in {"alphageometry", "tonggeo", "newclid"} for r in RULES)
