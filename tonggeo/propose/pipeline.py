"""One unit of proposing work: walk, saturate, extract, then turn each extracted fact into a finished
problem (clean point names, canonical key, symmetry tag, score) and re-prove it from a fresh drawing.

Everything a worker process returns is plain data (`Proposal`), so it crosses process boundaries.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from tonggeo.config import DEFAULT_DDAR, DEFAULT_PROPOSE, DdarConfig, ProposeConfig
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.ddar.support import support
from tonggeo.diagram.model import Diagram
from tonggeo.dsl.ast import Goal, Problem
from tonggeo.facts import Fact, fact_text
from tonggeo.proof import check_proof, extract_proof, proof_text, proof_to_json
from tonggeo.propose.canonical import CanonicalError, canonical_form
from tonggeo.propose.deduce import Deduction, deduce, derived_records, restrict
from tonggeo.propose.extract import Extracted, extract, fact_shape
from tonggeo.propose.symmetry import statement_symmetries, symmetric_goal
from tonggeo.propose.walk import random_walk


@dataclass(frozen=True, slots=True)
class Proposal:
    """A finished problem: `text` is the DSL body (aux after ' | '), `key` its canonical key."""

    name: str
    key: str
    text: str
    goal: str
    aux: tuple[str, ...]
    steps: int
    symmetric: bool
    points: int
    base: str
    score: float
    proof_text: str
    proof_json: str
    facts: tuple[str, ...]

    def to_record(self) -> dict[str, object]:
        """The training-data record: problem (statement and goal), derived facts, auxiliary constructions."""
        statement = self.text.split(" | ")[0] if self.aux else self.text.split(" ? ")[0]
        return {
            "problem": f"{statement} ? {self.goal}",
            "facts": list(self.facts),
            "aux": list(self.aux),
            "goal": self.goal,
            "key": self.key,
            "symmetric": self.symmetric,
            "steps": self.steps,
        }


@dataclass(frozen=True, slots=True)
class Task:
    """One walk: its base, whether it keeps a symmetry, and its seed (a numpy seed sequence entropy)."""

    base: str
    symmetric: bool
    seed: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TaskResult:
    proposals: tuple[Proposal, ...]
    found: int
    seconds: float
    walk_points: int


def score(aux: int, steps: int, symmetric: bool, points: int, config: ProposeConfig) -> float:
    return (
        config.rank_aux * min(aux, 3)
        + config.rank_steps * math.log2(1 + steps)
        + (config.rank_symmetric if symmetric else 0.0)
        - config.rank_size * max(0, points - 8)
    )


def minimise_aux(found: Extracted, diagram: Diagram, config: ProposeConfig, ddar: DdarConfig,
                 rules: Sequence[Rule]) -> Extracted:
    """Drop auxiliary clauses (latest first) while the statement with the rest still proves the goal."""
    aux = list(found.aux)
    source = found.source
    for clause in reversed(found.aux):
        rest = [c for c in aux if c is not clause]
        made = set(clause.point_names)
        if any(a in made for c in rest for call in c.calls for a in call.args):
            continue  # a later auxiliary clause is built on this one
        trial = deduce(restrict(diagram, (*found.statement, *rest)), seconds=config.saturation_seconds,
                       goals=[found.goal], config=ddar, rules=rules)
        if trial.db.holds(found.goal):
            aux, source = rest, trial
    if len(aux) == len(found.aux):
        return found
    if not aux:
        return found  # cannot happen for a checked statement; keep the traced version
    return replace(found, aux=tuple(aux), source=source)


def finish(
    found: Extracted,
    full: Deduction,
    base: str,
    seen: set[str],
    *,
    config: ProposeConfig,
    rules: Sequence[Rule],
    rule_texts: Mapping[str, str],
    known: Callable[[str], bool],
) -> Proposal | None:
    """The finished problem for one extracted fact, or None when it is a duplicate or its traced proof is
    not accepted by the independent checker."""
    goal_text = fact_text(found.goal)
    name, *tokens = goal_text.split()
    goal = Goal(name, tuple(tokens))
    try:
        key = canonical_form(found.statement, (goal,)).key
        symmetries = statement_symmetries(found.statement)
    except CanonicalError:
        return None
    if key in seen or known(key):
        return None
    seen.add(key)
    problem = Problem(f"p_{key[:12]}", found.statement, (goal,), found.aux)
    db = found.source.db
    fid = support(db, found.goal)
    if fid is None:
        return None
    coords = found.source.diagram.points
    points = {p: (float(coords[p][0]), float(coords[p][1])) for c in (*found.statement, *found.aux)
              for p in c.point_names}
    proof = extract_proof(db.records, [fid], [found.goal], problem.name, points)
    if not check_proof(proof, problem.with_aux(), rules).ok:
        return None
    symmetric = symmetric_goal(found.goal, symmetries, _holds(full))
    facts: tuple[str, ...] = ()
    if found.alone is not None:
        derived = (fact_text(r.fact) for r in derived_records(found.alone.db))
        facts = tuple(itertools.islice(derived, 300))
    n_points = len(problem.points)
    return Proposal(
        name=problem.name,
        key=key,
        text=problem.to_text(),
        goal=goal_text,
        aux=tuple(c.to_text() for c in found.aux),
        steps=proof.rule_steps,
        symmetric=symmetric,
        points=n_points,
        base=base,
        score=score(len(found.aux), proof.rule_steps, symmetric, n_points, config),
        proof_text=proof_text(proof, rule_texts),
        proof_json=json.dumps(proof_to_json(proof)),
        facts=facts,
    )


def _holds(deduction: Deduction) -> Callable[[Fact], bool]:
    db = deduction.db

    def known(fact: Fact) -> bool:
        return all(a in db.index for a in fact.args) and db.holds(fact)

    return known


def run_task(
    task: Task,
    *,
    config: ProposeConfig = DEFAULT_PROPOSE,
    known: Callable[[str], bool] = lambda key: False,
    ddar: DdarConfig = DEFAULT_DDAR,
    deadline: float = float("inf"),
) -> TaskResult:
    """Walk once and return the new problems it yields (aux ones first, shortest spelling first). Past
    `deadline` (a `time.time()` value) it stops extracting and finishing and returns what it has."""
    start = time.monotonic()
    rng = np.random.default_rng(np.random.SeedSequence(task.seed))
    rules = load_rules()
    rule_texts = {r.id: r.to_text() for r in rules}
    walk = random_walk(task.base, rng, symmetric=task.symmetric, config=config)
    full = deduce(walk.diagram, seconds=config.saturation_seconds, config=ddar, rules=rules)
    extracted = extract(walk.diagram, full, config=config, ddar=ddar, rules=rules, deadline=deadline)
    # one problem per statement and goal shape (the same line may be named by several point pairs)
    best: dict[tuple[tuple[str, ...], str], Extracted] = {}
    for found in extracted:
        shape = (tuple(c.to_text() for c in found.statement), fact_shape(found.goal, full.db.numeric))
        kept = best.get(shape)
        if kept is None or (len(found.aux), found.steps) < (len(kept.aux), kept.steps):
            best[shape] = found
    chosen = sorted(best.values(), key=lambda e: (not e.needs_aux, -e.steps if not e.needs_aux else e.steps))
    seen: set[str] = set()
    proposals = []
    aux_free = 0
    for found in chosen:
        if time.time() > deadline:
            break
        if not found.needs_aux:
            if aux_free >= config.aux_free_per_walk:
                break
            aux_free += 1
        elif config.minimise_aux:
            found = minimise_aux(found, walk.diagram, config, ddar, rules)
        proposal = finish(found, full, task.base, seen, config=config, rules=rules, rule_texts=rule_texts,
                          known=known)
        if proposal is not None:
            proposals.append(proposal)
    return TaskResult(tuple(proposals), len(extracted), time.monotonic() - start, len(walk.diagram.points))
