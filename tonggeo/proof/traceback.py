"""From a database's records to a proof: walk back from the goals' records over justifications, keep
only the records they rest on, and number them in order (every record cites smaller ids only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tonggeo.facts import Fact
from tonggeo.facts.justification import (
    AlgebraStep,
    FactRecord,
    Given,
    Justification,
    MergeStep,
    RuleStep,
    premises_of,
)
from tonggeo.proof.model import Proof, ProofStep


def needed_records(records: Sequence[FactRecord], roots: Sequence[int]) -> list[int]:
    """Ids of the records the `roots` rest on (roots included), in increasing order."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        fid = stack.pop()
        if fid in seen:
            continue
        seen.add(fid)
        stack.extend(p for p in premises_of(records[fid].why) if p not in seen)
    return sorted(seen)


def _renumber(why: Justification, number: Mapping[int, int]) -> Justification:
    match why:
        case Given():
            return why
        case RuleStep(rule, premises, assignment):
            return RuleStep(rule, tuple(number[p] for p in premises), assignment)
        case AlgebraStep(domain, terms, structure, multiplier, selectors):
            return AlgebraStep(
                domain,
                tuple((number[f], c) for f, c in terms),
                tuple(number[f] for f in structure),
                multiplier,
                selectors,
            )
        case MergeStep(premises):
            return MergeStep(tuple(number[p] for p in premises))
    raise TypeError(why)


def extract_proof(
    records: Sequence[FactRecord],
    goal_ids: Sequence[int],
    goals: Sequence[Fact],
    problem: str,
    points: Mapping[str, tuple[float, float]],
) -> Proof:
    """The proof of `goals` (whose records are `goal_ids`) from the records they rest on."""
    ids = needed_records(records, goal_ids)
    number = {fid: k + 1 for k, fid in enumerate(ids)}
    steps = tuple(ProofStep(number[f], records[f].fact, _renumber(records[f].why, number)) for f in ids)
    return Proof(problem, tuple(goals), steps, dict(points))
