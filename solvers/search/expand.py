"""The work of the search, one task at a time: rank a state's candidates, or build one child (fork the
parent's saturated database, draw the auxiliary clauses, saturate from there, prove or score it).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np

from solvers.search.node import SearchState
from solvers.search.policy import Policy, Ranked
from solvers.search.proofs import reduce_to_needed, verified_proof
from solvers.search.tasks import (
    ChildResult,
    ChildTask,
    RankResult,
    RankTask,
    Result,
    Task,
    dump_state,
    load_state,
)
from solvers.search.value import Value
from tonggeo.config import DdarConfig, SearchConfig
from tonggeo.constructions.enumerate import fresh_names
from tonggeo.ddar.match import Plan
from tonggeo.ddar.premises import PremiseError
from tonggeo.ddar.rules import Rule
from tonggeo.ddar.saturate import SaturationStats, Saturator
from tonggeo.diagram import DiagramError
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl


@dataclass(frozen=True)
class Engine:
    """What every task needs: the rules (for the checker), their compiled plans, the settings, the policy
    and the value.  Built once per search, before the workers start (they inherit it)."""

    rules: tuple[Rule, ...]
    plans: tuple[Plan, ...]
    ddar: DdarConfig
    search: SearchConfig
    policy: Policy
    value: Value


def saturate(node: SearchState, engine: Engine, deadline: float | None) -> tuple[bool, SaturationStats]:
    """Saturate the node's database from where it stands (the parent's saturated facts are already
    there); True if every goal is known."""
    saturator = Saturator(node.state.db, engine.plans, engine.ddar)
    proved = saturator.run(node.goals, deadline=deadline)
    return proved, saturator.stats


def rank(task: RankTask, engine: Engine) -> RankResult:
    start = time.monotonic()
    try:
        node = load_state(task.payload)
        ranked = engine.policy.rank(node, task.limit, np.random.default_rng(task.seed))
    except Exception as exc:  # a policy failure loses this node's expansion, not the search
        return RankResult(task.node_id, (), time.monotonic() - start, f"{type(exc).__name__}: {exc}")
    return RankResult(task.node_id, tuple(ranked), time.monotonic() - start)


def renamed(clause: Clause, taken: Collection[str]) -> Clause:
    """The clause with its new points renamed to names not in `taken` (candidates of one state all use
    the state's first free name)."""
    if not set(clause.point_names) & set(taken):
        return clause
    mapping = dict(zip(clause.point_names, fresh_names(taken, len(clause.point_names)), strict=True))
    points = tuple(PointDecl(mapping[p.name]) for p in clause.points)
    calls = tuple(ConstructionCall(c.name, tuple(mapping.get(a, a) for a in c.args)) for c in clause.calls)
    return Clause(points, calls)


def _draw(node: SearchState, candidate: Ranked, rng: np.random.Generator, attempts: int) -> SearchState:
    """`node` with the candidate's clause drawn where the policy saw it (if a few draws get there: a
    meet of two circles has two solutions).  Raises DiagramError/PremiseError if it cannot be drawn."""
    clause = renamed(candidate.clause, node.state.diagram.points)
    tol = 1e-6 * max(node.state.diagram.radius, 1e-9)
    child: SearchState | None = None
    error: Exception | None = None
    for _ in range(max(attempts, 1)):
        try:
            drawn = node.state.extend(clause, rng)
        except (DiagramError, PremiseError) as exc:
            error = exc
            continue
        child = SearchState(drawn, (*node.aux, clause), node.goals)
        placed = drawn.diagram.complex_points
        if all(abs(placed[p] - z) <= tol for p, z in zip(clause.point_names, candidate.coords, strict=False)):
            break
    if child is None:
        assert error is not None
        raise error
    return child


def build_child(task: ChildTask, engine: Engine) -> ChildResult:
    """Fork the parent, draw the candidates, saturate from the parent's database, prove or score."""
    start = time.monotonic()
    parent = load_state(task.payload)
    rng = np.random.default_rng(task.seed)
    child = parent
    reasons = []
    for candidate in task.candidates:
        try:
            child = _draw(child, candidate, rng, engine.search.extend_attempts)
        except (DiagramError, PremiseError) as exc:
            reasons.append(str(exc))
    if child is parent:
        return ChildResult(task.task_id, task.node_id, "failed", batch=task.batch, error="; ".join(reasons),
                           seconds=time.monotonic() - start)
    before = len(parent.state.db.records)
    sat_start = time.monotonic()
    deadline = min(task.deadline, sat_start + engine.search.node_seconds)
    try:
        proved, stats = saturate(child, engine, deadline)
    except Exception as exc:  # an engine failure on one child is that child's failure only
        return ChildResult(task.task_id, task.node_id, "failed", child.aux, task.batch,
                           error=f"{type(exc).__name__}: {exc}", seconds=time.monotonic() - start)
    base = ChildResult(
        task.task_id, task.node_id, "open", child.aux, task.batch,
        facts=len(child.state.db.records),
        new_facts=len(child.state.db.records) - before,
        rounds=stats.rounds,
        saturation_seconds=time.monotonic() - sat_start,
        stopped=stats.stopped,
    )
    if proved:
        proof, error = verified_proof(child, engine.rules)
        if proof is None:
            return replace(base, status="failed", error=error, seconds=time.monotonic() - start)
        proof, aux = reduce_to_needed(child, proof, engine.rules)
        return replace(base, status="proved", proof=proof, aux=aux, seconds=time.monotonic() - start)
    if task.batch:  # a probe: its state is too big to extend further
        return replace(base, seconds=time.monotonic() - start)
    score = engine.value.score(child)
    return replace(base, score=score, payload=dump_state(child), seconds=time.monotonic() - start)


def run_task(task: Task, engine: Engine) -> Result:
    if isinstance(task, RankTask):
        return rank(task, engine)
    return build_child(task, engine)
