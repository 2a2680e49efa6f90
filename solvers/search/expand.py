"""The work of the search, one task at a time: rank a state's candidates, or build one child (fork the
parent's saturated database, draw the auxiliary clause, saturate from there, check a proof, score it).

Tasks and results are plain picklable records so that worker processes can run them; states travel
pickled (a saturated state of an IMO problem is a few hundred kilobytes and takes milliseconds).
"""

from __future__ import annotations

import copyreg
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from solvers.search.node import SearchState
from solvers.search.policy import Policy, Ranked
from solvers.search.value import Value
from tonggeo.config import DdarConfig, SearchConfig
from tonggeo.ddar.match import Plan
from tonggeo.ddar.premises import PremiseError
from tonggeo.ddar.rules import Rule
from tonggeo.ddar.saturate import SaturationStats, Saturator
from tonggeo.ddar.support import support
from tonggeo.diagram import DiagramError
from tonggeo.dsl.ast import Clause
from tonggeo.proof import Proof, ProofChecker, check_proof, extract_proof
from tonggeo.proof.minimize import minimize_proof


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


# Diagrams keep their coordinates in read-only mapping proxies, which pickle cannot handle by itself.
copyreg.pickle(MappingProxyType, _reduce_proxy)


def dump_state(node: SearchState) -> bytes:
    return pickle.dumps(node, protocol=pickle.HIGHEST_PROTOCOL)


def load_state(payload: bytes) -> SearchState:
    node = pickle.loads(payload)
    if not isinstance(node, SearchState):
        raise TypeError(f"expected a SearchState, got {type(node).__name__}")
    return node


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


@dataclass(frozen=True, slots=True)
class RankTask:
    node_id: int
    payload: bytes
    limit: int
    seed: int


@dataclass(frozen=True, slots=True)
class RankResult:
    node_id: int
    ranked: tuple[Ranked, ...]
    seconds: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ChildTask:
    task_id: int
    node_id: int
    payload: bytes
    clause: Clause
    coords: tuple[complex, ...]
    seed: int
    deadline: float


@dataclass(frozen=True, slots=True)
class ChildResult:
    """One built child: 'proved' (with a checked proof), 'open' (with its pickled state and score) or
    'failed' (it could not be drawn, or the checker rejected its proof: `error` says which)."""

    task_id: int
    node_id: int
    status: str
    aux: tuple[Clause, ...] = ()
    score: float = 0.0
    payload: bytes | None = None
    proof: Proof | None = None
    facts: int = 0
    new_facts: int = 0
    rounds: int = 0
    seconds: float = 0.0
    saturation_seconds: float = 0.0
    stopped: str = ""
    error: str | None = None


Task = RankTask | ChildTask
Result = RankResult | ChildResult


def saturate(node: SearchState, engine: Engine, deadline: float | None) -> tuple[bool, SaturationStats]:
    """Saturate the node's database from where it stands; True if every goal is known."""
    saturator = Saturator(node.state.db, engine.plans, engine.ddar)
    proved = saturator.run(node.goals, deadline=deadline)
    return proved, saturator.stats


def verified_proof(node: SearchState, rules: Sequence[Rule]) -> tuple[Proof | None, str | None]:
    """The proof of the node's goals, minimised and accepted by the independent checker, or the reason
    there is none."""
    db = node.state.db
    goal_ids = []
    for goal in node.goals:
        gid = support(db, goal)
        if gid is None:
            return None, f"goal {goal} holds but cannot be justified"
        goal_ids.append(gid)
    problem = node.state.problem
    proof = extract_proof(db.records, goal_ids, list(node.goals), problem.name, node.state.points)
    proof = minimize_proof(proof, ProofChecker(problem, proof.points, rules))
    report = check_proof(proof, problem, rules)
    if not report.ok:
        return None, "checker rejected the proof: " + "; ".join(report.errors[:3])
    return proof, None


def rank(task: RankTask, engine: Engine) -> RankResult:
    start = time.monotonic()
    try:
        node = load_state(task.payload)
        ranked = engine.policy.rank(node, task.limit, np.random.default_rng(task.seed))
    except Exception as exc:  # a policy failure loses this node's expansion, not the search
        return RankResult(task.node_id, (), time.monotonic() - start, f"{type(exc).__name__}: {exc}")
    return RankResult(task.node_id, tuple(ranked), time.monotonic() - start)


def _lands(node: SearchState, clause: Clause, coords: Sequence[complex]) -> bool:
    placed = node.state.diagram.complex_points
    tol = 1e-6 * max(node.state.diagram.radius, 1e-9)
    return all(abs(placed[p] - z) <= tol for p, z in zip(clause.point_names, coords, strict=False))


def build_child(task: ChildTask, engine: Engine) -> ChildResult:
    """Fork the parent, draw the clause (where the policy saw it, if a few draws get there), saturate
    from the parent's database, and prove or score the child."""
    start = time.monotonic()
    parent = load_state(task.payload)
    rng = np.random.default_rng(task.seed)
    child: SearchState | None = None
    reason = "no draw was made"
    for _ in range(max(engine.search.extend_attempts, 1)):
        try:
            drawn = parent.state.extend(task.clause, rng)
        except (DiagramError, PremiseError) as exc:
            reason = str(exc)
            continue
        child = SearchState(drawn, (*parent.aux, task.clause), parent.goals)
        if _lands(child, task.clause, task.coords):
            break
    aux = (*parent.aux, task.clause)
    if child is None:
        return ChildResult(
            task.task_id, task.node_id, "failed", aux, error=reason, seconds=time.monotonic() - start
        )
    before = len(parent.state.db.records)
    sat_start = time.monotonic()
    deadline = min(task.deadline, sat_start + engine.search.node_seconds)
    try:
        proved, stats = saturate(child, engine, deadline)
    except Exception as exc:  # an engine failure on one child is that child's failure only
        return ChildResult(
            task.task_id,
            task.node_id,
            "failed",
            aux,
            error=f"{type(exc).__name__}: {exc}",
            seconds=time.monotonic() - start,
        )
    base = ChildResult(
        task.task_id, task.node_id, "open", aux,
        facts=len(child.state.db.records),
        new_facts=len(child.state.db.records) - before,
        rounds=stats.rounds,
        saturation_seconds=time.monotonic() - sat_start,
        stopped=stats.stopped,
    )
    if proved:
        proof, error = verified_proof(child, engine.rules)
        status = "proved" if proof is not None else "failed"
        return replace(base, status=status, proof=proof, error=error, seconds=time.monotonic() - start)
    score = engine.value.score(child)
    return replace(base, score=score, payload=dump_state(child), seconds=time.monotonic() - start)


def run_task(task: Task, engine: Engine) -> Result:
    if isinstance(task, RankTask):
        return rank(task, engine)
    return build_child(task, engine)
