"""Translate a problem into a triangular set: choose the coordinate frame, gather each point's facts.

Only the clauses the goals depend on are translated. The first point is the origin; the next point, when
free, lies on the x-axis at (1, 0) (or (u, 0) when the problem fixes absolute lengths). Facts come from
the construction catalogue (the defining fact groups of each call), as data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.builder import ChainBuilder, Equation
from solvers.algebraic.chain import Condition
from solvers.algebraic.coupled import absorb_leftovers
from solvers.algebraic.polys import AlgebraUnsupported, Deadline
from solvers.algebraic.predicates import INEQUALITIES, SCALE_DEPENDENT, equations

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from tonggeo.config import AlgebraicConfig
    from tonggeo.constructions import Catalogue
    from tonggeo.dsl.ast import Clause, Problem


@dataclass(frozen=True, slots=True)
class Fact:
    """A predicate a construction asserts about its new points, bound to the problem's names."""

    name: str
    args: tuple[str, ...]

    def to_text(self) -> str:
        return " ".join((self.name, *self.args))


def clause_facts(clause: Clause, catalogue: Catalogue) -> list[Fact]:
    """The defining facts of a clause's calls (groups naming new points; consequences are skipped)."""
    found: list[Fact] = []
    for call in clause.calls:
        construction = catalogue.get(call.name)
        if construction is None:
            raise AlgebraUnsupported(f"unknown construction {call.name!r}")
        mapping = dict(zip(construction.args, call.args, strict=False))
        for group in construction.facts:
            if not group.points:
                continue
            for template in group.facts:
                name, args = template.bind(mapping)
                if name not in INEQUALITIES:
                    found.append(Fact(name, args))
    return found


def needed_clauses(problem: Problem, catalogue: Catalogue) -> list[Clause]:
    """The clauses the goals depend on (transitively through construction arguments), in order."""
    owner = {name: i for i, clause in enumerate(problem.clauses) for name in clause.point_names}
    wanted = {owner[a] for goal in problem.goals for a in goal.args if a in owner}
    stack = list(wanted)
    while stack:
        i = stack.pop()
        for call in problem.clauses[i].calls:
            for arg in call.args:
                j = owner.get(arg)
                if j is not None and j != i and j not in wanted:
                    wanted.add(j)
                    stack.append(j)
    return [clause for i, clause in enumerate(problem.clauses) if i in wanted]


@dataclass(frozen=True, slots=True)
class Frame:
    """The similarity putting `origin` at 0 and `axis` (if any) on the positive x-axis (at 1 if scaled)."""

    origin: str
    axis: str | None
    scaled: bool

    def apply(self, points: Mapping[str, NDArray[np.float64]]) -> dict[str, NDArray[np.float64]]:
        o = complex(*points[self.origin])
        factor = 1 + 0j
        if self.axis is not None:
            b = complex(*points[self.axis]) - o
            if abs(b) == 0.0:
                raise AlgebraUnsupported(f"{self.origin} and {self.axis} coincide in the diagram")
            factor = 1 / b if self.scaled else abs(b) / b
        out = {}
        for name, xy in points.items():
            z = (complex(float(xy[0]), float(xy[1])) - o) * factor
            out[name] = np.array([z.real, z.imag], dtype=np.float64)
        return out


def translate(
    problem: Problem,
    points: Mapping[str, NDArray[np.float64]],
    catalogue: Catalogue,
    config: AlgebraicConfig,
    deadline: Deadline,
) -> ChainBuilder:
    """Build the triangular set of `problem`'s hypotheses on the diagram `points`."""
    clauses = needed_clauses(problem, catalogue)
    if not clauses:
        raise AlgebraUnsupported("the goals mention no constructed point")
    facts = [clause_facts(clause, catalogue) for clause in clauses]
    order = [name for clause in clauses for name in clause_order(clause, catalogue)]
    missing = [name for name in order if name not in points]
    if missing:
        raise AlgebraUnsupported(f"the diagram lacks points {missing}")
    scaled = not any(f.name in SCALE_DEPENDENT for group in facts for f in group) and not any(
        g.name in SCALE_DEPENDENT for g in problem.goals
    )
    free = {
        name
        for clause, group in zip(clauses, facts, strict=True)
        for name, mine in assign_facts(clause_order(clause, catalogue), group).items()
        if not mine
    }
    if order[0] not in free:
        raise AlgebraUnsupported(f"the first point {order[0]} is constrained")
    axis = order[1] if len(order) > 1 and order[1] in free else None
    frame = Frame(order[0], axis, scaled)
    builder = ChainBuilder(order, frame.apply({n: points[n] for n in order}), config, deadline)
    if axis is not None:
        builder.conditions.append(Condition(f"diff {order[0]} {axis}"))
    for clause, clause_fact_list in zip(clauses, facts, strict=True):
        _translate_clause(builder, clause, clause_fact_list, frame, catalogue)
    return builder


def assign_facts(order: Sequence[str], facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each fact goes to the last of the clause's new points it mentions (in placement order)."""
    assigned: dict[str, list[Fact]] = {name: [] for name in order}
    rank = {name: i for i, name in enumerate(order)}
    for fact in facts:
        mentioned = [a for a in fact.args if a in rank]
        if mentioned:
            assigned[max(mentioned, key=rank.__getitem__)].append(fact)
    return assigned


def clause_order(clause: Clause, catalogue: Catalogue) -> list[str]:
    """The clause's new points, each after the new points its constructions say it depends on."""
    new = clause.point_names
    needs: dict[str, set[str]] = {name: set() for name in new}
    for call in clause.calls:
        construction = catalogue.get(call.name)
        if construction is None:
            continue
        mapping = dict(zip(construction.args, call.args, strict=False))
        for point, deps in construction.dependencies:
            bound = mapping.get(point, point)
            if bound in needs:
                needs[bound] |= {mapping.get(d, d) for d in deps if mapping.get(d, d) in needs} - {bound}
    order: list[str] = []
    while len(order) < len(new):
        ready = [n for n in new if n not in order and needs[n] <= set(order)]
        order.append(ready[0] if ready else next(n for n in new if n not in order))
    return order


def _translate_clause(
    builder: ChainBuilder, clause: Clause, facts: list[Fact], frame: Frame, catalogue: Catalogue
) -> None:
    new = clause_order(clause, catalogue)
    assigned = assign_facts(new, facts)
    leftovers: list[tuple[str, Equation]] = []
    for name in new:
        mine = assigned[name]
        if name == frame.origin:
            builder.place_free(name, "origin")
        elif name == frame.axis:
            builder.place_free(name, "unit" if frame.scaled else "axis")
        elif not mine:
            builder.place_free(name, "free")
        else:
            eqs: list[Equation] = []
            builder.current = name
            try:
                for fact in mine:
                    eqs.extend(
                        Equation(poly, fact.to_text()) for poly in equations(builder, fact.name, fact.args)
                    )
            finally:
                builder.current = None
            leftovers.extend((name, eq) for eq in builder.place(name, eqs))
    if leftovers:
        absorb_leftovers(builder, new, leftovers)
