"""Shorter proofs: drop the line identifications an algebraic step does not need (checked by replaying the
step), then every step nothing depends on any more, and renumber."""

from __future__ import annotations

import dataclasses

from tonggeo.facts.justification import AlgebraStep, FactRecord, Given, Justification, MergeStep, RuleStep
from tonggeo.proof.checker import ProofChecker
from tonggeo.proof.model import Proof, ProofStep
from tonggeo.proof.traceback import extract_proof


def minimize_proof(proof: Proof, checker: ProofChecker) -> Proof:
    """`proof` with minimal `structure` in each algebraic step and only the steps the goals rest on."""
    by_number: dict[int, ProofStep] = {}
    steps: list[ProofStep] = []
    for step in proof.steps:
        why = step.why
        if isinstance(why, AlgebraStep) and why.structure:
            keep = list(why.structure)
            for number in list(keep):
                trial = [n for n in keep if n != number]
                candidate = dataclasses.replace(step, why=dataclasses.replace(why, structure=tuple(trial)))
                if checker.check_step(candidate, by_number) is None:
                    keep = trial
            step = dataclasses.replace(step, why=dataclasses.replace(why, structure=tuple(keep)))
        by_number[step.number] = step
        steps.append(step)
    # re-extract from the goals: records are the steps, ids are step numbers - 1
    records = [FactRecord(s.number - 1, s.fact, _shift(s)) for s in steps]
    goal_ids = []
    for goal in proof.goals:
        goal_ids.append(next(s.number - 1 for s in steps if s.fact == goal))
    return extract_proof(records, goal_ids, proof.goals, proof.problem, proof.points)


def _shift(step: ProofStep) -> Justification:
    """The step's justification with step numbers turned back into 0-based ids."""
    why = step.why
    match why:
        case Given():
            return why
        case RuleStep(rule, premises, assignment):
            return RuleStep(rule, tuple(p - 1 for p in premises), assignment)
        case MergeStep(premises):
            return MergeStep(tuple(p - 1 for p in premises))
        case AlgebraStep():
            return dataclasses.replace(
                why,
                terms=tuple((n - 1, c) for n, c in why.terms),
                structure=tuple(n - 1 for n in why.structure),
            )
    raise TypeError(why)
