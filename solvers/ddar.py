"""The `ddar` strategy: deduction and algebra on the problem as stated, no auxiliary points.

`solve` saturates (`tonggeo.ddar`), extracts and minimises the proof, and reports "proved" only when the
independent checker accepts it.  It returns the one `SolveResult` every prover returns
(`tonggeo.proof.result`), with the `Proof` object, its text and JSON built here only; `DdarSolver` puts it
behind the `Solver` interface.  This is the one public DDAR solve: no module below `solvers` calls it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from solvers.base import Budget
from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar.numeric import numeric_holds
from tonggeo.ddar.premises import NoExactValue, PremiseError, answered, split_goals
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.ddar.support import support
from tonggeo.dsl import Problem
from tonggeo.proof.checker import ProofChecker, check_proof
from tonggeo.proof.minimize import minimize_proof
from tonggeo.proof.model import Proof, proof_to_json
from tonggeo.proof.result import SolveResult, SolveStatus
from tonggeo.proof.traceback import extract_proof
from tonggeo.proof.writer import proof_text


def _proved(proof: Proof, rules: Sequence[Rule], seconds: float, message: str, *, facts: int,
            saturation_seconds: float = 0.0) -> SolveResult:
    """A checked proof, with its text and JSON (built here only, for every caller)."""
    text = proof_text(proof, {rule.id: rule.to_text() for rule in rules})
    return SolveResult(SolveStatus.PROVED, seconds, "ddar", text, json.dumps(proof_to_json(proof)),
                       message=message, proof=proof, steps=proof.rule_steps, facts=facts,
                       saturation_seconds=saturation_seconds)


def _failed(status: SolveStatus, seconds: float, message: str, *, facts: int = 0, steps: int = 0,
            saturation_seconds: float = 0.0) -> SolveResult:
    return SolveResult(status, seconds, "ddar", message=message, steps=steps, facts=facts,
                       saturation_seconds=saturation_seconds)


def solve(
    problem: Problem,
    *,
    timeout: float | None = None,
    rng: np.random.Generator | None = None,
    config: DdarConfig = DEFAULT_DDAR,
    rules: Sequence[Rule] | None = None,
) -> SolveResult:
    """Prove `problem`'s goals by saturation; aux clauses count only if the caller passed
    `problem.with_aux()`.  Never raises for a problem-level failure: that is status 'error'.  The result
    holds the `Proof` object, its text and JSON exactly when the status is 'proved'."""
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
        status = SolveStatus.UNPROVED if isinstance(exc, NoExactValue) else SolveStatus.ERROR
        return _failed(status, time.monotonic() - start, message)
    db = state.db
    if not goals:  # only diagram conditions were asked, and they hold
        proof = Proof(problem.name, (), (), state.points)
        report = check_proof(proof, problem, rules)
        checked = ", ".join(c.to_text() for c in conditions)
        note = f"configuration fact(s) checked on the diagram, not derived: {checked}"
        if report.ok:
            return _proved(proof, rules, time.monotonic() - start, note, facts=len(db.records))
        return _failed(SolveStatus.ERROR, time.monotonic() - start, "; ".join(report.errors),
                       facts=len(db.records))
    saturator = Saturator(db, plans_for(rules, config), config)
    try:
        proved = saturator.run(goals, deadline=start + timeout)
    except Exception as exc:  # an engine failure on one problem is that problem's error, reported as such
        message = f"internal error while saturating: {type(exc).__name__}: {exc}"
        return _failed(SolveStatus.ERROR, time.monotonic() - start, message, facts=len(db.records))
    sat_seconds = time.monotonic() - start
    if not proved:
        status = SolveStatus.TIMEOUT if saturator.stats.stopped == "timeout" else SolveStatus.UNPROVED
        return _failed(status, sat_seconds, f"{status.value} after {len(db.records)} facts",
                       facts=len(db.records), saturation_seconds=sat_seconds)
    goal_ids = []
    for goal in goals:
        gid = support(db, goal)
        if gid is None:
            return _failed(SolveStatus.ERROR, time.monotonic() - start,
                           f"goal {goal} holds but cannot be justified", facts=len(db.records),
                           saturation_seconds=sat_seconds)
        goal_ids.append(gid)
    proof = extract_proof(db.records, goal_ids, goals, problem.name, state.points)
    proof = minimize_proof(proof, ProofChecker(problem, proof.points, rules))
    report = check_proof(proof, problem, rules)
    seconds = time.monotonic() - start
    if not report.ok:
        message = "checker rejected the proof: " + "; ".join(report.errors[:3])
        return _failed(SolveStatus.ERROR, seconds, message, facts=len(db.records), steps=proof.rule_steps,
                       saturation_seconds=sat_seconds)
    return _proved(proof, rules, seconds, f"proved in {proof.rule_steps} steps", facts=len(db.records),
                   saturation_seconds=sat_seconds)


@dataclass(frozen=True)
class DdarSolver:
    """Saturate the statement's facts with the rules and the algebraic tables; proofs are checked."""

    name: str = "ddar"

    def solve(self, problem: Problem, budget: Budget, rng: np.random.Generator) -> SolveResult:
        result = solve(problem, timeout=budget.seconds, rng=rng)
        return result if result.solver == self.name else replace(result, solver=self.name)
