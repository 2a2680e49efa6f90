"""The independent checker accepts the engine's proofs and rejects each kind of tampering."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pytest

from solvers.ddar import solve
from tests.conftest import ROOT
from tonggeo.dsl import Problem, load_problems
from tonggeo.facts import make_fact
from tonggeo.facts.justification import AlgebraStep, Given, MergeStep, RuleStep
from tonggeo.proof import Proof, check_proof, proof_from_json, proof_text, proof_to_json

NAME = "examples/complete2/013/complete_002_6_GDD_FULL_41-60_54.gex"


@pytest.fixture(scope="module")
def problem() -> Problem:
    return next(p for p in load_problems(ROOT / "problems" / "jgex_ag_231.txt") if p.name == NAME)


@pytest.fixture(scope="module")
def proof(problem: Problem) -> Proof:
    result = solve(problem, timeout=60, rng=np.random.default_rng(0))
    assert result.status == "proved", result.message
    assert result.proof is not None
    return result.proof


def _replace(proof: Proof, number: int, **changes: object) -> Proof:
    steps = tuple(dataclasses.replace(s, **changes) if s.number == number else s for s in proof.steps)
    return dataclasses.replace(proof, steps=steps)


def _first(proof: Proof, kind: type) -> int:
    return next(s.number for s in proof.steps if isinstance(s.why, kind))


def test_accepts_and_round_trips(problem: Problem, proof: Proof) -> None:
    assert check_proof(proof, problem).ok
    again = proof_from_json(proof_to_json(proof))
    assert again == proof
    assert check_proof(again, problem).ok
    text = proof_text(proof)
    assert text.count("\n") == len(proof.steps) + 4


def test_rejects_a_wrong_rule_conclusion(problem: Problem, proof: Proof) -> None:
    number = _first(proof, RuleStep)
    step = next(s for s in proof.steps if s.number == number)
    a, b, c = sorted(step.fact.args)[:3]
    bad = _replace(proof, number, fact=make_fact("coll", (a, b, c)))
    assert not check_proof(bad, problem).ok


def test_rejects_a_wrong_assignment(problem: Problem, proof: Proof) -> None:
    number = _first(proof, RuleStep)
    step = next(s for s in proof.steps if s.number == number)
    assert isinstance(step.why, RuleStep)
    assignment = step.why.assignment
    swapped = ((assignment[0][0], assignment[1][1]), (assignment[1][0], assignment[0][1]), *assignment[2:])
    bad = _replace(proof, number, why=dataclasses.replace(step.why, assignment=swapped))
    assert not check_proof(bad, problem).ok


def test_rejects_a_changed_coefficient(problem: Problem, proof: Proof) -> None:
    number = _first(proof, AlgebraStep)
    step = next(s for s in proof.steps if s.number == number)
    assert isinstance(step.why, AlgebraStep)
    terms = ((step.why.terms[0][0], step.why.terms[0][1] + 1), *step.why.terms[1:])
    bad = _replace(proof, number, why=dataclasses.replace(step.why, terms=terms))
    assert not check_proof(bad, problem).ok


def test_rejects_a_dropped_line_identification(problem: Problem, proof: Proof) -> None:
    for step in proof.steps:
        if isinstance(step.why, AlgebraStep) and step.why.structure:
            bad = _replace(proof, step.number, why=dataclasses.replace(step.why, structure=()))
            assert not check_proof(bad, problem).ok
            return
    pytest.skip("no algebraic step uses line identification")


def test_rejects_an_invented_premise(problem: Problem, proof: Proof) -> None:
    number = _first(proof, Given)
    bad = _replace(proof, number, fact=make_fact("cong", "abcd"))
    assert not check_proof(bad, problem).ok


def test_rejects_a_goal_nobody_proves(problem: Problem, proof: Proof) -> None:
    bad = dataclasses.replace(proof, goals=(make_fact("para", "abcd"),))
    assert not check_proof(bad, problem).ok


def test_rejects_forward_references(problem: Problem, proof: Proof) -> None:
    last = proof.steps[-1].number
    number = _first(proof, RuleStep)
    step = next(s for s in proof.steps if s.number == number)
    assert isinstance(step.why, RuleStep)
    premises = (last, *step.why.premises[1:])
    bad = _replace(proof, number, why=dataclasses.replace(step.why, premises=premises))
    assert not check_proof(bad, problem).ok


def test_merge_steps_need_shared_points(problem: Problem, proof: Proof) -> None:
    colls = [s.number for s in proof.steps if s.fact.kind == "coll" and isinstance(s.why, Given)]
    target = make_fact("coll", ("a", "b", "c"))
    fake = dataclasses.replace(proof.steps[-1], number=proof.steps[-1].number + 1, fact=target,
                               why=MergeStep(tuple(colls[:2])))
    bad = dataclasses.replace(proof, steps=(*proof.steps, fake))
    assert not check_proof(bad, problem).ok
    assert Fraction(1) == 1
