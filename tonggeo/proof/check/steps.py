"""Replaying one proof step: a given fact, a rule application, a merge, or an algebraic combination
(`algebra`).  Everything is decided from the checker's own readings: facts by `facts` keys, rules by
`rules_text`, side conditions on the checker's own coordinates (`coordinates`).
"""

from __future__ import annotations

from collections.abc import Mapping

from tonggeo.facts.justification import AlgebraStep, Given, MergeStep, RuleStep
from tonggeo.proof.check import facts as F
from tonggeo.proof.check.algebra import check_angle, check_ratio, check_squared
from tonggeo.proof.check.context import Context, merge
from tonggeo.proof.check.rules_text import ORIENTED
from tonggeo.proof.model import ProofStep

__all__ = ["Context", "check_step", "cited"]


def cited(why: object) -> list[int]:
    match why:
        case RuleStep(premises=premises) | MergeStep(premises=premises):
            return list(premises)
        case AlgebraStep(terms=terms, structure=structure):
            return [n for n, _ in terms] + list(structure)
    return []


def check_step(ctx: Context, step: ProofStep, earlier: Mapping[int, ProofStep]) -> str | None:
    """None if the step is justified by the steps `earlier` (by number), else the reason it is not."""
    why = step.why
    missing = [n for n in cited(why) if n not in earlier or n >= step.number]
    if missing:
        return f"cites steps {missing} that do not come before it"
    try:
        fact = F.of_record(step.fact)
        facts = {n: F.of_record(earlier[n].fact) for n in cited(why)}
        F.key(fact)
    except F.Degenerate as exc:
        return f"not a well-formed fact: {exc}"
    match why:
        case Given():
            return None if F.key(fact) in ctx.given else "not stated by the problem"
        case RuleStep():
            return _rule(ctx, fact, why, facts)
        case AlgebraStep():
            if why.domain == "angle":
                return check_angle(ctx, fact, why, facts)
            if why.domain == "ratio":
                return check_ratio(ctx, fact, why, facts)
            if why.domain == "squared":
                return check_squared(ctx, fact, why, facts)
            return f"unknown algebraic domain {why.domain!r}"
        case MergeStep():
            return _merge_step(fact, why, facts)
    return f"unknown justification {why!r}"


def _rule(ctx: Context, fact: F.Statement, why: RuleStep, facts: Mapping[int, F.Statement]) -> str | None:
    rule = ctx.rules.get(why.rule)
    if rule is None:
        return f"unknown rule {why.rule}"
    assign = dict(why.assignment)
    if set(assign) != rule.variables or len(why.assignment) != len(assign):
        return f"assignment {assign} does not cover the variables of {rule.id} exactly"
    if len(why.premises) != len(rule.premises):
        return f"{rule.id} has {len(rule.premises)} premises, step cites {len(why.premises)}"
    for pattern, number in zip(rule.premises, why.premises, strict=True):
        try:
            wanted = F.key(F.statement(pattern.name, [*(assign[v] for v in pattern.variables),
                                                      *pattern.constant]))
        except F.Degenerate as exc:
            return f"premise {pattern.text()} is degenerate: {exc}"
        if F.key(facts[number]) != wanted:
            return f"premise {pattern.text()} is not what step {number} states"
    for pattern in rule.conditions:
        points = [assign[v] for v in pattern.variables]
        if not F.condition_holds(pattern.name, points, ctx.coords, ctx.tol):
            return f"side condition {pattern.text()} fails in the diagram"
    target = F.key(fact)
    for pattern in rule.conclusions:
        for kind in ORIENTED.get(pattern.name, (pattern.name,)):
            try:
                made = F.statement(kind, [*(assign[v] for v in pattern.variables), *pattern.constant])
                if F.key(made) == target:
                    return None
            except F.Degenerate:
                continue
    return f"not a conclusion of {rule.id} under the assignment"

def _merge_step(fact: F.Statement, why: MergeStep, facts: Mapping[int, F.Statement]) -> str | None:
    if fact.kind not in ("coll", "cyclic"):
        return "only coll and cyclic facts come from merging"
    sets = []
    for number in why.premises:
        if facts[number].kind != fact.kind:
            return f"step {number} is not a {fact.kind} fact"
        sets.append(set(facts[number].points))
    groups = merge(sets, 2 if fact.kind == "coll" else 3)
    return None if any(set(fact.points) <= g for g in groups) else "the cited sets do not contain its points"
