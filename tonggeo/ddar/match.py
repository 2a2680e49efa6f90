"""The one generic rule matcher: a rule is compiled into a plan (which literal binds which variables,
which are only checked), and the plan is run against the database.

Plans start either from the rule's conclusion (each numerically true fact the database does not know
yet, `candidates.py`) or, for conclusions with too many numeric instances (eqangle, eqratio...), from
the premise whose known instances are fewest.  Every premise is checked numerically before it is
looked up, variables bind to distinct points, and side conditions are decided on the diagram.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from tonggeo.ddar.candidates import CANDIDATES
from tonggeo.ddar.database import Database
from tonggeo.ddar.numeric import numeric_holds
from tonggeo.ddar.relations import KNOWN
from tonggeo.ddar.rules.model import CONDITION_PREDICATES, ORIENTED_CONCLUSIONS, Literal, Rule
from tonggeo.facts import parse_angle, parse_ratio

# Kinds preferred as the first generator of a forward plan (fewest known instances first).
_FIRST_CHOICE = ("simtri", "simtri2", "contri", "contri2", "midp", "cyclic", "perp", "coll", "para",
                 "circle", "cong")


class Deadline(Exception):
    """The time budget ran out in the middle of matching."""


@dataclass(frozen=True, slots=True)
class Step:
    """One plan step: `mode` is 'candidates', 'known', 'check', 'condition' or 'scan'."""

    mode: str
    literal: Literal
    slots: tuple[int, ...]
    var: int = -1


@dataclass(frozen=True, slots=True)
class Plan:
    rule: Rule
    steps: tuple[Step, ...]
    variables: tuple[str, ...]
    conclusion_first: bool


def literal_value(lit: Literal) -> Fraction | None:
    if lit.value is None:
        return None
    return parse_angle(lit.value) if lit.name == "aconst" else parse_ratio(lit.value)


def compile_rule(rule: Rule, conclusion_first: bool | None = None) -> Plan:
    """The plan of `rule`; conclusion-first when possible unless told otherwise."""
    variables = rule.variables
    slot = {v: i for i, v in enumerate(variables)}
    can_start_from_conclusion = len(rule.conclusions) == 1 and rule.conclusions[0].name in CANDIDATES
    if conclusion_first is None:
        conclusion_first = can_start_from_conclusion
    elif conclusion_first and not can_start_from_conclusion:
        raise ValueError(f"{rule.id}: its conclusion cannot start a plan")
    steps: list[Step] = []
    bound: set[str] = set()
    if conclusion_first:
        lit = rule.conclusions[0]
        steps.append(Step("candidates", lit, tuple(slot[a] for a in lit.args)))
        bound.update(lit.args)
    pending = list(rule.premises) + list(rule.conditions)
    while pending:
        ready = [lit for lit in pending if set(lit.args) <= bound]
        if ready:
            ready.sort(key=lambda lit: lit.name not in CONDITION_PREDICATES)
            for lit in ready:
                mode = "condition" if lit.name in CONDITION_PREDICATES else "check"
                steps.append(Step(mode, lit, tuple(slot[a] for a in lit.args)))
                pending.remove(lit)
            continue
        generators = [lit for lit in pending if lit.name in KNOWN]
        if generators:
            lit = max(generators, key=lambda x: _generator_score(x, bound))
            steps.append(Step("known", lit, tuple(slot[a] for a in lit.args)))
            bound.update(lit.args)
            pending.remove(lit)
            continue
        open_lits = [lit for lit in pending if lit.name not in CONDITION_PREDICATES] or pending
        lit = min(open_lits, key=lambda x: len(set(x.args) - bound))
        var = next(a for a in lit.args if a not in bound)
        steps.append(Step("scan", lit, (), slot[var]))
        bound.add(var)
    return Plan(rule, tuple(steps), variables, conclusion_first)


def _generator_score(lit: Literal, bound: set[str]) -> tuple[int, int, int]:
    n_bound = sum(1 for a in lit.args if a in bound)
    unbound = len(set(lit.args) - bound)
    rank = len(_FIRST_CHOICE) - _FIRST_CHOICE.index(lit.name) if lit.name in _FIRST_CHOICE else 0
    return (1 if n_bound else 0, -unbound if n_bound else rank, n_bound)


def premise_holds(db: Database, lit: Literal, pts: Sequence[int]) -> bool:
    """Numerically true first, then known to the database."""
    kind = lit.name
    value = literal_value(lit)
    if not numeric_holds(db.numeric, kind, pts, value):
        return False
    match kind:
        case "coll":
            return db.coll(pts)
        case "cyclic":
            return db.cyclic(pts)
        case "para":
            return db.para(*pts)
        case "perp":
            return db.perp(*pts)
        case "cong":
            return db.cong(*pts)
        case "midp":
            return db.midp(*pts)
        case "circle":
            return db.circle(*pts)
    return db.holds(db.fact(kind, pts, value))


Fire = Callable[[Plan, list[int]], None]


def run_plan(plan: Plan, db: Database, fire: Fire, deadline: float | None = None) -> None:
    """Call `fire(plan, binding)` for every assignment of the rule's variables that passes the plan."""
    steps = plan.steps
    nsteps = len(steps)
    binding = [-1] * len(plan.variables)
    used: set[int] = set()
    numeric = db.numeric
    counter = [0]

    def unify(slots: tuple[int, ...], values: Iterable[int]) -> list[int] | None:
        newly: list[int] = []
        for s, p in zip(slots, values, strict=True):
            b = binding[s]
            if b < 0:
                if p in used:
                    break
                binding[s] = p
                used.add(p)
                newly.append(s)
            elif b != p:
                break
        else:
            return newly
        for s in newly:
            used.discard(binding[s])
            binding[s] = -1
        return None

    def undo(newly: list[int]) -> None:
        for s in newly:
            used.discard(binding[s])
            binding[s] = -1

    def rec(i: int) -> None:
        counter[0] += 1
        if deadline is not None and counter[0] % 512 == 0 and time.monotonic() > deadline:
            raise Deadline
        if i == nsteps:
            fire(plan, binding)
            return
        step = steps[i]
        mode = step.mode
        if mode == "check":
            if premise_holds(db, step.literal, [binding[s] for s in step.slots]):
                rec(i + 1)
        elif mode == "condition":
            if numeric_holds(numeric, step.literal.name, [binding[s] for s in step.slots]):
                rec(i + 1)
        elif mode == "scan":
            var = step.var
            for p in range(db.n):
                if p in used:
                    continue
                binding[var] = p
                used.add(p)
                rec(i + 1)
                used.discard(p)
                binding[var] = -1
        else:
            name = step.literal.name
            source: Iterable[tuple[int, ...]]
            if mode == "candidates":
                source = CANDIDATES[name](db)
            else:
                source = KNOWN[name](db, [binding[s] for s in step.slots])
            for values in source:
                newly = unify(step.slots, values)
                if newly is None:
                    continue
                rec(i + 1)
                undo(newly)

    rec(0)


def conclusion_kind(db: Database, lit: Literal, pts: Sequence[int]) -> str:
    """The fact kind of a conclusion; `simtri*`/`contri*` take the diagram's orientation."""
    oriented = ORIENTED_CONCLUSIONS.get(lit.name)
    if oriented is None:
        return lit.name
    same = db.numeric.orientation(pts[0], pts[1], pts[2]) == db.numeric.orientation(pts[3], pts[4], pts[5])
    return oriented[0] if same else oriented[1]
