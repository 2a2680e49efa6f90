"""Frozen syntax tree of a problem: point declarations, construction calls, clauses, goals.

Construction calls are stored *normalised*: their arguments follow the construction's definition order
(the AG `defs.txt` order), whatever short or explicit form the text used, so the rest of the engine never
sees dialect differences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where something was written: 1-based line and column in the file."""

    file: str | None
    line: int
    column: int

    def __str__(self) -> str:
        where = self.file or "<text>"
        return f"{where}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class PointDecl:
    """A point named on the left of '=', with optional explicit coordinates (`x@1.0_2.0`)."""

    name: str
    coord: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class ConstructionCall:
    """One construction applied to arguments, normalised to the definition's argument order."""

    name: str
    args: tuple[str, ...]
    span: SourceSpan | None = field(default=None, compare=False, hash=False)

    def to_text(self) -> str:
        return " ".join((self.name, *self.args))


@dataclass(frozen=True, slots=True)
class Clause:
    """New points and the calls whose intersection fixes them."""

    points: tuple[PointDecl, ...]
    calls: tuple[ConstructionCall, ...]

    @property
    def point_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.points)

    def to_text(self) -> str:
        left = " ".join(
            p.name if p.coord is None else f"{p.name}@{p.coord[0]!r}_{p.coord[1]!r}" for p in self.points
        )
        return f"{left} = " + ", ".join(c.to_text() for c in self.calls)


@dataclass(frozen=True, slots=True)
class Goal:
    """A predicate to prove, e.g. `cong a b c d` or `aconst a b c d 1pi/3`."""

    name: str
    args: tuple[str, ...]
    span: SourceSpan | None = field(default=None, compare=False, hash=False)

    def to_text(self) -> str:
        return " ".join((self.name, *self.args))


@dataclass(frozen=True, slots=True)
class Problem:
    """A whole problem: statement clauses, auxiliary clauses (after '|'), goals (after '?')."""

    name: str
    clauses: tuple[Clause, ...]
    goals: tuple[Goal, ...]
    aux: tuple[Clause, ...] = ()
    span: SourceSpan | None = field(default=None, compare=False, hash=False)

    @property
    def points(self) -> tuple[str, ...]:
        """All statement points in order of construction (auxiliary points excluded)."""
        return tuple(name for clause in self.clauses for name in clause.point_names)

    def with_aux(self) -> Problem:
        """The problem with its auxiliary clauses moved into the statement."""
        return Problem(self.name, self.clauses + self.aux, self.goals, (), self.span)

    def to_text(self) -> str:
        """The problem body in the explicit-point DSL (round-trips through the parser)."""
        body = "; ".join(c.to_text() for c in self.clauses)
        if self.aux:
            body += " | " + "; ".join(c.to_text() for c in self.aux)
        if self.goals:
            body += " ? " + "; ".join(g.to_text() for g in self.goals)
        return body


def centrality(clauses: Iterable[Clause]) -> dict[str, float]:
    """For each point, how many later clauses build on it (as an input of one of their calls), as a
    share of four: the points a figure is organised around."""
    uses: dict[str, int] = {}
    for clause in clauses:
        own = set(clause.point_names)
        for p in {a for call in clause.calls for a in call.args if a not in own}:
            uses[p] = uses.get(p, 0) + 1
    return {p: min(n, 4) / 4 for p, n in uses.items()}
