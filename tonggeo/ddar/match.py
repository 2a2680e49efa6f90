"""The one generic rule matcher: a rule is compiled into a plan (which literal binds which variables,
which are only checked), and the plan is run against the database.

Plans start either from the rule's conclusion (each numerically true fact the database does not know
yet, `candidates.py`) or, for conclusions with too many numeric instances (eqangle, eqratio...), from
the premise whose known instances are fewest.  Every premise is checked numerically before it is
looked up, no literal may degenerate (repeated points in a pair, set or triangle; distinct variables may
name one point), and side conditions are decided on the diagram.
"""

from __future__ import annotations

import operator
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from tonggeo.ddar.candidates import CANDIDATES, DELTA_CANDIDATES, DeltaGenerator
from tonggeo.ddar.database import Database
from tonggeo.ddar.numeric import NUMERIC_CHECKS, NumericModel, numeric_holds
from tonggeo.ddar.prefix import survivors as prefix_survivors
from tonggeo.ddar.relations import RECORD_KINDS, Enumerator, enumerator_for, fill, records_since
from tonggeo.facts import parse_angle, parse_ratio
from tonggeo.rules.model import CONDITION_PREDICATES, ORIENTED_CONCLUSIONS, Literal, Rule

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
    enumerate: Enumerator | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    rule: Rule
    steps: tuple[Step, ...]
    variables: tuple[str, ...]
    conclusion_first: bool
    prefix: int = 0
    records_only: bool = False
    """One premise of a records-only kind, enumerated from its records, nothing else to check: a run
    may be restricted to the records added since a complete run (`run_plan(since=...)`)."""
    """How many side conditions follow a first step that enumerates the points of known lines or
    circles: their survivors on one class depend only on its points and the diagram, so they are kept
    per class (`run_plan`) instead of being recomputed every round."""


_CLASS_ENUMERATORS = ("known_coll", "known_cyclic")


@cache
def rule_key(rule: Rule) -> int:
    """A number for `rule` that is the same in every process (it keys the matches a database has
    fired, which travel with pickled states): a checksum of the rule's whole text, so two rules that
    share an id but not their premises never share fired matches."""
    return zlib.crc32(repr(rule).encode())


@cache
def literal_value(lit: Literal) -> Fraction | None:
    if lit.value is None:
        return None
    return parse_angle(lit.value) if lit.name == "aconst" else parse_ratio(lit.value)


def compile_rule(rule: Rule, conclusion_first: bool | None = None, *, algebra: bool = True) -> Plan:
    """The plan of `rule`; conclusion-first when possible unless told otherwise.  `algebra` says whether
    the tables are on (it decides which premises can be enumerated)."""
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
        generators = [lit for lit in pending if enumerator_for(lit.name, lit.args, algebra) is not None]
        if generators:
            lit = max(generators, key=lambda x: _generator_score(x, bound))
            source = enumerator_for(lit.name, lit.args, algebra)
            steps.append(Step("known", lit, tuple(slot[a] for a in lit.args), enumerate=source))
            bound.update(lit.args)
            pending.remove(lit)
            continue
        open_lits = [lit for lit in pending if lit.name not in CONDITION_PREDICATES] or pending
        lit = min(open_lits, key=lambda x: len(set(x.args) - bound))
        var = next(a for a in lit.args if a not in bound)
        steps.append(Step("scan", lit, (), slot[var]))
        bound.add(var)
    prefix = 0
    first = steps[0].enumerate if steps and steps[0].mode == "known" else None
    if first is not None and getattr(first, "__name__", "") in _CLASS_ENUMERATORS:
        while 1 + prefix < len(steps) and steps[1 + prefix].mode == "condition":
            prefix += 1
    records_only = (not conclusion_first and len(steps) == 1 and steps[0].mode == "known"
                    and len(rule.premises) == 1 and rule.premises[0].name in RECORD_KINDS)
    return Plan(rule, tuple(steps), variables, conclusion_first, prefix, records_only)


def _generator_score(lit: Literal, bound: set[str]) -> tuple[int, int, int]:
    n_bound = sum(1 for a in lit.args if a in bound)
    unbound = len(set(lit.args) - bound)
    rank = len(_FIRST_CHOICE) - _FIRST_CHOICE.index(lit.name) if lit.name in _FIRST_CHOICE else 0
    return (1 if n_bound else 0, -unbound if n_bound else rank, n_bound)


_SETS = frozenset({"midp", "circle", "ncoll"})
_AT_LEAST = {"coll": 3, "cyclic": 4}
_PAIRS = frozenset({"para", "perp", "cong", "eqangle", "eqratio", "aconst", "rconst", "npara", "nperp"})
_TRIANGLES = frozenset({"simtri", "simtri2", "contri", "contri2", "simtri*", "contri*", "sameclock"})


def well_formed(kind: str, pts: Sequence[int]) -> bool:
    """Whether the points make a non-degenerate instance: enough distinct points on a line or circle,
    distinct points in each pair and each triangle.  Different rule variables may name one point, but no
    literal may degenerate."""
    if kind in _AT_LEAST:
        return len(set(pts)) >= _AT_LEAST[kind]
    if kind in _SETS:
        return len(set(pts)) == len(pts)
    if kind in _PAIRS:
        return all(pts[i] != pts[i + 1] for i in range(0, len(pts), 2))
    if kind in _TRIANGLES:
        return len(set(pts[:3])) == 3 and len(set(pts[3:])) == 3
    return True


def premise_holds(db: Database, lit: Literal, pts: Sequence[int]) -> bool:
    """Well formed, numerically true, then known to the database."""
    return premise_test(lit)(db, pts)


Test = Callable[[Database, Sequence[int]], bool]


def _distinct(idx: Sequence[int]) -> Callable[[Sequence[int]], bool]:
    """Whether the points at positions `idx` are pairwise distinct (spelled out for 2 and 3 positions)."""
    if len(idx) == 2:
        i, j = idx
        return lambda pts: pts[i] != pts[j]
    if len(idx) == 3:
        i, j, k = idx
        return lambda pts: pts[i] != pts[j] and pts[i] != pts[k] and pts[j] != pts[k]
    return lambda pts: len({pts[i] for i in idx}) == len(idx)


def _shape(kind: str, arity: int | None = None) -> Callable[[Sequence[int]], bool]:
    """`well_formed` for one kind, as a function of the points only (spelled out when the literal's
    `arity` is known and small)."""
    if kind in _AT_LEAST:
        least = _AT_LEAST[kind]
        if arity == least:
            return _distinct(range(least)) if least <= 3 else lambda pts: len(set(pts)) == least
        return lambda pts: len(set(pts)) >= least
    if kind in _SETS:
        if arity == 3:
            return _distinct((0, 1, 2))
        return lambda pts: len(set(pts)) == len(pts)
    if kind in _PAIRS:
        if arity == 4:
            return lambda pts: pts[0] != pts[1] and pts[2] != pts[3]
        if arity == 8:
            return lambda pts: pts[0] != pts[1] and pts[2] != pts[3] and pts[4] != pts[5] and pts[6] != pts[7]
        return lambda pts: all(pts[i] != pts[i + 1] for i in range(0, len(pts), 2))
    if kind in _TRIANGLES:
        if arity == 6:
            first, second = _distinct((0, 1, 2)), _distinct((3, 4, 5))
            return lambda pts: first(pts) and second(pts)
        return lambda pts: len(set(pts[:3])) == 3 and len(set(pts[3:])) == 3
    return lambda pts: True


def _numeric(kind: str, value: Fraction | None) -> Callable[[NumericModel, Sequence[int]], bool]:
    """`numeric_holds` for one kind and constant."""
    check = NUMERIC_CHECKS.get(kind) if value is None else None
    if check is not None:
        return check
    return lambda model, pts: numeric_holds(model, kind, pts, value)


def known_test(kind: str, value: Fraction | None) -> Test:
    """Whether the database knows the instance on these points (the classes, the tables, the records)."""
    match kind:
        case "coll":
            return lambda db, p: db.coll(p)
        case "cyclic":
            return lambda db, p: db.cyclic(p)
        case "para":
            return lambda db, p: db.para(p[0], p[1], p[2], p[3])
        case "perp":
            return lambda db, p: db.perp(p[0], p[1], p[2], p[3])
        case "cong":
            return lambda db, p: db.cong(p[0], p[1], p[2], p[3])
        case "midp":
            return lambda db, p: db.midp(p[0], p[1], p[2])
        case "circle":
            return lambda db, p: db.circle(p[0], p[1], p[2], p[3])
        case "eqangle":
            return lambda db, p: (db.linear.eqangle_holds(p) if db.linear is not None
                                  else db.holds(db.fact(kind, p, value)))
        case "eqratio":
            return lambda db, p: (db.linear.eqratio_holds(p) if db.linear is not None
                                  else db.holds(db.fact(kind, p, value)))
    return lambda db, p: db.holds(db.fact(kind, p, value))


_PREMISE_TESTS: dict[Literal, Test] = {}
_CONDITION_TESTS: dict[Literal, Callable[[NumericModel, Sequence[int]], bool]] = {}


def premise_test(lit: Literal) -> Test:
    """`premise_holds` for one literal, compiled once: well formed, numerically true, known."""
    test = _PREMISE_TESTS.get(lit)
    if test is None:
        shape, value = _shape(lit.name, len(lit.args)), literal_value(lit)
        numeric, known = _numeric(lit.name, value), known_test(lit.name, value)

        def test(db: Database, pts: Sequence[int]) -> bool:
            return shape(pts) and numeric(db.numeric, pts) and known(db, pts)

        _PREMISE_TESTS[lit] = test
    return test


def condition_test(lit: Literal) -> Callable[[NumericModel, Sequence[int]], bool]:
    """A side condition, compiled once: well formed and true in the diagram."""
    test = _CONDITION_TESTS.get(lit)
    if test is None:
        shape, numeric = _shape(lit.name, len(lit.args)), _numeric(lit.name, None)

        def test(model: NumericModel, pts: Sequence[int]) -> bool:
            return shape(pts) and numeric(model, pts)

        _CONDITION_TESTS[lit] = test
    return test


Fire = Callable[[Plan, list[int]], None]


def run_plan(plan: Plan, db: Database, fire: Fire, deadline: float | None = None, since: int = 0,
             old: list[int] | None = None) -> None:
    """Call `fire(plan, binding)` for every assignment of the rule's variables that passes the plan; a
    records-only plan (`Plan.records_only`) given `since` reads only the records numbered `since` on.
    Given `old` (a child's delta matching, `tonggeo.ddar.watch`), an assignment of points all below
    `old[0]` is dropped as soon as every variable is bound (`old[0]` is read each time: 0 drops none).

    Each step becomes a closure that runs the next one for each extension it allows (built from the last
    step back); which variables a step binds and which it compares is known from the plan's order."""
    steps = plan.steps
    if since and plan.records_only:
        first = steps[0]
        steps = (Step(first.mode, first.literal, first.slots, first.var,
                      records_since(first.literal.name, since)), *steps[1:])
    binding = [-1] * len(plan.variables)
    numeric = db.numeric
    counter = [0]

    def unify(slots: tuple[int, ...], values: Iterable[int]) -> list[int] | None:
        newly: list[int] = []
        for s, p in zip(slots, values, strict=True):
            b = binding[s]
            if b < 0:
                binding[s] = p
                newly.append(s)
            elif b != p:
                break
        else:
            return newly
        for s in newly:
            binding[s] = -1
        return None

    def undo(newly: list[int]) -> None:
        for s in newly:
            binding[s] = -1

    def tick() -> None:
        counter[0] += 1
        if deadline is not None and counter[0] % 512 == 0 and time.monotonic() > deadline:
            raise Deadline

    def final() -> None:
        tick()
        fire(plan, binding)

    layout = _layout(plan)
    stages: list[Callable[[], None]] = [final]
    complete = _complete(plan) if old is not None else len(steps) + 1
    # a first step that binds every variable can leave out old points itself (a whole class, a triangle pair)
    skip = old if complete == 1 else None
    for i in range(len(steps) - 1, -1, -1):
        nxt = _guard(stages[-1], binding, old) if i + 1 == complete else stages[-1]
        # the enumerator from `steps`: a records-only run reads only its own records
        generate = DELTA_CANDIDATES.get(steps[i].literal.name) if i == 0 and skip is not None else None
        use = generate is not None and skip is not None and layout[i].mode == "candidates"
        delta = (generate, skip) if use and generate is not None and skip is not None else None
        stages.append(_stage(layout[i], steps[i].enumerate, nxt, db, binding, numeric, tick, delta))
    stages.reverse()

    def rec(i: int) -> None:
        if i >= complete and max(binding) < old[0]:  # type: ignore[index]
            return
        stages[i]()

    if plan.prefix:
        _run_prefix(plan, db, binding, unify, undo, [lay.test for lay in layout], rec, deadline, skip)
    else:
        rec(0)


def _complete(plan: Plan) -> int:
    """The number of leading steps after which every variable is bound."""
    bound: set[int] = set()
    for i, step in enumerate(plan.steps):
        bound.update(step.slots)
        if step.mode == "scan":
            bound.add(step.var)
        if len(bound) == len(plan.variables):
            return i + 1
    return len(plan.steps)


def _guard(nxt: Callable[[], None], binding: list[int], old: list[int] | None) -> Callable[[], None]:
    """Run `nxt` unless every bound point is below `old[0]` (see `run_plan`)."""
    assert old is not None

    def guard() -> None:
        if max(binding) >= old[0]:
            nxt()

    return guard


@dataclass(frozen=True, slots=True)
class _Layout:
    """What one plan step needs at run time, read off the plan once: its test (a premise check or a side
    condition), and for an enumerating step which slots it binds (`assign`, first occurrences of slots
    no earlier step bound) and which it compares (`compare`)."""

    mode: str
    kind: str
    slots: tuple[int, ...]
    var: int
    test: Callable[..., bool]
    assign: tuple[tuple[int, int], ...]
    compare: tuple[tuple[int, int], ...]
    generate: Callable[[Database], Iterable[tuple[int, ...]]] | None


_LAYOUTS: dict[int, tuple[Plan, tuple[_Layout, ...]]] = {}


def _layout(plan: Plan) -> tuple[_Layout, ...]:
    found = _LAYOUTS.get(id(plan))
    if found is not None and found[0] is plan:
        return found[1]
    out = []
    bound: set[int] = set()
    for step in plan.steps:
        assign: list[tuple[int, int]] = []
        compare: list[tuple[int, int]] = []
        seen = set(bound)
        for j, s in enumerate(step.slots):
            (compare if s in seen else assign).append((j, s))
            seen.add(s)
        test = premise_test(step.literal) if step.mode == "check" else condition_test(step.literal)
        generate = CANDIDATES[step.literal.name] if step.mode == "candidates" else None
        out.append(_Layout(step.mode, step.literal.name, step.slots, step.var, test, tuple(assign),
                           tuple(compare), generate))
        bound.update(step.slots)
        if step.mode == "scan":
            bound.add(step.var)
    layout = tuple(out)
    _LAYOUTS[id(plan)] = (plan, layout)
    return layout


def _stage(
    lay: _Layout,
    known: Enumerator | None,
    nxt: Callable[[], None],
    db: Database,
    binding: list[int],
    numeric: NumericModel,
    tick: Callable[[], None],
    delta: tuple[DeltaGenerator, list[int]] | None = None,
) -> Callable[[], None]:
    """The closure running one plan step (then `nxt`) on the shared `binding`; `known` is the step's
    enumerator as this run reads it; `delta` a candidates generator leaving out old points, with `old`."""
    slots = lay.slots
    mode = lay.mode
    test = lay.test
    # the step's points as a tuple, read off the binding at C speed
    pick: Callable[[list[int]], Sequence[int]] = (
        operator.itemgetter(*slots) if len(slots) > 1 else lambda b: (b[slots[0]],)
    )
    if mode == "check":

        def check() -> None:
            if test(db, pick(binding)):
                nxt()

        return check
    if mode == "condition":
        if lay.kind == "ncoll" and len(slots) == 3:  # the commonest condition, spelled out
            s0, s1, s2 = slots
            answers = numeric.coll_cache
            coll = numeric.coll

            def not_collinear() -> None:
                a, b, c = binding[s0], binding[s1], binding[s2]
                if a != b and a != c and b != c:
                    found = answers.get((a, b, c))
                    if found is None:
                        found = coll((a, b, c))
                    if not found:
                        nxt()

            return not_collinear

        def condition() -> None:
            if test(numeric, pick(binding)):
                nxt()

        return condition
    if mode == "scan":
        var = lay.var

        def scan() -> None:
            for p in range(db.n):
                tick()
                binding[var] = p
                nxt()
            binding[var] = -1

        return scan
    # candidates / known: bind the literal's new slots (first occurrence), compare the others
    assign, compare = lay.assign, lay.compare
    fresh = tuple(s for _, s in assign)
    generate = lay.generate
    assert generate is not None or known is not None

    def enumerate_step() -> None:
        source: Iterable[tuple[int, ...]]
        if delta is not None:
            source = delta[0](db, delta[1])
        elif generate is not None:
            source = generate(db)
        else:
            assert known is not None
            source = known(db, [binding[s] for s in slots])
        for values in source:
            tick()
            for j, s in assign:
                binding[s] = values[j]
            for j, s in compare:
                if binding[s] != values[j]:
                    break
            else:
                nxt()
        for s in fresh:
            binding[s] = -1

    return enumerate_step


def _run_prefix(
    plan: Plan,
    db: Database,
    binding: list[int],
    unify: Callable[[tuple[int, ...], Iterable[int]], list[int] | None],
    undo: Callable[[list[int]], None],
    conditions: list[Callable[[NumericModel, Sequence[int]], bool]],
    rec: Callable[[int], None],
    deadline: float | None,
    skip: list[int] | None = None,
) -> None:
    """Run a plan whose first step enumerates the points of each known line (circle) and whose next
    `plan.prefix` steps are side conditions: the tuples of one class that pass the conditions are
    computed once per class and diagram (`NumericModel.match_cache`), then the rest of the plan runs on
    them.  The same matches as `rec(0)`: the conditions read only the diagram.  Given `skip` (the first
    step binds every variable, `run_plan(old=...)`), classes of points all below `skip[0]` are left out."""
    numeric = db.numeric
    first = plan.steps[0]
    cyclic = first.enumerate is not None and first.enumerate.__name__ == "known_cyclic"
    sets = db.circles if cyclic else db.lines
    cache = numeric.match_cache
    head = plan.steps[1 : 1 + plan.prefix]
    tests = [(step.literal.name, step.slots, conditions[1 + j]) for j, step in enumerate(head)]
    memo: dict[Sequence[int], bool] | None = None
    stable = _stable_check(plan)
    if stable is not None:
        memo = {}
        check = premise_test(stable.literal)
        pick = operator.itemgetter(*(first.slots.index(s) for s in stable.slots))
    for sid in list(sets.classes()):
        pts = tuple(sorted(sets.points(sid)))
        if skip is not None and pts[-1] < skip[0]:
            continue
        key = (rule_key(plan.rule), pts)
        survivors = cache.get(key)
        if survivors is None:
            survivors = prefix_survivors(numeric, pts, first.slots, tests)
            if survivors is not None:
                cache[key] = survivors
        if survivors is None:
            survivors = []
            for count, values in enumerate(fill([-1] * len(first.slots), pts)):
                if deadline is not None and count % 512 == 511 and time.monotonic() > deadline:
                    raise Deadline
                newly = unify(first.slots, values)
                if newly is None:
                    continue
                if all(conditions[1 + j](numeric, [binding[s] for s in step.slots])
                       for j, step in enumerate(head)):
                    survivors.append(values)
                undo(newly)
            cache[key] = survivors
        for count, values in enumerate(survivors):
            if memo is not None:
                # the step after the conditions is a check this plan's conclusions cannot change: its
                # answer per point tuple is asked once (most tuples fail it: equal chords are rare)
                if deadline is not None and count % 512 == 511 and time.monotonic() > deadline:
                    raise Deadline
                pts_of_check = pick(values)
                ok = memo.get(pts_of_check)
                if ok is None:
                    ok = memo[pts_of_check] = check(db, pts_of_check)
                if not ok:
                    continue
            newly = unify(first.slots, values)
            if newly is None:
                continue
            rec(1 + plan.prefix)
            undo(newly)


_ANGLE_SIDE = frozenset({"eqangle", "para", "perp", "aconst"})
"""Conclusions that change only directions and the angle table (`Database._index`, `LinearStore.feed`)."""


def _stable_check_of(plan: Plan) -> Step | None:
    step = plan.steps[1 + plan.prefix] if len(plan.steps) > 1 + plan.prefix else None
    if step is None or step.mode != "check" or step.literal.name != "cong":
        return None
    if not set(step.slots) <= set(plan.steps[0].slots) or len(step.slots) < 2:
        return None
    # a cong answer reads the lengths and the ratio table, which angle-side conclusions never change
    if not all(lit.name in _ANGLE_SIDE for lit in plan.rule.conclusions):
        return None
    return step


_STABLE: dict[int, tuple[Plan, Step | None]] = {}


def _stable_check(plan: Plan) -> Step | None:
    """The check right after a prefix plan's conditions, if no conclusion of the plan can change its
    answers during a run (then `_run_prefix` asks it once per point tuple); found once per plan."""
    found = _STABLE.get(id(plan))
    if found is None or found[0] is not plan:
        found = _STABLE[id(plan)] = (plan, _stable_check_of(plan))
    return found[1]


def conclusion_kind(db: Database, lit: Literal, pts: Sequence[int]) -> str:
    """The fact kind of a conclusion; `simtri*`/`contri*` take the diagram's orientation."""
    oriented = ORIENTED_CONCLUSIONS.get(lit.name)
    if oriented is None:
        return lit.name
    same = db.numeric.orientation(pts[0], pts[1], pts[2]) == db.numeric.orientation(pts[3], pts[4], pts[5])
    return oriented[0] if same else oriented[1]
