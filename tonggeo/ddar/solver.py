"""Solving one problem with DDAR: diagram, premises, saturation, proof, independent check.

`solve` reports "proved" only when the checker accepts the extracted proof.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar.numeric import numeric_holds
from tonggeo.ddar.premises import NoExactValue, PremiseError, answered, split_goals
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.ddar.saturate import SaturationStats, Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.ddar.support import support
from tonggeo.dsl import Problem
from tonggeo.proof.checker import ProofChecker, check_proof
from tonggeo.proof.minimize import minimize_proof
from tonggeo.proof.model import Proof
from tonggeo.proof.traceback import extract_proof

STATUSES = ("proved", "unproved", "timeout", "error")


@dataclass(frozen=True, slots=True)
class DdarOutcome:
    """What `solve` found for one problem (`solvers.ddar` turns it into the `SolveResult` every strategy
    returns); `proof` is set exactly when `status == 'proved'`."""

    name: str
    status: str
    seconds: float
    steps: int = 0
    proof: Proof | None = None
    error: str | None = None
    aux: tuple[str, ...] = ()
    saturation_seconds: float = 0.0
    facts: int = 0
    stats: SaturationStats = field(default_factory=SaturationStats)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "status": self.status,
            "seconds": round(self.seconds, 4),
            "steps": self.steps,
            "aux": list(self.aux),
            "error": self.error,
        }


def solve(
    problem: Problem,
    *,
    timeout: float | None = None,
    rng: np.random.Generator | None = None,
    config: DdarConfig = DEFAULT_DDAR,
    rules: Sequence[Rule] | None = None,
) -> DdarOutcome:
    """Prove `problem`'s goals by saturation; aux clauses count only if the caller passed
    `problem.with_aux()`.  Never raises for a problem-level failure: that is status 'error'."""
    start = time.monotonic()
    rng = rng if rng is not None else np.random.default_rng(0)
    timeout = config.timeout if timeout is None else timeout
    rules = tuple(rules) if rules is not None else load_rules()
    try:
        if not problem.goals:
            raise PremiseError("the problem has no goal")
        state = initial_state(problem, rng, config=config)
        goals, conditions = split_goals(problem.goals, state.diagram.complex_points)
        problem = answered(problem, state.diagram.complex_points)  # acompute... -> the constant to prove
        for condition in conditions:
            pts = [state.numeric.index[a] for a in condition.args]
            if not numeric_holds(state.numeric, condition.name, pts):
                raise PremiseError(f"goal {condition.to_text()} is false in the diagram")
    except Exception as exc:  # a problem that cannot even start is that problem's error only
        message = f"{type(exc).__name__}: {exc}"
        status = "unproved" if isinstance(exc, NoExactValue) else "error"
        return DdarOutcome(problem.name, status, time.monotonic() - start, error=message)
    db = state.db
    if not goals:  # only diagram conditions were asked, and they hold
        proof = Proof(problem.name, (), (), state.points)
        report = check_proof(proof, problem, rules)
        checked = ", ".join(c.to_text() for c in conditions)
        note = f"configuration fact(s) checked on the diagram, not derived: {checked}"
        status, error = ("proved", note) if report.ok else ("error", "; ".join(report.errors))
        return DdarOutcome(problem.name, status, time.monotonic() - start, 0, proof if report.ok else None,
                           error=error, facts=len(db.records))
    saturator = Saturator(db, plans_for(rules, config), config)
    try:
        proved = saturator.run(goals, deadline=start + timeout)
    except Exception as exc:  # an engine failure on one problem is that problem's error, reported as such
        message = f"internal error while saturating: {type(exc).__name__}: {exc}"
        return DdarOutcome(problem.name, "error", time.monotonic() - start, error=message,
                           facts=len(db.records), stats=saturator.stats)
    sat_seconds = time.monotonic() - start
    if not proved:
        status = "timeout" if saturator.stats.stopped == "timeout" else "unproved"
        return DdarOutcome(problem.name, status, sat_seconds, saturation_seconds=sat_seconds,
                           facts=len(db.records), stats=saturator.stats)
    goal_ids = []
    for goal in goals:
        gid = support(db, goal)
        if gid is None:
            return DdarOutcome(problem.name, "error", time.monotonic() - start,
                               error=f"goal {goal} holds but cannot be justified", stats=saturator.stats)
        goal_ids.append(gid)
    proof = extract_proof(db.records, goal_ids, goals, problem.name, state.points)
    proof = minimize_proof(proof, ProofChecker(problem, proof.points, rules))
    report = check_proof(proof, problem, rules)
    seconds = time.monotonic() - start
    if not report.ok:
        return DdarOutcome(problem.name, "error", seconds, proof.rule_steps,
                           error="checker rejected the proof: " + "; ".join(report.errors[:3]),
                           saturation_seconds=sat_seconds, facts=len(db.records), stats=saturator.stats)
    return DdarOutcome(problem.name, "proved", seconds, proof.rule_steps, proof,
                       saturation_seconds=sat_seconds, facts=len(db.records), stats=saturator.stats)
