"""Choosing what a walk emits: one spelling per statement and goal, a few goals per statement (simple
kinds first), and auxiliary constructions trimmed to the ones the proof cannot do without.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tonggeo.config import DdarConfig, ProposeConfig
from tonggeo.ddar.numeric import NumericModel
from tonggeo.ddar.rules import Rule
from tonggeo.diagram.model import Diagram
from tonggeo.dsl.ast import Clause
from tonggeo.facts import Fact
from tonggeo.propose.budget import CpuBudget
from tonggeo.propose.deduce import Deduction, deduce, extend_deduction, restrict
from tonggeo.propose.extract import Extracted, fact_shape

# goals that read well first: incidences and equal lengths, then angles, then ratios
_KIND_ORDER = {"eqangle": 1, "aconst": 1, "simtri": 1, "simtri2": 1, "contri": 1, "contri2": 1,
               "eqratio": 2, "rconst": 2}


def _texts(clauses: Sequence[Clause]) -> tuple[str, ...]:
    return tuple(c.to_text() for c in clauses)


def shape_of(found: Extracted, numeric: NumericModel) -> tuple[tuple[str, ...], str]:
    """The statement and the goal's shape (`fact_shape` over the statement's points): one problem."""
    points = [p for c in found.statement for p in c.point_names]
    return _texts(found.statement), fact_shape(found.goal, numeric, points)


def choose(extracted: Sequence[Extracted], numeric: NumericModel, config: ProposeConfig) -> list[Extracted]:
    """One spelling per statement and goal shape; aux problems first (at most `per_statement` goals per
    statement and aux set), then the longest aux-free ones (at most `aux_free_per_walk`)."""
    best: dict[tuple[tuple[str, ...], str], Extracted] = {}
    for found in extracted:
        shape = shape_of(found, numeric)
        kept = best.get(shape)
        if kept is None or (len(found.aux), found.steps) < (len(kept.aux), kept.steps):
            best[shape] = found
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Extracted]] = {}
    for found in best.values():
        if found.needs_aux:
            groups.setdefault((_texts(found.statement), _texts(found.aux)), []).append(found)
    with_aux: list[Extracted] = []
    for members in groups.values():
        members.sort(key=lambda e: (_KIND_ORDER.get(e.goal.kind, 0), e.steps))
        with_aux.extend(members[: config.per_statement])
    aux_free = sorted((e for e in best.values() if not e.needs_aux), key=lambda e: -e.steps)
    return with_aux + aux_free[: config.aux_free_per_walk]


class Trials:
    """Saturations of sub-statements of walks, each done once: keyed by the clauses' text and their
    points' coordinates (two branches may draw the same text differently)."""

    def __init__(self, config: ProposeConfig, ddar: DdarConfig, rules: Sequence[Rule],
                 budget: CpuBudget | None = None) -> None:
        self.config = config
        self.ddar = ddar
        self.rules = rules
        self.budget = budget
        """When given, the saturation cap is CPU seconds of this budget (else wall seconds)."""
        self.done: dict[tuple[object, ...], Deduction] = {}

    def seconds(self) -> float:
        """The cap of one saturation (CPU seconds of the budget when there is one)."""
        seconds = self.config.saturation_seconds
        return self.budget.wall_seconds(seconds) if self.budget is not None else seconds

    def __call__(self, diagram: Diagram, clauses: Sequence[Clause]) -> Deduction:
        """The clauses saturated from scratch (what establishes that a fact is not derivable)."""
        key = ("scratch", *_key(diagram, clauses))
        found = self.done.get(key)
        if found is None:
            found = deduce(restrict(diagram, clauses), seconds=self.seconds(), config=self.ddar,
                           rules=self.rules)
            self.done[key] = found
        return found

    def extend(self, base: Deduction, diagram: Diagram, clauses: Sequence[Clause], goal: Fact | None = None
               ) -> Deduction:
        """`base` (a saturation of a prefix of `clauses`) continued with the rest of them: cheaper than from
        scratch, and what it derives is proved, but its fixpoint may be weaker: use it to show that a fact
        follows, never that it does not. With `goal` it stops once the goal is derived (a continuation that
        stopped at another goal is run again for this one; one at its fixpoint answers for every goal)."""
        key = ("extend", *_key(diagram, clauses))
        found = self.done.get(key)
        if found is None or (found.stopped == "goal" and (goal is None or not found.db.holds(goal))):
            goals = () if goal is None else (goal,)
            found = extend_deduction(base, restrict(diagram, clauses), seconds=self.seconds(), goals=goals,
                                     config=self.ddar, rules=self.rules)
            self.done[key] = found
        return found


def _key(diagram: Diagram, clauses: Sequence[Clause]) -> tuple[object, ...]:
    coords = diagram.complex_points
    where = tuple(complex(round(coords[p].real, 9), round(coords[p].imag, 9))
                  for c in clauses for p in c.point_names)
    return (_texts(clauses), where)


def minimise_aux(found: Extracted, diagram: Diagram, trials: Trials) -> Extracted:
    """Drop auxiliary clauses (latest first) while the statement with the rest still proves the goal. With
    the statement's own saturation at hand (`found.alone`, over exactly its clauses), each trial continues
    it (`Trials.extend`: a goal it derives is proved; one it misses keeps its clause, never wrong)."""
    aux = list(found.aux)
    source = found.source
    for clause in reversed(found.aux):
        rest = [c for c in aux if c is not clause]
        made = set(clause.point_names)
        if not rest or any(a in made for c in rest for call in c.calls for a in call.args):
            continue  # the last one stays (the statement alone fails); later clauses may build on it
        clauses = (*found.statement, *rest)
        alone = found.alone
        if alone is not None and alone.problem.clauses == tuple(found.statement):
            trial = trials.extend(alone, diagram, clauses, found.goal)
        else:
            trial = trials(diagram, clauses)
        if trial.complete and trial.db.holds(found.goal):
            aux, source = rest, trial
    if len(aux) == len(found.aux):
        return found
    return replace(found, aux=tuple(aux), source=source)
