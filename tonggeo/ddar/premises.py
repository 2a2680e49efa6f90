"""What a problem states: the facts its construction calls give, and its goals, as fact records."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from tonggeo.constructions import Catalogue, load_catalogue
from tonggeo.dsl import Clause, Goal, Problem
from tonggeo.facts import (
    ALIASES,
    FACT_KINDS,
    AEquation,
    Fact,
    FactError,
    LEquation,
    fact_text,
    format_angle,
    parse_fact,
)
from tonggeo.facts.compute import COMPUTE_GOALS, candidate

_builtin_catalogue = functools.cache(load_catalogue)
"""The built-in catalogue, read once per process (an immutable mapping)."""

# Construction facts that are not facts of the database (conditions on the inputs).
_NOT_FACTS = frozenset({"diff", "ncoll", "npara", "nperp", "sameside", "nsameside", "sameclock"})


_STATABLE = FACT_KINDS | frozenset(ALIASES) | {"s_angle"}


class PremiseError(ValueError):
    """A construction fact or a goal the engine cannot state as a fact."""


class NoExactValue(PremiseError):
    """A value-asking goal (`acompute`...) whose value in the figure is no simple exact number: it is
    unproved (nothing to prove), not an error of the problem."""


@dataclass(frozen=True, slots=True)
class Premise:
    """A fact the statement gives, with the construction call (DSL text) that gives it."""

    fact: Fact
    call: str


def problem_premises(problem: Problem, catalogue: Catalogue | None = None) -> Iterator[Premise]:
    """Every fact stated by the problem's construction calls (its clauses; aux clauses only if the
    problem was given `with_aux()`), in statement order."""
    catalogue = catalogue or _builtin_catalogue()
    for clause in problem.clauses:
        yield from clause_premises(clause, catalogue)


def clause_premises(clause: Clause, catalogue: Catalogue | None = None) -> Iterator[Premise]:
    """The facts one clause's construction calls state."""
    catalogue = catalogue or _builtin_catalogue()
    for call in clause.calls:
        construction = catalogue[call.name]
        mapping = dict(zip(construction.args, call.args, strict=True))
        for template in construction.all_facts():
            name, args = template.bind(mapping)
            if name in _NOT_FACTS or name not in _STATABLE:
                continue  # a fact kind the database does not hold (obtuse_angle, lconst...): unused
            try:
                fact = parse_fact(name, args)
            except FactError as exc:
                raise PremiseError(f"{call.to_text()}: {template.to_text()}: {exc}") from exc
            yield Premise(fact, call.to_text())


CONDITION_GOALS = frozenset(
    {"sameclock", "sameside", "nsameside", "ncoll", "npara", "nperp", "diff", "obtuse_angle"}
)
"""Goals that are properties of the diagram (orientation, sides, order, non-degeneracy): checked
numerically on the diagram, never derived. `obtuse_angle a b c` (b strictly between a and c when they are
collinear) is such an ordering fact: the rules reason about directed angles and ratios, which cannot tell
an angle from its supplement, so it is reported as a configuration fact of the drawn figure."""


def split_goals(
    goals: Sequence[Goal], points: Mapping[str, complex] | None = None
) -> tuple[list[Fact], list[Goal]]:
    """The goals to prove (as facts) and the goals that are diagram conditions.

    A goal asking for a value (`acompute`...) becomes the constant fact with the value read from the
    diagram's `points` (see `tonggeo.facts.compute`); without `points` it is an error."""
    facts = [goal_fact(g, points) for g in goals if g.name not in CONDITION_GOALS]
    conditions = [g for g in goals if g.name in CONDITION_GOALS]
    return facts, conditions


def goal_fact(goal: Goal, points: Mapping[str, complex] | None = None) -> Fact:
    """The fact a goal asks for."""
    if goal.name in COMPUTE_GOALS:
        if points is None:
            raise PremiseError(f"goal {goal.to_text()!r} asks for a value: it needs the diagram")
        found = candidate(goal.name, goal.args, points)
        if found is None:
            raise NoExactValue(f"goal {goal.to_text()!r}: the diagram's value is no simple exact number")
        return found
    try:
        return parse_fact(goal.name, goal.args)
    except FactError as exc:
        raise PremiseError(f"goal {goal.to_text()!r} is not supported: {exc}") from exc


REWRITTEN_GOALS = frozenset({*COMPUTE_GOALS, "aequation", "lequation"})


def answered(problem: Problem, points: Mapping[str, complex]) -> Problem:
    """`problem` with each value-asking goal (`acompute`...) replaced by the constant fact that answers it
    (the value read from the diagram's `points`) and each `aequation` / `lequation` written as its fact
    (groups of four points, coefficient 1 each): the statements a proof of them must state."""
    if not any(g.name in REWRITTEN_GOALS for g in problem.goals):
        return problem
    goals = []
    for goal in problem.goals:
        if goal.name in REWRITTEN_GOALS:
            fact = goal_fact(goal, points)
            if isinstance(fact, AEquation | LEquation):  # the fact form: groups, then the constant
                value = format_angle(fact.value) if isinstance(fact, AEquation) else str(fact.value.numerator)
                goal = Goal(fact.kind, (*fact.args, value), goal.span)
            else:
                name, *args = fact_text(fact).split()
                goal = Goal(name, tuple(args), goal.span)
        goals.append(goal)
    return dataclasses.replace(problem, goals=tuple(goals))
