"""The objects a problem's goals talk about: their points, the segments whose lengths and the lines whose
directions they compare, and the triangles they span.  Policy and value both measure closeness to them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tonggeo.facts import Fact

Pair = frozenset[str]

_SEGMENT_KINDS = frozenset({"cong", "eqratio", "rconst"})
_LINE_KINDS = frozenset({"para", "perp", "eqangle", "aconst"})


def pairs_of(args: Sequence[str]) -> list[Pair]:
    return [frozenset(args[i : i + 2]) for i in range(0, len(args) - 1, 2) if args[i] != args[i + 1]]


@dataclass(frozen=True, slots=True)
class GoalObjects:
    """Points, segments (length comparisons), lines (direction comparisons) and triangles of the goals."""

    points: frozenset[str]
    segments: frozenset[Pair]
    lines: frozenset[Pair]
    triangles: frozenset[frozenset[str]]

    @classmethod
    def of(cls, goals: Iterable[Fact]) -> GoalObjects:
        points: set[str] = set()
        segments: set[Pair] = set()
        lines: set[Pair] = set()
        triangles: set[frozenset[str]] = set()
        for goal in goals:
            args = goal.args
            points.update(args)
            kind = goal.kind
            if kind in _SEGMENT_KINDS:
                segments.update(pairs_of(args))
            elif kind in _LINE_KINDS:
                lines.update(pairs_of(args))
            elif kind == "coll":
                lines.update(frozenset(p) for p in itertools.combinations(args, 2))
            elif kind == "cyclic":
                segments.update(frozenset(p) for p in itertools.combinations(args, 2))
                triangles.update(frozenset(t) for t in itertools.combinations(args, 3))
            elif kind == "midp":
                m, a, b = args
                segments.update({frozenset((a, b)), frozenset((m, a)), frozenset((m, b))})
            elif kind == "circle":
                o, *rest = args
                segments.update(frozenset((o, r)) for r in rest)
                triangles.add(frozenset(rest))
            elif kind in ("simtri", "simtri2", "contri", "contri2"):
                triangles.update({frozenset(args[:3]), frozenset(args[3:])})
                for triangle in (args[:3], args[3:]):
                    segments.update(frozenset(p) for p in itertools.combinations(triangle, 2))
        # two compared segments or lines sharing a point span a triangle (an isosceles one for cong a b a c)
        for first, second in itertools.combinations(segments | lines, 2):
            union = first | second
            if len(union) == 3:
                triangles.add(frozenset(union))
        return cls(frozenset(points), frozenset(segments), frozenset(lines), frozenset(triangles))

    def overlap(self, args: Iterable[str]) -> float:
        """How much of a fact is about the goals: goal points among its distinct points, as a share of
        the smaller of the two sets (1.0 when one contains the other)."""
        names = set(args)
        if not names or not self.points:
            return 0.0
        return len(names & self.points) / min(len(names), len(self.points))

    def touches(self, pair: Pair) -> bool:
        """Whether a segment or line is one the goals compare."""
        return pair in self.segments or pair in self.lines
