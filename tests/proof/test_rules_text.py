"""The checker's own reader of the rule file agrees with the engine's reader (same ids, same premises,
side conditions and conclusions), and tolerates descriptions and citations."""

from __future__ import annotations

import pytest

from tonggeo.ddar.rules import load_rules
from tonggeo.proof.check.rules_text import RuleTextError, default_rules, parse_rule_text


def _engine() -> dict[str, tuple[tuple[tuple[str, ...], ...], ...]]:
    out = {}
    for rule in load_rules():
        parts = tuple(
            tuple((lit.name, *lit.args, *(() if lit.value is None else (lit.value,))) for lit in group)
            for group in (rule.premises, rule.conditions, rule.conclusions)
        )
        out[rule.id] = parts
    return out


def test_same_rules_as_the_engine_reads() -> None:
    mine = {
        k: tuple(tuple((p.name, *p.variables, *p.constant) for p in group)
                 for group in (r.premises, r.conditions, r.conclusions))
        for k, r in default_rules().items()
    }
    assert mine == _engine()


def test_comments_citations_and_metadata_are_ignored() -> None:
    text = (
        "# a header\n"
        "perp A B C D, perp C D E F, ncoll A B E => para A B E F  # cite: Euclid I.27 # more\n"
        "cite: a line of metadata without an arrow\n"
        "mine: cong O A O B, ncoll O A B => eqangle O A A B A B O B  # base angles\n"
    )
    rules = parse_rule_text(text)
    assert sorted(rules) == ["mine", "r00"]
    assert [p.name for p in rules["r00"].conditions] == ["ncoll"]
    assert [p.text() for p in rules["mine"].conclusions] == ["eqangle O A A B A B O B"]


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(RuleTextError):
        parse_rule_text("x: coll A B C => coll B A C\nx: coll A B C => coll C B A\n")
