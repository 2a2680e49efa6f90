"""Saturation: alternate rule matching and algebraic read-back until nothing new is found, the goals are
known, or the time budget ends.

A plan whose inputs did not change since it last ran in full is not run again: its matches are the
ones it already fired.  Its inputs are the fact kinds its premises (and, for a conclusion-first plan, its
conclusion) are read from (`_reads`), and the tables those kinds are decided by; records only grow, so
"unchanged" means no record of those kinds and no change of those tables since the run began.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar import writer
from tonggeo.ddar.candidates import perp_pair_candidates
from tonggeo.ddar.database import Database
from tonggeo.ddar.match import (
    Deadline,
    Plan,
    compile_rule,
    conclusion_kind,
    known_test,
    literal_value,
    rule_key,
    run_plan,
)
from tonggeo.ddar.menelaus import feed_menelaus
from tonggeo.ddar.numeric import numeric_holds
from tonggeo.ddar.rules import Literal, Rule
from tonggeo.ddar.rules.algebraic import algebraic_domain
from tonggeo.ddar.support import support
from tonggeo.facts import Fact, FactError, make_fact
from tonggeo.facts.justification import RuleStep


@dataclass(slots=True)
class SaturationStats:
    """What a saturation did: rounds, facts by source, time per phase, why it stopped."""

    rounds: int = 0
    rule_facts: int = 0
    algebra_facts: int = 0
    rule_seconds: float = 0.0
    algebra_seconds: float = 0.0
    stopped: str = ""
    unsupported: int = 0
    fired: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    """plan runs left out because nothing they read had changed"""


_ANGLE = frozenset({"coll", "para", "perp", "eqangle", "aconst", "aequation"})
_RATIO = frozenset({"coll", "cong", "eqratio", "rconst", "r2const", "lconst", "l2const"})
_SQUARED = _RATIO | {"para", "perp", "midp", "lequation"}


@cache
def _reads(kind: str) -> tuple[frozenset[str], tuple[bool, bool, bool]]:
    """The record kinds whose arrival can change which instances of `kind` the database knows (through
    its classes, its enumerators and its tables), and which tables (angle, ratio, squared) decide it."""
    if kind in ("coll", "cyclic"):
        return frozenset({kind}), (False, False, False)
    if kind in _ANGLE:
        return _ANGLE, (True, False, False)
    if kind in ("cong", "eqratio", "rconst"):
        return _RATIO, (False, True, False)
    if kind in ("midp", "circle"):
        return _RATIO | {kind}, (False, True, False)
    if kind in _SQUARED:
        return _SQUARED, (False, True, True)
    return frozenset({kind}), (False, False, False)  # known only as records (simtri, contri...)


_CLASS_KNOWN = {kind: known_test(kind, None)
                for kind in ("coll", "cyclic", "para", "perp", "cong", "midp", "circle")}
"""Kinds that `Database.holds` decides on the classes alone (symmetric in the fact's canonical order)."""


_LENGTHS = frozenset({"rconst", "r2const", "lconst", "l2const"})
"""Ratio kinds the squared-length table also takes, from records only."""


def _squared_gap(db: Database, fact: Fact) -> bool:
    """A length fact `db.holds` (through the ratio table) that has no record and that the squared-length
    table does not imply: it is recorded anyway, so Pythagoras and Apollonius can use it.  Without
    this, a saturation from scratch could miss what the same clauses saturated in two stages find (the
    rule fires after, not before, the ratio table learns the fact)."""
    if fact.kind not in _LENGTHS or fact in db.by_fact or db.linear is None:
        return False
    return not db.linear.squared_implied([fact])[0]


def plan_reads(plan: Plan) -> tuple[frozenset[str], tuple[bool, bool, bool]]:
    """What a plan's matches depend on: the union of `_reads` over its premises (and its conclusion
    when it starts from the conclusion's candidates).  Side conditions are decided on the diagram."""
    literals = [*plan.rule.premises, *(plan.rule.conclusions if plan.conclusion_first else ())]
    kinds: set[str] = set()
    tables = [False, False, False]
    for lit in literals:
        more, uses = _reads(lit.name)
        kinds |= more
        tables = [a or b for a, b in zip(tables, uses, strict=True)]
    return frozenset(kinds), (tables[0], tables[1], tables[2])


def plans_for(rules: Sequence[Rule], config: DdarConfig = DEFAULT_DDAR) -> list[Plan]:
    """The plans saturation runs: all rules, less those the tables subsume when algebra is on (compiled
    once per process for each rule set and setting: plans are immutable)."""
    return list(_plans(tuple(rules), config.use_algebra, config.skip_algebraic_rules))


@cache
def _plans(rules: tuple[Rule, ...], algebra: bool, skip_algebraic: bool) -> tuple[Plan, ...]:
    chosen = [r for r in rules if not (algebra and skip_algebraic and algebraic_domain(r) is not None)]
    return tuple(compile_rule(r, algebra=algebra) for r in chosen)


class Saturator:
    """Runs rule plans and the algebraic read-back over one database."""

    def __init__(self, db: Database, plans: Sequence[Plan], config: DdarConfig = DEFAULT_DDAR) -> None:
        self.db = db
        self.plans = list(plans)
        self.config = config
        self.stats = SaturationStats()
        self._reads = [plan_reads(plan) for plan in self.plans]
        self._marks: dict[int, tuple[int, tuple[int, int, int], int]] = {}
        """plan index -> (records, table generations, points) when its last complete run began"""
        self._last: dict[str, int] = {}
        """fact kind -> index of its latest record (scanned up to `_scanned`)"""
        self._scanned = 0
        self._keys = {id(plan): rule_key(plan.rule) for plan in self.plans}
        self._literals = {id(plan): _literals(plan) for plan in self.plans}
        """plan -> its conclusions and premises as (literal, slots of its points, constant)"""
        self._false: set[tuple[int, ...]] = set()
        """matches fired in this run with a conclusion false in the diagram (see `fire`)"""
        self.key = zlib.crc32(repr((tuple(self._keys[id(plan)] for plan in self.plans), config)).encode())
        """the rule set and setting, the same in every process (`Database.fixpoint`)"""

    def _generations(self) -> tuple[int, int, int]:
        linear = self.db.linear
        return (0, 0, 0) if linear is None else linear.generations()

    def _unchanged(self, k: int) -> bool:
        """Whether plan `k` ran in full and nothing it reads has changed since that run began."""
        mark = self._marks.get(k)
        db = self.db
        if mark is None or mark[2] != db.n or not self.config.use_algebra:
            return False
        records = db.records
        for i in range(self._scanned, len(records)):
            self._last[records[i].fact.kind] = i
        self._scanned = len(records)
        kinds, tables = self._reads[k]
        since = mark[0]
        if any(self._last.get(kind, -1) >= since for kind in kinds):
            return False
        now = self._generations()
        return not any(uses and now[t] != mark[1][t] for t, uses in enumerate(tables))

    def fire(self, plan: Plan, binding: list[int]) -> None:
        db = self.db
        key = (self._keys.get(id(plan)) or rule_key(plan.rule), *binding)
        if key in db.fired or key in self._false:
            return
        rule = plan.rule
        names = db.names
        conclusions, premises = self._literals.get(id(plan)) or _literals(plan)
        new: list[Fact] = []
        false = False
        squared = self.config.squared_lengths
        for lit, slots, value in conclusions:
            pts = [binding[i] for i in slots]
            kind = conclusion_kind(db, lit, pts)
            if not numeric_holds(db.numeric, kind, pts, value):
                false = True
                continue
            known = _CLASS_KNOWN.get(kind)
            if known is not None and known(db, pts):  # what db.holds(fact) would say, without the fact
                continue
            try:
                fact = db.fact(kind, pts, value)
            except FactError:
                continue
            if fact not in new and (not db.holds(fact) or (squared and _squared_gap(db, fact))):
                new.append(fact)
        if not new:
            # a conclusion false in this diagram is remembered by this run only: a fork's diagram (more
            # points, another scale) may judge it again
            (self._false if false else db.fired).add(key)
            return
        premise_ids = []
        for lit, slots, value in premises:
            fact = db.fact(lit.name, [binding[i] for i in slots], value)
            pid = support(db, fact)
            if pid is None:  # known to the classes but not justifiable (rules-only mode): skip the match
                self.stats.unsupported += 1
                return
            premise_ids.append(pid)
        assignment = tuple((v, names[binding[i]]) for i, v in enumerate(plan.variables))
        step = RuleStep(rule.id, tuple(premise_ids), assignment)
        (self._false if false else db.fired).add(key)
        for fact in new:
            if writer.add(db, fact, step) is not None:
                self.stats.rule_facts += 1
                self.stats.fired[rule.id] = self.stats.fired.get(rule.id, 0) + 1

    def read_back(self) -> int:
        """Store the para/perp/cong facts the tables imply but the classes do not know yet."""
        db = self.db
        linear = db.linear
        if linear is None:
            return 0
        added = 0
        if self.config.menelaus:
            feed_menelaus(db, linear.menelaus_done)
        for v1, v2, offset in linear.implied_lines():
            a, b = db.line_points(v1)[:2]
            c, d = db.line_points(v2)[:2]
            d1, d2 = db.direction(a, b), db.direction(c, d)
            if offset == 0 and d1 == d2:
                continue
            if offset != 0 and d2 in db.perp_partners(d1):
                continue
            fact = linear.line_fact(v1, v2, offset)
            if fact not in db.by_fact and support(db, fact) is not None:
                added += 1
        for s1, s2 in linear.implied_segments():
            if db.lengths.same(s1, s2):
                continue
            a, b = db.pair_of(s1)
            c, d = db.pair_of(s2)
            fact = make_fact("cong", (names_of(db, a, b) + names_of(db, c, d)))
            if fact not in db.by_fact and support(db, fact) is not None:
                added += 1
        if self.config.squared_lengths:
            added += self._read_back_squared()
        self.stats.algebra_facts += added
        return added

    def _read_back_squared(self) -> int:
        """cong and perp facts that only Pythagoras and Apollonius (squared lengths) give."""
        db = self.db
        linear = db.linear
        assert linear is not None
        added = 0
        for m, a, b in db.numeric.midpoints:
            # a midpoint known through its line and lengths gets a record, so its medians count
            if db.midp(m, a, b):
                fact = db.fact("midp", (m, a, b))
                if fact not in db.by_fact and support(db, fact) is not None:
                    added += 1
        for fact, found in linear.feed_squared(lambda fact: support(db, fact)):
            if writer.add(db, fact, found) is not None:
                added += 1
        for s1, s2 in linear.squared_equal_segments():
            if db.lengths.same(s1, s2):
                continue
            fact = make_fact("cong", names_of(db, *db.pair_of(s1)) + names_of(db, *db.pair_of(s2)))
            if fact in db.by_fact:
                continue
            step = linear.explain_squared(fact)
            if step is not None and writer.add(db, fact, step) is not None:
                added += 1
        candidates = [db.fact("perp", pts) for pts in perp_line_candidates(db)]
        if candidates:
            for fact, ok in zip(candidates, linear.squared_implied(candidates), strict=True):
                if not ok or db.holds(fact):
                    continue
                step = linear.explain_squared(fact)
                if step is not None and writer.add(db, fact, step) is not None:
                    added += 1
        return added

    def run(self, goals: Sequence[Fact] = (), deadline: float | None = None) -> bool:
        """Saturate; True if every goal is known at the end."""
        db = self.db
        stats = self.stats

        # what the database knows changes with a new record (db.version) or with an equation the tables
        # take without one (a Menelaus relation: `linear.add_menelaus`), so the answer is kept per both
        checked: list[object] = [None, False]

        def proved() -> bool:
            now = (db.version, self._generations())
            if checked[0] != now:
                checked[0], checked[1] = now, bool(goals) and all(db.holds(g) for g in goals)
            return bool(checked[1])

        watch = db.watch
        # a child of a parent at its fixpoint under these plans: delta matching while the watch is open
        delta = watch is not None and watch.plans == self.key and self.config.use_algebra
        gate = watch.gate if delta and watch is not None else None
        try:
            if self.config.use_algebra:
                self.read_back()
            while stats.rounds < self.config.max_rounds:
                if proved():
                    stats.stopped = "goal"
                    return True
                stats.rounds += 1
                before = len(db.records)
                start = time.monotonic()
                for k, plan in enumerate(self.plans):
                    if self._unchanged(k):
                        stats.skipped += 1
                        continue
                    mark = (len(db.records), self._generations(), db.n)
                    if plan.records_only:  # only the records since its last complete run (on any fork)
                        key = self._keys[id(plan)]
                        run_plan(plan, db, self.fire, deadline, since=db.ran.get(key, 0), old=gate)
                        db.ran[key] = mark[0]
                    else:
                        run_plan(plan, db, self.fire, deadline, old=gate)
                    self._marks[k] = mark
                    if goals and proved():
                        break
                stats.rule_seconds += time.monotonic() - start
                start = time.monotonic()
                if self.config.use_algebra:
                    self.read_back()
                stats.algebra_seconds += time.monotonic() - start
                if deadline is not None and time.monotonic() > deadline:
                    raise Deadline
                if len(db.records) == before:
                    stats.stopped = "fixpoint"
                    db.fixpoint, db.watch = self.key, None
                    if db.linear is not None:
                        db.linear.watch = None
                    return proved()
            stats.stopped = "rounds"
        except Deadline:
            stats.stopped = "timeout"
        return proved()


Literals = tuple[tuple[tuple[Literal, tuple[int, ...], Fraction | None], ...], ...]


_LITERALS: dict[int, tuple[Plan, Literals]] = {}


def _literals(plan: Plan) -> Literals:
    """A plan's conclusions and premises, each with the binding slots of its points and its constant
    (built once per plan and process: plans are immutable)."""
    found = _LITERALS.get(id(plan))
    if found is not None and found[0] is plan:
        return found[1]
    slot = {v: i for i, v in enumerate(plan.variables)}
    rule = plan.rule
    out = tuple(tuple((lit, tuple(slot[a] for a in lit.args), literal_value(lit)) for lit in lits)
                for lits in (rule.conclusions, rule.premises))
    _LITERALS[id(plan)] = (plan, out)
    return out


def perp_line_candidates(db: Database) -> list[tuple[int, int, int, int]]:
    """Point pairs on numerically perpendicular lines whose perpendicularity is not known, one pair of
    points per choice of two points on each line."""
    return perp_pair_candidates(db)


def names_of(db: Database, *pts: int) -> tuple[str, ...]:
    return tuple(db.names[p] for p in pts)
