"""What a step is checked against, and the merging of point sets shared by merge and algebra steps."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

from tonggeo.proof.check.rules_text import RuleText


@dataclass(frozen=True, slots=True)
class Context:
    """What a step is checked against."""

    given: Collection[Hashable]
    rules: Mapping[str, RuleText]
    coords: Mapping[str, complex]
    tol: float
    angle_tol: float


def merge(sets: Sequence[set[str]], arity: int) -> list[set[str]]:
    """Union the sets sharing at least `arity` points (lines share 2, circles 3)."""
    groups = [set(s) for s in sets]
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if len(groups[i] & groups[j]) >= arity:
                    groups[i] |= groups.pop(j)
                    merged = True
                    break
            if merged:
                break
    return groups
