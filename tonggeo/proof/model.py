"""A proof: numbered steps, each a fact with a justification citing earlier step numbers.

Proofs are self-contained values (no reference to the engine's database): they can be written as text
or JSON, read back, and replayed by the checker with only the problem, the rules and the diagram.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from tonggeo.facts import Fact, fact_text, parse_fact
from tonggeo.facts.justification import AlgebraStep, Given, Justification, MergeStep, RuleStep


@dataclass(frozen=True, slots=True)
class ProofStep:
    """Step `number` (1-based) states `fact` because of `why` (whose ids are step numbers)."""

    number: int
    fact: Fact
    why: Justification


@dataclass(frozen=True, slots=True)
class Proof:
    """The steps proving `goals` for problem `problem`, in order; `points` are the diagram's coordinates
    (side conditions and the choice among k solutions of an angle equation are read off them)."""

    problem: str
    goals: tuple[Fact, ...]
    steps: tuple[ProofStep, ...]
    points: Mapping[str, tuple[float, float]]

    @property
    def rule_steps(self) -> int:
        return sum(1 for s in self.steps if not isinstance(s.why, Given))


def _why_json(why: Justification) -> dict[str, Any]:
    match why:
        case Given(construction):
            return {"by": "given", "construction": construction}
        case RuleStep(rule, premises, assignment):
            return {"by": "rule", "rule": rule, "premises": list(premises), "assignment": dict(assignment)}
        case AlgebraStep(domain, terms, structure, multiplier, selectors):
            out: dict[str, Any] = {
                "by": "algebra",
                "domain": domain,
                "terms": [[n, str(c)] for n, c in terms],
                "structure": list(structure),
                "multiplier": multiplier,
            }
            if selectors:
                out["selectors"] = list(selectors)
            return out
        case MergeStep(premises):
            return {"by": "merge", "premises": list(premises)}
    raise TypeError(why)


def proof_to_json(proof: Proof) -> dict[str, Any]:
    return {
        "problem": proof.problem,
        "goals": [fact_text(g) for g in proof.goals],
        "points": {k: list(v) for k, v in proof.points.items()},
        "steps": [{"n": s.number, "fact": fact_text(s.fact), **_why_json(s.why)} for s in proof.steps],
    }


def _fact(text: str) -> Fact:
    name, *tokens = text.split()
    return parse_fact(name, tokens)


def _why_from(data: Mapping[str, Any]) -> Justification:
    by = data["by"]
    if by == "given":
        return Given(str(data["construction"]))
    if by == "rule":
        assignment = tuple((str(k), str(v)) for k, v in data["assignment"].items())
        return RuleStep(str(data["rule"]), tuple(int(x) for x in data["premises"]), assignment)
    if by == "algebra":
        terms = tuple((int(n), Fraction(c)) for n, c in data["terms"])
        structure = tuple(int(x) for x in data["structure"])
        selectors = tuple(str(x) for x in data.get("selectors", ()))
        return AlgebraStep(str(data["domain"]), terms, structure, int(data.get("multiplier", 1)), selectors)
    if by == "merge":
        return MergeStep(tuple(int(x) for x in data["premises"]))
    raise ValueError(f"unknown justification {by!r}")


def proof_from_json(data: Mapping[str, Any]) -> Proof:
    steps: Sequence[Mapping[str, Any]] = data["steps"]
    return Proof(
        problem=str(data["problem"]),
        goals=tuple(_fact(g) for g in data["goals"]),
        steps=tuple(ProofStep(int(s["n"]), _fact(s["fact"]), _why_from(s)) for s in steps),
        points={k: (float(v[0]), float(v[1])) for k, v in data["points"].items()},
    )
