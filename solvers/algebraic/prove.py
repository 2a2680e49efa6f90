"""Decide a problem's goals on its triangular set: numeric check, Wu's remainder, Groebner fallback.

`prove` returns an `AlgebraicOutcome`: a goal holds only when every goal polynomial has an exact zero
remainder (Wu) or lies in the saturated hypothesis ideal (Groebner), and never when a goal is false on
the diagram.  The status is `holds_generically` only when the diagram chose nothing while the chain was
built; when it picked a factor, a root of a quadratic or dropped a hypothesis as numerically implied,
the status is `holds_on_drawn_component` and the choices are listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from solvers.algebraic.chain import Role
from solvers.algebraic.conditions import VANISHES, describe_conditions
from solvers.algebraic.dimension import configuration_freedom
from solvers.algebraic.groebner import groebner_member
from solvers.algebraic.polys import AlgebraTimeout, AlgebraUnsupported, Deadline, Poly, relative_value
from solvers.algebraic.predicates import EQUATIONS, equations
from solvers.algebraic.rational import RationalChain
from solvers.algebraic.records import InconsistentDiagram
from solvers.algebraic.state import ChainState
from solvers.algebraic.translate import translate
from solvers.base import SolveStatus

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from tonggeo.config import AlgebraicSolverConfig
    from tonggeo.constructions import Catalogue
    from tonggeo.dsl.ast import Problem

# A goal as (text, predicate shown, arguments, polynomials).
Goal = tuple[str, str, tuple[str, ...], list[Poly]]


@dataclass(frozen=True, slots=True)
class AlgebraicOutcome:
    """What the algebraic prover concluded, in words and numbers (picklable, no polynomials)."""

    status: SolveStatus
    method: str = ""
    conditions: tuple[str, ...] = ()
    message: str = ""
    stats: tuple[tuple[str, int], ...] = field(default_factory=tuple)
    choices: tuple[str, ...] = ()


def _holds(
    state: ChainState,
    method: str,
    conditions: tuple[str, ...],
    how: str,
    stats: list[tuple[str, int]],
) -> AlgebraicOutcome:
    """The verdict that the goals hold: generically, or on the component the diagram drew."""
    choices = tuple(state.choices)
    if choices:
        status = SolveStatus.HOLDS_ON_DRAWN_COMPONENT
        message = f"holds on the drawn component ({how}; the diagram chose: {'; '.join(choices)})"
    else:
        status = SolveStatus.HOLDS_GENERICALLY
        message = f"holds generically ({how})"
    if any(c.endswith(f"{VANISHES})") for c in conditions):
        message += "; a non-degeneracy condition vanishes at the diagram: the drawn figure is not covered"
    return AlgebraicOutcome(status, method, conditions, message, tuple(stats), choices)


def goal_polynomials(state: ChainState, name: str, args: tuple[str, ...]) -> tuple[str, list[Poly]]:
    """The goal as polynomials, with the predicate's own meaning (`simtri`: same orientation, as the
    numeric checks read it; `simtri2`: opposite)."""
    return name, equations(state, name, args)


def prove(
    problem: Problem,
    points: Mapping[str, NDArray[np.float64]],
    catalogue: Catalogue,
    config: AlgebraicSolverConfig,
    deadline: Deadline,
    report: Callable[[AlgebraicOutcome], None] | None = None,
) -> AlgebraicOutcome:
    """Try to show that `problem`'s goals hold generically; `report` receives interim outcomes."""
    unsupported = [g.to_text() for g in problem.goals if g.name not in EQUATIONS]
    if unsupported:
        return AlgebraicOutcome(
            SolveStatus.UNPROVED, message=f"goal without polynomial form: {', '.join(unsupported)}"
        )
    if not problem.goals:
        return AlgebraicOutcome(SolveStatus.ERROR, message="the problem has no goal")
    try:
        state = translate(problem, points, catalogue, config, deadline)
    except InconsistentDiagram as exc:
        return AlgebraicOutcome(SolveStatus.ERROR, message=f"translation: {exc}")
    except AlgebraUnsupported as exc:
        return AlgebraicOutcome(SolveStatus.UNPROVED, message=f"not translatable: {exc}")
    stats = [("variables", len(state.variables)), ("chain", len(state.chain))]
    goals: list[Goal] = []
    for goal in problem.goals:
        shown, polys = goal_polynomials(state, goal.name, goal.args)
        text = " ".join((shown, *goal.args))
        for poly in polys:
            if config.refute_numerically and relative_value(poly, state.values) > config.refute_tolerance:
                message = f"goal '{text}' is false in the numeric diagram"
                return AlgebraicOutcome(SolveStatus.REFUTED, message=message, stats=tuple(stats))
        goals.append((text, shown, goal.args, polys))
    failed = _rational_failures(state, goals, config, deadline, stats)
    how = (
        "pseudo-remainders by the non-linear links of every goal's numerator are zero, the linear links "
        "solved as reduced fractions"
    )
    if failed:
        failed = _plain_failures(state, failed, config, deadline, stats)
        how = "every goal's pseudo-remainder is zero"
    conditions = _conditions(state)
    if not failed:
        shortfall = _missing_freedom(state)
        if shortfall:
            return AlgebraicOutcome(SolveStatus.ERROR, "wu", (), shortfall, tuple(stats))
        return _holds(state, "wu", conditions, f"Wu's method: {how}", stats)
    remainders = [(text, poly) for text, _, _, polys in failed for poly in polys]
    failed_text = ", ".join(sorted({text for text, *_ in failed}))
    interim = AlgebraicOutcome(
        SolveStatus.UNPROVED,
        "wu",
        (),
        f"not proved: Wu remainder of '{failed_text}' is not zero",
        tuple(stats),
    )
    if report is not None:
        report(interim)
    if not config.use_groebner:
        return interim
    dependent = sum(1 for v in state.variables if v.role == "dependent")
    if dependent > config.groebner_max_variables:
        return interim
    try:
        member = all(groebner_member(state, poly, deadline) for _, poly in remainders)
    except (AlgebraTimeout, AlgebraUnsupported) as exc:
        return AlgebraicOutcome(interim.status, "wu", (), f"{interim.message}; Groebner: {exc}", tuple(stats))
    if member:
        shortfall = _missing_freedom(state)
        if shortfall:
            return AlgebraicOutcome(SolveStatus.ERROR, "groebner", (), shortfall, tuple(stats))
        how = (
            "Groebner basis: the goal lies in the hypothesis ideal saturated by the non-degeneracy "
            "conditions, over the field of the free parameters"
        )
        return _holds(state, "groebner", conditions, how, stats)
    return AlgebraicOutcome(
        interim.status,
        "wu+groebner",
        (),
        f"{interim.message}; not in the Groebner ideal either",
        tuple(stats),
    )


def _rational_failures(
    state: ChainState,
    goals: list[Goal],
    config: AlgebraicSolverConfig,
    deadline: Deadline,
    stats: list[tuple[str, int]],
) -> list[Goal]:
    """The goals whose numerators do not reduce to zero with linear links solved as fractions."""
    try:
        chain = RationalChain(state, deadline)
    except (ZeroDivisionError, OverflowError):
        return goals
    failed = []
    largest = 0
    for goal in goals:
        _, shown, args, _ = goal
        try:
            remainders = chain.goal_remainders(shown, args, config.max_terms)
        except (ZeroDivisionError, OverflowError):
            failed.append(goal)
            continue
        largest = max([largest, *(len(r) for r in remainders)])
        if any(remainders):
            failed.append(goal)
    stats.append(("rational_remainder_terms", largest))
    return failed


def _plain_failures(
    state: ChainState,
    goals: list[Goal],
    config: AlgebraicSolverConfig,
    deadline: Deadline,
    stats: list[tuple[str, int]],
) -> list[Goal]:
    """The goals with a polynomial whose plain Wu remainder (pseudo-division by every link) is not zero."""
    failed = []
    largest = 0
    for goal in goals:
        for poly in goal[3]:
            try:
                remainder = state.chain.reduce(poly, deadline, config.max_terms)
            except OverflowError:
                failed.append(goal)
                stats.append(("overflow", 1))
                break
            largest = max(largest, len(remainder))
            if remainder:
                failed.append(goal)
                break
    stats.append(("remainder_terms", largest))
    return failed


def _missing_freedom(state: ChainState) -> str:
    """Why the chain cannot speak for the problem's configurations, or "" when it can: fewer free
    parameters than the configuration's degrees of freedom would mean it describes a special case."""
    names = list(state.coords)
    freedom = configuration_freedom(names, state.hypotheses, state.numeric, state.frame_fixed)
    freedom -= state.tangencies
    parameters = sum(1 for v in state.variables if v.role == Role.PARAMETER)
    if parameters >= freedom:
        return ""
    return (
        f"internal check failed: the triangular set has {parameters} free parameters but the "
        f"configuration has {freedom} degrees of freedom; no claim is made"
    )


def _conditions(state: ChainState) -> tuple[str, ...]:
    try:
        return describe_conditions(state)
    except AlgebraTimeout:
        return tuple(c.text for c in state.conditions)
