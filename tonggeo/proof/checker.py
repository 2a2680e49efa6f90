"""The independent proof checker: replays every step of a proof from the problem, the rule text and its
own coordinates, without the engine's matcher, database, tables, rule objects or fact normalisation.

* the diagram is re-derived from the problem's constructions (`check.coordinates`): a proof whose
  coordinates disagree with the checker's construction is rejected;
* a given step must be a fact the problem's construction calls state (`check.definitions`);
* a rule step must instantiate the named rule of the rule text (`check.rules_text`): its assignment is
  one-to-one, each premise is exactly the cited earlier step, the side conditions hold at the checker's
  coordinates, the fact is one of the conclusions;
* an algebraic step must re-derive: the stated combination of the cited facts' linear equations is the
  fact's equation (angles mod pi over lines identified by the cited coll facts, log-lengths, or squared
  lengths);
* a merge step must put the fact's points in one set by merging the cited coll/cyclic facts;
* every stated fact must hold at the checker's coordinates, and every goal must be stated by some step.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tonggeo.config import DEFAULT_NUMERIC, NumericConfig
from tonggeo.dsl import Problem
from tonggeo.proof.check import facts as F
from tonggeo.proof.check.coordinates import rederive
from tonggeo.proof.check.definitions import definitions
from tonggeo.proof.check.numeric import CONDITIONS
from tonggeo.proof.check.rules_text import default_rules, parse_rule_text
from tonggeo.proof.check.steps import Context, check_step
from tonggeo.proof.model import Proof, ProofStep

COORDINATE_TOLERANCE = 1e-6
"""How far (relative to the figure) a proof's coordinate may be from the checker's construction."""


class HasId(Protocol):
    """A rule as a caller names it (only its id is read: the checker reads the rule text itself)."""

    @property
    def id(self) -> str: ...


@dataclass(slots=True)
class CheckReport:
    """The checker's verdict: `ok` iff no step failed and every goal is proved."""

    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def stated_facts(problem: Problem) -> set[Hashable]:
    """The keys of the facts the problem's construction calls state (the checker's own reading of the
    construction definitions); preconditions and side conditions are not facts."""
    defs = definitions()
    out: set[Hashable] = set()
    for clause in problem.clauses:
        for call in clause.calls:
            definition = defs.get(call.name)
            if definition is None:
                continue
            mapping = dict(zip(definition.args, call.args, strict=False))
            for name, *tokens in definition.facts:
                if name in CONDITIONS:
                    continue
                try:
                    out.add(F.key(F.statement(name, [mapping.get(t, t) for t in tokens])))
                except F.Degenerate:
                    continue
    return out


class ProofChecker:
    """Checks proofs of one problem: the rule text (the rule file, or `rule_text`), restricted to the ids
    of `rules` when given, and the checker's own coordinates derived from the problem and `points`."""

    def __init__(
        self,
        problem: Problem,
        points: Mapping[str, tuple[float, float]],
        rules: Iterable[HasId] | None = None,
        config: NumericConfig = DEFAULT_NUMERIC,
        rule_text: str | None = None,
    ) -> None:
        self.problem = problem
        self.config = config
        known = default_rules() if rule_text is None else parse_rule_text(rule_text)
        if rules is not None:
            allowed = {r.id for r in rules}
            known = {k: v for k, v in known.items() if k in allowed}
        derived = rederive(problem, points, COORDINATE_TOLERANCE, config.rel_tol)
        self.coords: dict[str, complex] = derived.points
        self.coordinate_errors = derived.errors
        self.context = Context(stated_facts(problem), known, self.coords, config.rel_tol, config.angle_tol)

    def condition(self, name: str, args: Sequence[str]) -> bool:
        """A side condition (sameclock, ncoll...) at the checker's coordinates."""
        return F.condition_holds(name, args, self.coords, self.config.rel_tol)

    def fact_numeric(self, fact: F.Record) -> bool:
        """Whether a fact record holds at the checker's coordinates."""
        try:
            return F.holds(F.of_record(fact), self.coords, self.config.rel_tol)
        except F.Degenerate:
            return False

    def check(self, proof: Proof) -> CheckReport:
        report = CheckReport([f"coordinates: {e}" for e in self.coordinate_errors])
        by_number: dict[int, ProofStep] = {}
        for step in proof.steps:
            if step.number in by_number:
                report.errors.append(f"step {step.number}: number used twice")
                continue
            problem = self.check_step(step, by_number)
            if problem is None and not self.fact_numeric(step.fact):
                problem = "the fact is false in the diagram"
            if problem is not None:
                report.errors.append(f"step {step.number} ({_text(step.fact)}): {problem}")
            by_number[step.number] = step
        stated = {_key(s.fact) for s in proof.steps}
        for goal in proof.goals:
            if _key(goal) not in stated:
                report.errors.append(f"goal {_text(goal)} is not proved by any step")
        return report

    def check_step(self, step: ProofStep, earlier: Mapping[int, ProofStep]) -> str | None:
        return check_step(self.context, step, earlier)


def _key(fact: F.Record) -> Hashable:
    try:
        return F.key(F.of_record(fact))
    except F.Degenerate:
        return ("malformed", id(fact))


def _text(fact: F.Record) -> str:
    try:
        return F.of_record(fact).text()
    except F.Degenerate:
        return repr(fact)


def check_proof(
    proof: Proof, problem: Problem, rules: Iterable[HasId] | None = None, rule_text: str | None = None
) -> CheckReport:
    """Replay `proof` of `problem` (the proof's coordinates only pick the configuration: the checker
    derives its own); the problem's goals that are diagram conditions (sameclock...) are checked on the
    checker's coordinates."""
    checker = ProofChecker(problem, proof.points, rules, rule_text=rule_text)
    report = checker.check(proof)
    stated = {_key(step.fact) for step in proof.steps}
    for goal in problem.goals:
        if goal.name in CONDITIONS:
            if not checker.condition(goal.name, goal.args):
                report.errors.append(f"goal {goal.to_text()} fails in the diagram")
            continue
        # the goals come from the problem, never from the proof: a proof must state each of them
        try:
            wanted = F.key(F.statement(goal.name, goal.args))
        except F.Degenerate as exc:
            report.errors.append(f"goal {goal.to_text()} cannot be checked: {exc}")
            continue
        if wanted not in stated:
            report.errors.append(f"goal {goal.to_text()} of the problem is not stated by any step")
    return report


__all__ = ["CheckReport", "HasId", "ProofChecker", "check_proof", "stated_facts"]
