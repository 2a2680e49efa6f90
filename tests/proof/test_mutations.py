"""Mutation tests on real proofs: every tampering the checker must refuse, counted over real DDAR proofs
of problems outside the benchmarks (Newclid's examples and minimal rule problems).

Tamperings: a constructed point moved; a rule step citing another rule; a premise replaced by another
earlier step; a step's fact replaced by another fact of its kind; a rule whose side condition the engine
ignored (the engine run with a rule text stripped of side conditions); a rule text missing a premise.
Target: no tampered proof accepted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pytest

from solvers.ddar import solve
from tests.conftest import PROBLEMS
from tonggeo.ddar.rules import load_rules, parse_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import Problem, load_problems
from tonggeo.facts import make_fact
from tonggeo.facts.justification import AlgebraStep, RuleStep
from tonggeo.proof import Proof, ProofChecker, check_proof, extract_proof
from tonggeo.proof.check import facts as checker_facts
from tonggeo.proof.check.coordinates import clause_system
from tonggeo.proof.check.definitions import definitions
from tonggeo.proof.check.rules_text import RULE_FILE, default_rules
from tonggeo.proof.model import ProofStep

NEWCLID = PROBLEMS / "newclid"
CASES = {
    "examples.txt": ("angles_double_eq_triangle", "ar_example_paper_ratio_chasing", "miquel_theorem",
                     "two_goals_cong_aconst", "central_angle_vs_internal_angle"),
    "testing_minimal_rules.txt": ("r27", "r33", "r41", "r58", "r59", "r74", "r91"),
}
# Problems where the engine, given rules without side conditions, applies one where its condition fails.
STRIPPED_CASES = ("r18", "r59", "r92", "test_eqratio_numercial")


def _problems() -> dict[str, Problem]:
    out: dict[str, Problem] = {}
    for filename, names in CASES.items():
        out.update({p.name: p for p in load_problems(NEWCLID / filename) if p.name in names})
    return out


@pytest.fixture(scope="module")
def proofs() -> list[tuple[Problem, Proof]]:
    out = []
    for name, problem in sorted(_problems().items()):
        result = solve(problem, timeout=30, rng=np.random.default_rng(0))
        assert result.proof is not None, (name, result.message)
        out.append((problem, result.proof))
    assert len(out) == sum(len(v) for v in CASES.values())
    return out


def _accepted(checker: ProofChecker, proof: Proof) -> bool:
    return checker.check(proof).ok


def _step_accepted(checker: ProofChecker, step: ProofStep, proof: Proof) -> bool:
    earlier = {s.number: s for s in proof.steps if s.number < step.number}
    return checker.check_step(step, earlier) is None and checker.fact_numeric(step.fact)


def _rule_steps(proof: Proof) -> Iterator[tuple[ProofStep, RuleStep]]:
    for step in proof.steps:
        if isinstance(step.why, RuleStep):
            yield step, step.why


def test_the_real_proofs_are_accepted(proofs: list[tuple[Problem, Proof]]) -> None:
    for problem, proof in proofs:
        assert check_proof(proof, problem).ok, problem.name
    assert any(isinstance(s.why, AlgebraStep) for _, p in proofs for s in p.steps)


def _constructed(problem: Problem) -> list[str]:
    defs = definitions()
    return [p for clause in problem.clauses if clause_system(clause, defs)[0] for p in clause.point_names]


def test_moved_constructed_points_are_rejected(proofs: list[tuple[Problem, Proof]]) -> None:
    tried = accepted = 0
    for problem, proof in proofs:
        scale = max(abs(complex(*v)) for v in proof.points.values())
        for name in _constructed(problem):
            for turn in (0.3, 2.1, 4.4):
                shift = 1e-3 * scale * np.exp(1j * turn)
                x, y = proof.points[name]
                points = {**proof.points, name: (x + shift.real, y + shift.imag)}
                tried += 1
                accepted += check_proof(dataclasses.replace(proof, points=points), problem).ok
    assert tried >= 40
    assert accepted == 0


def test_a_rounding_sized_move_is_still_accepted(proofs: list[tuple[Problem, Proof]]) -> None:
    """The tolerance is about construction, not bits: a move of 1e-10 of the figure changes nothing."""
    for problem, proof in proofs:
        scale = max(abs(complex(*v)) for v in proof.points.values())
        points = {k: (x + 1e-10 * scale, y) for k, (x, y) in proof.points.items()}
        assert check_proof(dataclasses.replace(proof, points=points), problem).ok, problem.name


def test_other_rule_ids_are_rejected(proofs: list[tuple[Problem, Proof]]) -> None:
    ids = sorted(default_rules())
    tried = accepted = 0
    for problem, proof in proofs:
        checker = ProofChecker(problem, proof.points)
        for step, why in _rule_steps(proof):
            for other in ids:
                if other != why.rule:
                    tried += 1
                    changed = dataclasses.replace(step, why=dataclasses.replace(why, rule=other))
                    accepted += _step_accepted(checker, changed, proof)
    assert tried >= 500
    assert accepted == 0


def test_replaced_premises_are_rejected(proofs: list[tuple[Problem, Proof]]) -> None:
    tried = accepted = 0
    for problem, proof in proofs:
        checker = ProofChecker(problem, proof.points)
        keys = {s.number: checker_facts.key(checker_facts.of_record(s.fact)) for s in proof.steps}
        for step, why in _rule_steps(proof):
            for slot, cited in enumerate(why.premises):
                for other in range(1, step.number):
                    if keys[other] == keys[cited]:
                        continue
                    premises = (*why.premises[:slot], other, *why.premises[slot + 1 :])
                    changed = dataclasses.replace(step, why=dataclasses.replace(why, premises=premises))
                    tried += 1
                    accepted += _step_accepted(checker, changed, proof)
    assert tried >= 30
    assert accepted == 0


def _same_line(proof: Proof, why: AlgebraStep, pair: tuple[str, str], new: str) -> bool:
    """Whether the step's own line identifications (its coll structure) put `new` on the line `pair`."""
    numbers = set(why.structure)
    return any(set(pair) | {new} <= set(s.fact.args) for s in proof.steps if s.number in numbers)


def test_replaced_facts_are_rejected(proofs: list[tuple[Problem, Proof]]) -> None:
    """Each derived step's fact with one point renamed to another point of the figure is refused, unless
    the step's own line identifications make it the same equation (the angle between the same lines)."""
    tried = accepted = 0
    for problem, proof in proofs:
        checker = ProofChecker(problem, proof.points)
        names = sorted(proof.points)
        for step in proof.steps:
            why = step.why
            if not isinstance(why, RuleStep | AlgebraStep):
                continue
            old = checker_facts.key(checker_facts.of_record(step.fact))
            for i, point in enumerate(step.fact.args):
                for new in names:
                    args = (*step.fact.args[:i], new, *step.fact.args[i + 1 :])
                    try:
                        fact = make_fact(step.fact.kind, args, getattr(step.fact, "value", None))
                    except ValueError:
                        continue
                    if new == point or checker_facts.key(checker_facts.of_record(fact)) == old:
                        continue
                    tried += 1
                    if not _step_accepted(checker, dataclasses.replace(step, fact=fact), proof):
                        continue
                    pair = (step.fact.args[i - i % 2], step.fact.args[i - i % 2 + 1])
                    same = isinstance(why, AlgebraStep) and why.domain == "angle" and _same_line(
                        proof, why, pair, new)
                    accepted += not same
    assert tried >= 200
    assert accepted == 0


def _without_conditions() -> str:
    """The rule file as `id: premises => conclusions`, every side condition removed."""
    lines = []
    for rule in load_rules():
        left = ", ".join(lit.to_text() for lit in rule.premises)
        right = ", ".join(lit.to_text() for lit in rule.conclusions)
        lines.append(f"{rule.id}: {left} => {right}")
    return "\n".join(lines)


def test_steps_of_rules_without_their_side_conditions_are_rejected() -> None:
    """The engine runs with every side condition removed; each record it derives by a rule whose real
    side condition fails in the figure has its proof checked: refused against the rule file, accepted
    against the stripped text (so the refusal is the side condition's doing)."""
    stripped_text = _without_conditions()
    stripped = parse_rules(stripped_text)
    real = default_rules()
    problems = {p.name: p for p in load_problems(NEWCLID / "testing_minimal_rules.txt")}
    problems.update({p.name: p for p in load_problems(NEWCLID / "examples.txt")})
    found = accepted = accepted_stripped = 0
    kinds: set[str] = set()
    for name in STRIPPED_CASES:
        problem = problems[name]
        state = initial_state(problem, np.random.default_rng(0))
        Saturator(state.db, plans_for(stripped)).run(())
        checker = ProofChecker(problem, state.points)
        lenient = ProofChecker(problem, state.points, rule_text=stripped_text)
        for record in state.db.records:
            why = record.why
            if not isinstance(why, RuleStep) or not real[why.rule].conditions:
                continue
            assign = dict(why.assignment)
            failing = [c for c in real[why.rule].conditions
                       if not checker.condition(c.name, [assign[v] for v in c.variables])]
            if not failing:
                continue
            found += 1
            kinds.update(c.name for c in failing)
            proof = extract_proof(state.db.records, [record.id], [record.fact], name, state.points)
            accepted += _accepted(checker, proof)
            accepted_stripped += _accepted(lenient, proof)
    assert found >= 4 and {"ncoll", "sameclock", "npara", "nperp"} <= kinds
    assert accepted == 0
    assert accepted_stripped == found


def test_a_rule_text_missing_a_premise_refuses_the_step(proofs: list[tuple[Problem, Proof]]) -> None:
    """The checker reads the rule text: drop one premise of a used rule, and the step no longer checks."""
    text = RULE_FILE.read_text(encoding="utf-8")
    tried = 0
    for problem, proof in proofs:
        for step, why in _rule_steps(proof):
            rule = default_rules()[why.rule]
            if len(rule.premises) < 2:
                continue
            line = "\n".join(
                f"{r.id}: " + ", ".join(p.text() for p in (*r.premises[1:], *r.conditions)) + " => "
                + ", ".join(p.text() for p in r.conclusions)
                for r in [rule]
            )
            others = [f"{r.id}: " + ", ".join(p.text() for p in (*r.premises, *r.conditions)) + " => "
                      + ", ".join(p.text() for p in r.conclusions)
                      for k, r in default_rules().items() if k != rule.id]
            checker = ProofChecker(problem, proof.points, rule_text="\n".join([line, *others]))
            tried += 1
            assert not _step_accepted(checker, step, proof), (problem.name, rule.id)
    assert tried >= 5
    assert text == RULE_FILE.read_text(encoding="utf-8")
