"""Audit of the engine's proofs of IMO problems: no proof rests on a rule instance of the kinds the
rule-text audit found unsound, and the false 5-step SAS proof of IMO 2009 P2 (an "equal angle" between
collinear sides, triangles of opposite orientation) does not come back.

IMO 2009 P2 is now proved by the official argument (midlines, tangent-chord angle, triangles MLK and AQP
similar, then AP.PC = AQ.QB and the power of a point), which this audit accepts."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.ddar import solve
from tests.conftest import ROOT
from tonggeo.config import DEFAULT_NUMERIC
from tonggeo.ddar.rules import load_rules
from tonggeo.diagram.predicates import CHECKS
from tonggeo.dsl import Problem, load_problems
from tonggeo.facts.justification import RuleStep
from tonggeo.proof import Proof

IMO = {p.name: p for p in load_problems(ROOT / "problems" / "imo_ag_30.txt")}
RULES = {r.id: r for r in load_rules()}

# Fast problems the engine proves without auxiliary points (short proofs are where a false step shows).
PROVED = ["translated_imo_2004_p5", "translated_imo_2009_p2", "translated_imo_2014_p4",
          "translated_imo_2015_p4", "translated_imo_2022_p4"]

# The condition that makes each unsound rule instance valid (see test_rule_text.KNOWN_BUGS).
SAS = ("r33", "r39", "r63", "r67")
NEEDED = {"r07": ("ncoll", "O A B"), "r26": ("ncoll", "A B C"), "r42": ("ncoll", "a b c"),
          "r81": ("npara", "A Q B P")}


def _holds(name: str, args: list[str], proof: Proof) -> bool:
    pts = [complex(*proof.points[a]) for a in args]
    return CHECKS[name](pts, [], DEFAULT_NUMERIC)


def _same_line(proof: Proof, a: str, b: str, c: str, d: str) -> bool:
    return _holds("coll", [a, b, c], proof) and _holds("coll", [a, b, d], proof)


@pytest.mark.parametrize("name", PROVED)
def test_proof_has_no_degenerate_rule_instance(name: str) -> None:
    problem: Problem = IMO[name]
    result = solve(problem, timeout=60, rng=np.random.default_rng(0))
    assert result.status == "proved", result.message
    assert result.proof is not None
    proof = result.proof
    for step in proof.steps:
        why = step.why
        if not isinstance(why, RuleStep):
            continue
        rule = RULES[why.rule]
        assign = dict(why.assignment)
        needed = NEEDED.get(rule.id)
        if rule.id in SAS:  # the equal angle fixes the triangle only for equal orientations
            a, b, c, p, q, r = (assign[v] for v in "ABCPQR")
            order = [a, b, c, p, q, r] if rule.id in ("r33", "r39") else [a, b, c, p, r, q]
            assert _holds("sameclock", order, proof), f"step {step.number}: {rule.id}, wrong orientation"
        if needed is not None:
            args = [assign[v] for v in needed[1].split()]
            assert _holds(needed[0], args, proof), f"step {step.number}: {rule.id} on a degenerate instance"
        if rule.id == "r28":
            continue  # `para A B A C => coll A B C`: its premise is a para of one line by design
        for lit in rule.premises:
            if lit.name == "para":
                a, b, c, d = (assign[v] for v in lit.args)
                assert not _same_line(proof, a, b, c, d), f"step {step.number}: {rule.id}: trivial {lit}"
