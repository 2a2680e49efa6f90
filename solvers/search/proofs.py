"""Proofs of search states: extracted, minimised and checked; and the auxiliary constructions a proof
really rests on (a batch child draws several, its proof usually needs a few)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from solvers.search.node import SearchState
from tonggeo.ddar.rules import Rule
from tonggeo.ddar.support import support
from tonggeo.dsl.ast import Clause
from tonggeo.facts.justification import Given, RuleStep
from tonggeo.proof import Proof, ProofChecker, check_proof, extract_proof
from tonggeo.proof.minimize import minimize_proof


def verified_proof(node: SearchState, rules: Sequence[Rule]) -> tuple[Proof | None, str | None]:
    """The proof of the node's goals, minimised and accepted by the independent checker, or the reason
    there is none."""
    db = node.state.db
    goal_ids = []
    for goal in node.goals:
        gid = support(db, goal)
        if gid is None:
            return None, f"goal {goal} holds but cannot be justified"
        goal_ids.append(gid)
    problem = node.state.problem
    proof = extract_proof(db.records, goal_ids, list(node.goals), problem.name, node.state.points)
    proof = minimize_proof(proof, ProofChecker(problem, proof.points, rules))
    report = check_proof(proof, problem, rules)
    if not report.ok:
        return None, "checker rejected the proof: " + "; ".join(report.errors[:3])
    return proof, None


def needed_aux(proof: Proof, aux: Sequence[Clause]) -> tuple[Clause, ...]:
    """The auxiliary clauses the proof rests on: those it cites as given or whose points it names, with
    the clauses their inputs come from."""
    cited = {step.why.construction for step in proof.steps if isinstance(step.why, Given)}
    named: set[str] = set()
    for step in proof.steps:
        named.update(step.fact.args)
        if isinstance(step.why, RuleStep):
            named.update(point for _, point in step.why.assignment)
    defines = {p: i for i, clause in enumerate(aux) for p in clause.point_names}
    keep = {
        i for i, clause in enumerate(aux)
        if named.intersection(clause.point_names) or any(call.to_text() in cited for call in clause.calls)
    }
    stack = list(keep)
    while stack:
        for call in aux[stack.pop()].calls:
            for arg in call.args:
                j = defines.get(arg)
                if j is not None and j not in keep:
                    keep.add(j)
                    stack.append(j)
    return tuple(aux[i] for i in sorted(keep))


def reduce_to_needed(
    node: SearchState, proof: Proof, rules: Sequence[Rule]
) -> tuple[Proof, tuple[Clause, ...]]:
    """The proof restated over the statement with only the auxiliary clauses it needs, if the checker
    accepts it there; else the proof over every auxiliary clause of the node."""
    kept = needed_aux(proof, node.aux)
    if len(kept) == len(node.aux):
        return proof, node.aux
    problem = node.state.problem
    statement = problem.clauses[: len(problem.clauses) - len(node.aux)]
    reduced = dataclasses.replace(problem, clauses=(*statement, *kept))
    names = {p for clause in reduced.clauses for p in clause.point_names}
    smaller = dataclasses.replace(proof, points={k: v for k, v in proof.points.items() if k in names})
    if check_proof(smaller, reduced, rules).ok:
        return smaller, kept
    return proof, node.aux
