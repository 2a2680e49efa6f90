"""Proofs as readable numbered text: premises first, then each derived step with its rule or algebraic
combination and the step numbers it rests on."""

from __future__ import annotations

from collections.abc import Mapping

from tonggeo.facts import fact_text
from tonggeo.facts.justification import AlgebraStep, Given, MergeStep, RuleStep
from tonggeo.proof.model import Proof, ProofStep

_DOMAIN_NAMES = {
    "angle": "angle chasing",
    "ratio": "ratio chasing",
    "distance": "distance chasing",
    "squared": "Pythagoras (squared lengths)",
}


def _coef(c: object, first: bool) -> str:
    """`+ 2*`, `- `, `` (a leading 1): how a coefficient is written before a step number."""
    text = str(c)
    mag = text.lstrip("-")
    sign = "-" if text.startswith("-") else ("" if first else "+")
    factor = "" if mag == "1" else mag + "*"
    return f"{sign}{factor}" if first else f"{sign} {factor}"


def step_reason(step: ProofStep, rule_texts: Mapping[str, str] | None = None) -> str:
    """Why the step holds, in words, citing step numbers in parentheses."""
    why = step.why
    match why:
        case Given(construction):
            return f"given ({construction})"
        case RuleStep(rule, premises, assignment):
            cited = ", ".join(f"({n})" for n in premises)
            points = ", ".join(f"{v}={p}" for v, p in assignment)
            text = f"rule {rule}"
            if rule_texts and rule in rule_texts:
                text += f" [{rule_texts[rule]}]"
            return f"{text} from {cited} with {points}" if cited else f"{text} with {points}"
        case AlgebraStep(domain, terms, structure, multiplier, selectors):
            marks = selectors or ("",) * len(terms)
            parts = []
            for i, ((n, c), x) in enumerate(zip(terms, marks, strict=True)):
                parts.append(f"{_coef(c, i == 0)}({n}{' at ' + x if x else ''})")
            combo = " ".join(parts)
            text = f"{_DOMAIN_NAMES.get(domain, domain)}: {combo}"
            if structure:
                text += "; lines from " + ", ".join(f"({n})" for n in structure)
            if multiplier > 1:
                text += f"; proves {multiplier}x the angle, the diagram picks the solution"
            return text
        case MergeStep(premises):
            return "same line/circle: " + ", ".join(f"({n})" for n in premises)
    raise TypeError(why)


def proof_text(proof: Proof, rule_texts: Mapping[str, str] | None = None) -> str:
    """The whole proof as numbered lines."""
    lines = [f"Problem {proof.problem}", "Goal: " + "; ".join(fact_text(g) for g in proof.goals)]
    given = [s for s in proof.steps if isinstance(s.why, Given)]
    derived = [s for s in proof.steps if not isinstance(s.why, Given)]
    width = max((len(fact_text(s.fact)) for s in proof.steps), default=10) + 2
    lines.append("Premises:")
    for s in given:
        lines.append(f"  ({s.number}) {fact_text(s.fact):<{width}} {step_reason(s, rule_texts)}")
    lines.append("Steps:")
    for s in derived:
        lines.append(f"  ({s.number}) {fact_text(s.fact):<{width}} {step_reason(s, rule_texts)}")
    return "\n".join(lines) + "\n"
