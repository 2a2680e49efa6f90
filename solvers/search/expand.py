"""The work of the search, one task at a time: rank a state's candidates, or build one child (fork the
parent's saturated database, draw the auxiliary clauses, saturate from there, prove or score it).

`draw` is where every policy's clauses and scores become candidates drawn on the diagram (heuristic,
learned, mixed, or a wrapper of any of them): policies choose and score, this module draws.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from solvers.search.node import Ranked, SearchState
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
from tonggeo.candidates.enumerate import fresh_names
from tonggeo.config import DEFAULT_CANDIDATES, CandidateConfig, DdarConfig, SearchConfig
from tonggeo.ddar.match import Plan
from tonggeo.ddar.premises import PremiseError
from tonggeo.ddar.rules import Rule
from tonggeo.ddar.saturate import SaturationStats, Saturator
from tonggeo.diagram import DiagramError
from tonggeo.diagram.build import realise_clause
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl
from tonggeo.proof import Proof

if TYPE_CHECKING:
    from solvers.search.policy import Policy


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


_LOADED: list[tuple[bytes, SearchState]] = []
"""The parents this process unpickled last, with their payloads: the children of one parent arrive one
after another, and a parent is only read (each child is a fork of it), so it is unpickled once for all
of them."""
_KEEP_LOADED = 2


def loaded(payload: bytes) -> SearchState:
    """The state pickled in `payload`, kept for the next children of the same parent (callers only fork
    it: a ranking, which may cache answers in its tables, unpickles its own copy)."""
    for kept, node in _LOADED:
        if kept is payload or kept == payload:
            return node
    node = load_state(payload)
    _LOADED.insert(0, (payload, node))
    del _LOADED[_KEEP_LOADED:]
    return node


def saturate(node: SearchState, engine: Engine, deadline: float | None) -> tuple[bool, SaturationStats]:
    """Saturate the node's database from where it stands (the parent's saturated facts are already
    there); True if every goal is known."""
    saturator = Saturator(node.state.db, engine.plans, engine.ddar)
    proved = saturator.run(node.goals, deadline=deadline)
    return proved, saturator.stats


def rank(task: RankTask, engine: Engine) -> RankResult:
    start = time.monotonic()
    try:
        node = load_state(task.payload)  # a policy may cache answers in the tables: its own copy
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


def draw(
    node: SearchState,
    scored: Iterable[tuple[Clause, float]],
    limit: int,
    rng: np.random.Generator,
    *,
    avoid: Sequence[complex] = (),
    config: CandidateConfig = DEFAULT_CANDIDATES,
) -> list[Ranked]:
    """The one place where a policy's clauses and scores become drawable candidates: each clause drawn on
    the state's diagram (its new points renamed onto free names if they clash), lazily and in the given
    order, until `limit` are kept.  A clause is dropped if it cannot be drawn (bad arguments, degenerate),
    if all its new points land on known points or on earlier drawn clauses' points, or if any lands on
    one of `avoid` (another list's candidates).  Scores are kept as given; a policy may re-score from the
    coordinates (the heuristic's incidences)."""
    diagram = node.state.diagram
    tol = config.position_tol * max(diagram.radius, 1e-9)
    seen = list(diagram.complex_points.values())
    out: list[Ranked] = []
    if limit <= 0:
        return out
    for clause, score in scored:
        clause = renamed(clause, diagram.points)
        try:
            new, _ = realise_clause(diagram, clause, rng, retries=1)
        except (DiagramError, PremiseError, KeyError, ValueError):
            continue
        coords = tuple(new[p] for p in clause.point_names)
        if all(any(abs(z - w) <= tol for w in seen) for z in coords):
            continue
        seen.extend(coords)
        if any(abs(z - w) <= tol for z in coords for w in avoid):
            continue
        out.append(Ranked(clause, coords, score))
        if len(out) >= limit:
            break
    return out


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
    parent = loaded(task.payload)
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
        if task.batch:
            shrink_deadline = min(task.deadline, time.monotonic() + engine.search.shrink_seconds)
            smaller = _shrink(parent, child, aux, engine, rng, shrink_deadline)
            if smaller is not None:
                proof, aux = smaller
        return replace(base, status="proved", proof=proof, aux=aux, seconds=time.monotonic() - start)
    if task.batch:  # a probe: its state is too big to extend further
        return replace(base, seconds=time.monotonic() - start)
    score = engine.value.score(child)
    return replace(base, score=score, payload=dump_state(child), seconds=time.monotonic() - start)


def _shrink(
    parent: SearchState,
    child: SearchState,
    aux: tuple[Clause, ...],
    engine: Engine,
    rng: np.random.Generator,
    deadline: float,
) -> tuple[Proof, tuple[Clause, ...]] | None:
    """A proof with fewer of the batch's constructions: drop them one at a time (the last drawn first)
    while the others, drawn again where they were, still prove the goals; None if none can go."""
    placed = child.state.diagram.complex_points
    batch = [c for c in aux if c not in parent.aux]
    best: tuple[Proof, tuple[Clause, ...]] | None = None
    for clause in reversed(list(batch)):
        if len(batch) < 2 or time.monotonic() >= deadline:
            break
        if clause not in batch:
            continue
        trial = [c for c in batch if c is not clause]
        if any(set(clause.point_names) & {a for call in c.calls for a in call.args} for c in trial):
            continue  # another construction builds on its points
        node = parent
        try:
            for c in trial:
                again = Ranked(c, tuple(placed[p] for p in c.point_names), 0.0)
                node = _draw(node, again, rng, engine.search.extend_attempts)
            proved, _ = saturate(node, engine, deadline)
        except (DiagramError, PremiseError):
            continue
        if not proved:
            continue
        proof, _error = verified_proof(node, engine.rules)
        if proof is None:
            continue
        proof, kept = reduce_to_needed(node, proof, engine.rules)
        batch = [c for c in kept if c not in parent.aux]
        best = (proof, kept)
    return best


def run_task(task: Task, engine: Engine) -> Result:
    """The task's result; an unexpected failure is that task's failed result, so the search goes on."""
    if isinstance(task, RankTask):
        return rank(task, engine)
    try:
        return build_child(task, engine)
    except Exception as exc:
        return ChildResult(task.task_id, task.node_id, "failed", batch=task.batch,
                           error=f"internal error: {type(exc).__name__}: {exc}")
