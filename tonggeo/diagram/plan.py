"""A problem compiled for numeric building: each call bound to its construction and sketch primitives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tonggeo.constructions import Catalogue, Construction
from tonggeo.constructions.sketch import CHIRAL, PRIMITIVES, Primitive
from tonggeo.dsl.ast import Clause, ConstructionCall, Problem


class PlanError(ValueError):
    """The problem uses a construction or primitive the numeric builder does not know."""

    def __init__(self, clause: str, reason: str) -> None:
        self.clause = clause
        self.reason = reason
        super().__init__(f"{clause}: {reason}")


@dataclass(frozen=True, slots=True)
class SketchCall:
    """One sketch step bound to actual names: primitive, point names, numeric parameter texts."""

    primitive: Primitive
    points: tuple[str, ...]
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CallPlan:
    """A construction call bound to actual point names."""

    text: str
    construction: Construction
    outputs: tuple[str, ...]
    steps: tuple[SketchCall, ...]
    preconditions: tuple[tuple[str, tuple[str, ...]], ...]
    facts: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class ClausePlan:
    """A clause: its new points, explicit coordinates, calls, and whether it is auxiliary."""

    text: str
    points: tuple[str, ...]
    fixed: Mapping[str, complex]
    calls: tuple[CallPlan, ...]
    aux: bool


def _bind_call(call: ConstructionCall, catalogue: Catalogue, clause_text: str) -> CallPlan:
    construction = catalogue.get(call.name)
    if construction is None:
        raise PlanError(clause_text, f"unknown construction '{call.name}'")
    mapping = dict(zip(construction.args, call.args, strict=True))
    params = set(construction.params)
    steps = []
    for step in construction.sketch:
        primitive = PRIMITIVES.get(step.primitive)
        if primitive is None:
            reason = f"construction '{call.name}' uses unknown sketch primitive '{step.primitive}'"
            raise PlanError(clause_text, reason)
        points = tuple(mapping.get(a, a) for a in step.args if a not in params)
        values = tuple(mapping[a] for a in step.args if a in params)
        steps.append(SketchCall(primitive, points, values))
    pre = tuple(t.bind(mapping) for t in construction.preconditions)
    facts = tuple(t.bind(mapping) for t in construction.all_facts())
    outputs = tuple(mapping[o] for o in construction.outputs)
    return CallPlan(call.to_text(), construction, outputs, tuple(steps), pre, facts)


def compile_problem(problem: Problem, catalogue: Catalogue, include_aux: bool) -> tuple[ClausePlan, ...]:
    """The clauses to build, in order (statement clauses, then auxiliary ones if asked)."""
    clauses: list[tuple[Clause, bool]] = [(c, False) for c in problem.clauses]
    if include_aux:
        clauses += [(c, True) for c in problem.aux]
    plans = []
    for clause, aux in clauses:
        text = clause.to_text()
        fixed = {p.name: complex(*p.coord) for p in clause.points if p.coord is not None}
        calls = tuple(_bind_call(call, catalogue, text) for call in clause.calls)
        plans.append(ClausePlan(text, clause.point_names, fixed, calls, aux))
    return tuple(plans)


def chiral(problem: Problem, catalogue: Catalogue, include_aux: bool) -> bool:
    """Whether a clause of `problem` (and of its aux with `include_aux`) uses a chiral primitive: then a
    drawing with its base shapes mirrored (`build_diagram`'s `mirror`) is another figure of the text, not
    the mirror image of the same one. Raises `PlanError` as `compile_problem` does."""
    plan = compile_problem(problem, catalogue, include_aux)
    calls = (call for clause in plan for call in clause.calls)
    return any(step.primitive in CHIRAL for call in calls for step in call.construction.sketch)
