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

from solvers.algebraic.builder import ChainBuilder
from solvers.algebraic.chain import Condition
from solvers.algebraic.coupled import absorb_leftovers
from solvers.algebraic.halfangle import bisector_sides, place_half_angle
from solvers.algebraic.polys import AlgebraUnsupported, Deadline
from solvers.algebraic.predicates import INEQUALITIES, SCALE_DEPENDENT, equations
from solvers.algebraic.records import Equation, Hypothesis
from solvers.algebraic.state import ChainState

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from tonggeo.config import AlgebraicSolverConfig
    from tonggeo.constructions import Catalogue
    from tonggeo.dsl.ast import Clause, Problem


def clause_facts(clause: Clause, catalogue: Catalogue) -> list[Hypothesis]:
    """The defining facts of a clause's calls (groups naming new points; consequences are skipped)."""
    found: list[Hypothesis] = []
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
                    found.append(Hypothesis(name, args))
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


@dataclass(frozen=True, slots=True)
class Unit:
    """Points placed together: one free point, or a clause's constrained points with their facts."""

    points: tuple[str, ...]
    facts: tuple[tuple[str, tuple[Hypothesis, ...]], ...] = ()
    clause_points: tuple[str, ...] = ()

    @property
    def free(self) -> bool:
        return not self.facts

    def mentions(self, name: str) -> bool:
        return any(name in fact.args for _, group in self.facts for fact in group)


def placement_units(clauses: Sequence[Clause], catalogue: Catalogue) -> list[Unit]:
    units: list[Unit] = []
    for clause in clauses:
        order = clause_order(clause, catalogue)
        assigned = assign_facts(order, clause_facts(clause, catalogue))
        constrained = tuple((name, tuple(assigned[name])) for name in order if assigned[name])
        units.extend(Unit((name,)) for name in order if not assigned[name])
        if constrained:
            units.append(Unit(tuple(name for name, _ in constrained), constrained, tuple(order)))
    return units


def translate(
    problem: Problem,
    points: Mapping[str, NDArray[np.float64]],
    catalogue: Catalogue,
    config: AlgebraicSolverConfig,
    deadline: Deadline,
) -> ChainState:
    """Build the triangular set of `problem`'s hypotheses on the diagram `points`."""
    clauses = needed_clauses(problem, catalogue)
    if not clauses:
        raise AlgebraUnsupported("the goals mention no constructed point")
    units = placement_units(clauses, catalogue)
    order = [name for unit in units for name in unit.points]
    missing = [name for name in order if name not in points]
    if missing:
        raise AlgebraUnsupported(f"the diagram lacks points {missing}")
    facts = [fact for unit in units for _, group in unit.facts for fact in group]
    scaled = not any(f.name in SCALE_DEPENDENT for f in facts) and not any(
        g.name in SCALE_DEPENDENT for g in problem.goals
    )
    if not units[0].free:
        raise AlgebraUnsupported(f"the first point {order[0]} is constrained")
    axis = order[1] if len(units) > 1 and units[1].free else None
    frame = Frame(order[0], axis, scaled)
    half_angles: dict[str, tuple[str, str]] = {}
    if config.half_angles:
        units, half_angles = half_angle_vertices(units, {order[0], axis or order[0]}, facts)
        order = [name for unit in units for name in unit.points]
    numeric = frame.apply({n: points[n] for n in order})
    state = ChainState.empty(order, numeric, config, deadline, extra_slots=len(half_angles))
    state.hypotheses = tuple(facts)
    state.frame_fixed = 2 + (0 if axis is None else 2 if scaled else 1)
    if axis is not None:
        state.conditions.append(Condition(f"diff {order[0]} {axis}"))
    slots = dict(zip(half_angles, state.extra_slots, strict=True))
    builder = ChainBuilder(state)
    for unit in units:
        _place_unit(builder, unit, frame, half_angles, slots)
    return state


def half_angle_vertices(
    units: list[Unit], fixed: set[str], facts: Sequence[Hypothesis]
) -> tuple[list[Unit], dict[str, tuple[str, str]]]:
    """Free points to place by half-angles: a free vertex of a triangle one of whose angles is bisected,
    moved (when nothing in between uses it) after the two other vertices. Returns the new unit order."""
    units = list(units)
    chosen: dict[str, tuple[str, str]] = {}

    def position(name: str) -> int:
        return next(i for i, unit in enumerate(units) if name in unit.points)

    for fact in facts:
        sides = bisector_sides(fact.name, fact.args)
        if sides is None or any(p in chosen for p in sides):
            continue
        candidates = sorted(sides, key=position, reverse=True)
        for vertex in candidates:
            unit_index = position(vertex)
            if vertex in fixed or not units[unit_index].free:
                continue
            others = [p for p in sides if p != vertex]
            target = max(position(p) for p in others)
            if target > unit_index:
                if any(unit.mentions(vertex) for unit in units[unit_index + 1 : target + 1]):
                    continue
                units.insert(target, units.pop(unit_index))
            first, second = sorted(others, key=position)
            chosen[vertex] = (first, second)
            break
    return units, chosen


def assign_facts(order: Sequence[str], facts: Sequence[Hypothesis]) -> dict[str, list[Hypothesis]]:
    """Each fact goes to the last of the clause's new points it mentions (in placement order)."""
    assigned: dict[str, list[Hypothesis]] = {name: [] for name in order}
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


def circle_of(name: str, fact: Hypothesis) -> tuple[str, str, str] | None:
    """(centre, p, q) when `fact` is `cong name centre p q` (in any order within and between pairs)."""
    if fact.name != "cong" or len(fact.args) != 4 or fact.args.count(name) != 1:
        return None
    first, second = fact.args[:2], fact.args[2:]
    mine, other = (first, second) if name in first else (second, first)
    centre = mine[1] if mine[0] == name else mine[0]
    if centre == name or len(set(other)) != 2:
        return None
    return centre, other[0], other[1]


def _place_unit(
    builder: ChainBuilder,
    unit: Unit,
    frame: Frame,
    half_angles: Mapping[str, tuple[str, str]],
    slots: Mapping[str, int],
) -> None:
    if unit.free:
        (name,) = unit.points
        if name == frame.origin:
            builder.place_free(name, "origin")
        elif name == frame.axis:
            builder.place_free(name, "unit" if frame.scaled else "axis")
        elif name in half_angles:
            builder.apply(place_half_angle(builder.state, name, *half_angles[name], slots[name]))
        else:
            builder.place_free(name, "free")
        return
    leftovers: list[tuple[str, Equation]] = []
    state = builder.state
    for name, mine in unit.facts:
        eqs: list[Equation] = []
        state.current = name
        try:
            for fact in mine:
                circle = circle_of(name, fact)
                eqs.extend(
                    Equation(poly, fact.to_text(), circle) for poly in equations(state, fact.name, fact.args)
                )
        finally:
            state.current = None
        leftovers.extend((name, eq) for eq in builder.place(name, eqs))
    if leftovers:
        absorb_leftovers(builder, unit.clause_points, leftovers)
