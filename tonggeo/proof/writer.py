"""Proofs as readable numbered text: premises first, then each derived step with its rule or algebraic
combination and the step numbers it rests on.  A step that reads the drawn figure's configuration (an
orientation or side condition, a halved angle, the sign of a power) says so: "in this configuration: ..."."""

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


_CONFIGURATION_CONDITIONS = frozenset({"sameside", "nsameside", "sameclock"})
CONFIGURATION_MARK = "in this configuration: "


def configuration_read(step: ProofStep, rule_texts: Mapping[str, str] | None = None) -> str:
    """What the step reads off the drawn configuration, in words, or "" when it holds in every figure
    of the premises (as `tonggeo.proof.dependence` decides for the engine's records)."""
    why = step.why
    match why:
        case RuleStep(rule, _, assignment):
            if rule_texts is None or rule not in rule_texts:
                return ""
            tokens = rule_texts[rule].replace(",", " ").split()
            names = dict(assignment)
            read = []
            for literal in rule_texts[rule].split("=>")[0].split(","):
                words = literal.split()
                if words and words[0] in _CONFIGURATION_CONDITIONS:
                    read.append(" ".join([words[0], *(names.get(w, w) for w in words[1:])]))
            if any(token.endswith("*") for token in tokens):
                read.append("the orientation of the two triangles")
            return ", ".join(read)
        case AlgebraStep(multiplier=multiplier, selectors=selectors):
            read = []
            if multiplier > 1:
                read.append(f"which of the {multiplier} solutions of the angle equation holds")
            if any(s.startswith("power") for s in selectors):
                read.append("the sign of a power of a point")
            return ", ".join(read)
    return ""


def step_reason(step: ProofStep, rule_texts: Mapping[str, str] | None = None) -> str:
    """Why the step holds, in words, citing step numbers in parentheses; a step that reads the figure's
    configuration starts with "in this configuration:" and ends with what it read."""
    reason = _reason(step, rule_texts)
    read = configuration_read(step, rule_texts)
    return f"{CONFIGURATION_MARK}{reason} (read off the figure: {read})" if read else reason


def _reason(step: ProofStep, rule_texts: Mapping[str, str] | None = None) -> str:
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
    marked = sum(1 for s in derived if configuration_read(s, rule_texts))
    if marked:
        lines.append(
            f"{marked} step(s) marked 'in this configuration' hold for the drawn configuration (the order "
            "of the points, which intersection was drawn); in a figure of another configuration they and "
            "the steps after them may fail."
        )
    return "\n".join(lines) + "\n"
