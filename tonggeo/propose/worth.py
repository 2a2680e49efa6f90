"""Worth of a proposed problem, as terms a person can read: auxiliary constructions, proof length,
statement size, symmetry, and difficulty as the search nodes a policy needs to re-find the aux (the
rank of the first auxiliary clause among the candidates the proposing policy orders on the statement).

    worth = 3 min(aux credit, 3) + log2(1 + proof steps) + 2 [symmetric] - 0.25 max(0, points - 8)
            + log2(1 + aux rank)        (no term when the aux is not among the candidates)
            + 4 goal form - 1.5 extra aux points

*Goal form* says how plainly the goal reads (`goal_form`): 1 for a perpendicular, a parallel, equal
segments, a circle, a line or a midpoint, and for equal angles each made at a vertex (both lines of each
angle through a common point); 0.5 for equal ratios of adjacent segments; 0 for angles or ratios between
unrelated lines, which no competition states. *Extra aux points* are the points the aux draws beyond one
per clause (a centroid clause draws three midpoints and the centroid: three extra): a person adds one
point at a time, so an aux that needs many at once reads as a device, not an idea.

A *mirror aux* clause only draws the mirror image of statement points (`tonggeo.propose.mirror`): the
statement is half a symmetric figure and the aux its other half. Such problems are kept (the statement
alone does not prove the goal, and completing a symmetric figure is a real move), but the clause earns no
aux credit: one move, always the same, and the same problem as the one stated on the other half. The
*twin* aux clauses (the same construction as a statement clause under a relabelling of the base that the
drawing does not realise, such as the foot from the other vertex of a scalene triangle) earn one credit
together: "do the same on the other side" is one idea however many clauses it takes. A *repeat* aux clause
(the same construction as an earlier aux clause: the second of a pair) earns none. So the aux credit is the
aux count less the mirror, twin and repeat clauses, plus one when there is any twin (`aux_credit`).

The aux problems are already "not obvious": their statement saturated alone (angle and ratio chasing
with every rule, to its fixpoint) does not reach the goal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tonggeo.candidates.enumerate import clause_key, iter_candidates
from tonggeo.config import DEFAULT_PROPOSE, ProposeConfig
from tonggeo.diagram import DiagramError, build_diagram
from tonggeo.dsl.ast import Problem
from tonggeo.propose.mirror import AuxCopies
from tonggeo.propose.rankers import AUX_PRIOR, DEFAULT_WEIGHT

RANK_LIMIT = 5000
"""Candidates examined when looking for the aux clause (past it, the rank is reported as the limit)."""
GOAL_FORM_WEIGHT = 4.0
EXTRA_POINT_WEIGHT = 1.5
PLAIN_GOALS = frozenset({"perp", "para", "cong", "cyclic", "coll", "midp"})
"""Goal kinds that read plainly whatever their points."""


def goal_form(goal: str) -> float:
    """1 (plain kind, or equal angles at vertices), 0.5 (equal ratios of adjacent segments) or 0: the
    goal's text, e.g. 'eqangle a b b c d e e f'."""
    kind, *args = goal.split()
    if kind in PLAIN_GOALS:
        return 1.0
    if kind not in ("eqangle", "eqratio") or len(args) != 8:
        return 0.0
    halves = (args[0:4], args[4:8])
    at_vertex = all(set(h[0:2]) & set(h[2:4]) for h in halves)
    if not at_vertex:
        return 0.0
    return 1.0 if kind == "eqangle" else 0.5


def aux_credit(aux: int, mirrored: int = 0, repeats: int = 0, twins: int = 0) -> int:
    """Aux clauses that count as moves (`tonggeo.propose.mirror.AuxCopies.credit`): mirrors and repeats
    count none, twins one together."""
    return AuxCopies(mirrored, twins, repeats).credit(aux)


def extra_points(aux_points: Sequence[int]) -> int:
    """Points drawn beyond one per clause, given each aux clause's count of new points."""
    return sum(max(0, n - 1) for n in aux_points)


@dataclass(frozen=True, slots=True)
class Worth:
    aux: int
    steps: int
    points: int
    symmetric: bool
    aux_rank: int | None
    """Position (1-based) of the first aux clause in the policy's order of the statement's candidates;
    None when it is not among them (a construction the candidate families do not propose)."""
    mirrored: int = 0
    """Aux clauses that are the mirror image of statement clauses (no aux credit)."""
    goal_form: float = 0.0
    """How plainly the goal reads (`goal_form`)."""
    extra_points: int = 0
    """Points the aux draws beyond one per clause (`extra_points`)."""
    repeats: int = 0
    """Aux clauses repeating an earlier aux clause under a relabelling (no credit)."""
    twins: int = 0
    """Aux clauses repeating a statement clause under a relabelling the drawing does not realise (one
    credit together)."""

    @property
    def score(self) -> float:
        # an aux the candidate families never propose has no rank: no term (unknown, not infinitely hard)
        rank = self.aux_rank if self.aux_rank is not None else 0
        credit = aux_credit(self.aux, self.mirrored, self.repeats, self.twins)
        return (3.0 * min(credit, 3) + math.log2(1 + self.steps)
                + (2.0 if self.symmetric else 0.0) - 0.25 * max(0, self.points - 8) + math.log2(1 + rank)
                + GOAL_FORM_WEIGHT * self.goal_form - EXTRA_POINT_WEIGHT * self.extra_points)

    def terms(self) -> tuple[tuple[str, float], ...]:
        rank = float(self.aux_rank) if self.aux_rank is not None else float("nan")
        return (("aux", float(self.aux)), ("mirror aux", float(self.mirrored)),
                ("twin aux", float(self.twins)), ("repeat aux", float(self.repeats)),
                ("steps", float(self.steps)),
                ("points", float(self.points)),
                ("symmetric", float(self.symmetric)), ("aux rank", rank), ("goal form", self.goal_form),
                ("extra aux points", float(self.extra_points)), ("worth", round(self.score, 2)))

    def text(self) -> str:
        rank = "-" if self.aux_rank is None else str(self.aux_rank)
        copies = [f"{n} {kind}" for n, kind in ((self.mirrored, "mirror"), (self.twins, "twin"),
                                                     (self.repeats, "repeat")) if n]
        mirror = f" ({', '.join(copies)})" if copies else ""
        extra = f", {self.extra_points} extra aux points" if self.extra_points else ""
        return (f"worth {self.score:.2f} (aux {self.aux}{mirror}{extra}, steps {self.steps}, "
                f"points {self.points}, {'symmetric' if self.symmetric else 'asymmetric'}, "
                f"goal form {self.goal_form:g}, aux rank {rank})")


def aux_rank(problem: Problem, seed: int = 0, config: ProposeConfig = DEFAULT_PROPOSE) -> int | None:
    """Where the first auxiliary clause comes in the candidates of the statement, ordered by the aux
    prior (odds by construction kind, ties in enumeration order): the nodes a one-step search with that
    policy expands before it."""
    if not problem.aux:
        return None
    statement = Problem(problem.name, problem.clauses, ())
    try:
        diagram = build_diagram(statement, np.random.default_rng(seed), require_goals=False)
    except DiagramError:
        return None
    rank = {p: i for i, p in enumerate(diagram.points)}
    target = clause_key(problem.aux[0].calls, rank)
    found: list[tuple[float, int, str]] = []
    for i, candidate in enumerate(iter_candidates(diagram, np.random.default_rng(seed),
                                                  config=config.candidates)):
        if i >= RANK_LIMIT:
            break
        weight = AUX_PRIOR.get(candidate.clause.calls[0].name, DEFAULT_WEIGHT)
        found.append((-weight, i, clause_key(candidate.clause.calls, rank)))
    found.sort()
    for position, (_, _, key) in enumerate(found, start=1):
        if key == target:
            return position
    return None
