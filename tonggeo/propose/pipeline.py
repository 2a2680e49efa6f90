"""One unit of proposing work: a walk saturated after every step, its hard facts (true in the drawing, not
derived) tried against the next step and one-step branches, and each unlocked fact turned into a finished
problem: its statement saturated alone must not derive it, its traced proof (with the auxiliary
constructions) must pass the independent checker; canonical key, symmetry tag and score.

Everything a worker process returns is plain data (`Proposal`), so it crosses process boundaries.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from tonggeo.canonical import CanonicalError, canonical_form
from tonggeo.config import DEFAULT_DDAR, DEFAULT_PROPOSE, DdarConfig, ProposeConfig
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.ddar.support import support
from tonggeo.diagram.model import Diagram
from tonggeo.dsl.ast import Goal, Problem
from tonggeo.facts import Fact, fact_text
from tonggeo.proof import check_proof, extract_proof, proof_text, proof_to_json
from tonggeo.propose.budget import CpuBudget
from tonggeo.propose.deduce import Deduction, deduce, derived_records, extend_deduction
from tonggeo.propose.extract import Extracted, extract, hard_facts, unlocked, within_reach
from tonggeo.propose.goals import GoalClass, StatementGoals
from tonggeo.propose.mirror import aux_copies
from tonggeo.propose.rankers import RANKERS
from tonggeo.propose.redraw import FreshDrawings
from tonggeo.propose.select import Trials, choose, minimise_aux, shape_of
from tonggeo.propose.walk import CandidateRanker, Walk, branches, extend_walk, start_walk
from tonggeo.propose.worth import aux_credit, extra_points, goal_form
from tonggeo.symmetry.exact import map_fact, statement_symmetries, symmetric_goal


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
    statement_key: str = ""
    """Canonical key of the statement alone (distinct figures); the problem's `key` also covers its goal's
    class (goals the statement's own tables make equivalent share it)."""
    depth: int = 0
    """Walk steps taken when the problem was found (the trunk's length, mirror partners not counted)."""
    worth: tuple[tuple[str, float], ...] = ()
    """Readable ranking terms (`tonggeo.propose.worth`): name, value."""
    plain_key: str = ""
    """Canonical key of the statement and goal up to renaming (aux ignored): two problems that state the
    same thing with different aux sets (a symmetric figure's two halves, each the other's aux) share it."""
    mirrored: int = 0
    """Aux clauses that only draw the mirror image of statement clauses (`tonggeo.propose.mirror`)."""
    repeats: int = 0
    """Aux clauses repeating an earlier aux clause under a relabelling (`tonggeo.propose.mirror`)."""
    twins: int = 0
    """Aux clauses repeating a statement clause under a relabelling the drawing does not realise."""

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
            "statement_key": self.statement_key,
            "depth": self.depth,
        }


@dataclass(frozen=True, slots=True)
class Task:
    """One walk: its base, whether it keeps a symmetry, and its seed (a numpy seed sequence entropy)."""

    base: str
    symmetric: bool
    seed: tuple[int, ...]
    skip: tuple[str, ...] = ()
    """Goal kinds the run already holds a backlog of (`ProposeConfig.quota_backlog`): the walk neither aims
    branches at hard facts of these kinds nor finishes aux problems of them (the quota would drop them)."""


@dataclass(frozen=True, slots=True)
class TaskResult:
    proposals: tuple[Proposal, ...]
    found: int
    seconds: float
    walk_points: int
    cpu_seconds: float = 0.0
    """Process CPU time the task took (its worker's `time.process_time`)."""
    repeats: int = 0
    """Problems it found that the persistent index already held (not returned)."""
    drops: tuple[tuple[str, int], ...] = ()
    """Candidates dropped on the way to a problem, by reason (`_Emitter.drops`)."""
    gaps: tuple[str, ...] = ()
    """Aux problems whose proof checks but that the engine does not prove from scratch with their aux
    (`ProposeConfig.scratch_share`): engine gaps, not emitted."""
    scratch_seconds: float = 0.0
    """CPU seconds of the from-scratch checks."""
    redraw_seconds: float = 0.0
    """CPU seconds of the fresh-drawing checks (`FreshDrawings.check`)."""
    branch_families: tuple[tuple[str, int, float, int], ...] = ()
    """The walk's branches by the construction they add: (construction, branches, CPU seconds of their
    saturations, branches that derived a hard fact): where the branch CPU goes and what it unlocks."""


def score(aux: int, steps: int, symmetric: bool, points: int, config: ProposeConfig, mirrored: int = 0,
          goal: str = "", extra: int = 0, repeats: int = 0, twins: int = 0) -> float:
    """Ranking score; mirror and repeat aux clauses (`tonggeo.propose.mirror`) earn no aux credit, twin ones
    one together (`tonggeo.propose.worth.aux_credit`). `goal` (its text)
    earns `rank_goal_form` times its form and `extra` aux points cost `rank_extra_points` each
    (`tonggeo.propose.worth`)."""
    return (
        config.rank_aux * min(aux_credit(aux, mirrored, repeats, twins), 3)
        + config.rank_steps * math.log2(1 + steps)
        + (config.rank_symmetric if symmetric else 0.0)
        - config.rank_size * max(0, points - 8)
        + (config.rank_goal_form * goal_form(goal) if goal else 0.0)
        - config.rank_extra_points * extra
    )


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
    goal_class: GoalClass | None = None,
    statement_key: str = "",
    depth: int = 0,
    why: Callable[[str], None] = lambda reason: None,
    plain_key: str = "",
) -> Proposal | None:
    """The finished problem for one extracted fact, or None when it is a duplicate or its traced proof is
    not accepted by the independent checker (`why` is told which: 'canonical', 'duplicate', 'known',
    'support', 'checker'). With `goal_class`, the key is its class key (the problem up to renaming and to
    goals the statement makes equivalent), else the problem's canonical key; `plain_key`, when given, is
    the statement and goal's canonical key (`plain_key_of`)."""
    goal_text = fact_text(found.goal)
    name, *tokens = goal_text.split()
    goal = Goal(name, tuple(tokens))
    try:
        plain = plain_key or canonical_form(found.statement, (goal,)).key
        key = goal_class.key if goal_class is not None else plain
        statement_key = statement_key or canonical_form(found.statement).key
        symmetries = statement_symmetries(found.statement)
    except CanonicalError:
        why("canonical")
        return None
    if key in seen or plain in seen:
        why("duplicate")
        return None
    if known(key):
        why("known")
        return None
    seen.update((key, plain))
    problem = Problem(f"p_{key[:12]}", found.statement, (goal,), found.aux)
    db = found.source.db
    fid = support(db, found.goal)
    if fid is None:
        why("support")
        return None
    coords = found.source.diagram.points
    points = {p: (float(coords[p][0]), float(coords[p][1])) for c in (*found.statement, *found.aux)
              for p in c.point_names}
    proof = extract_proof(db.records, [fid], [found.goal], problem.name, points)
    if not check_proof(proof, problem.with_aux(), rules).ok:
        why("checker")
        return None
    symmetric = symmetric_goal(found.goal, symmetries, _holds(full))
    facts: tuple[str, ...] = ()
    if found.alone is not None:
        inside = set(problem.points)
        derived = (fact_text(r.fact) for r in derived_records(found.alone.db) if set(r.fact.args) <= inside)
        facts = tuple(itertools.islice(derived, 300))
    n_points = len(problem.points)
    copies = aux_copies(found.statement, found.aux, found.source.diagram.complex_points)
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
        score=score(len(found.aux), proof.rule_steps, symmetric, n_points, config, copies.mirrored, goal_text,
                    extra_points([len(c.points) for c in found.aux]), copies.repeats, copies.twins),
        proof_text=proof_text(proof, rule_texts),
        proof_json=json.dumps(proof_to_json(proof)),
        facts=facts,
        statement_key=statement_key,
        depth=depth,
        plain_key=plain,
        mirrored=copies.mirrored,
        repeats=copies.repeats,
        twins=copies.twins,
    )


def sampled(text: str, share: float) -> bool:
    """Whether the figure of a problem's text (statement and aux, the goal left out) is in a `share` of all
    figures, chosen by a hash of that text (the same answer in every run and for every goal over it)."""
    if share >= 1.0:
        return True
    figure = text.split(" ? ")[0].encode()
    return int.from_bytes(hashlib.sha256(figure).digest()[:8], "little") < share * 2**64


def plain_key_of(found: Extracted) -> str | None:
    """The canonical key of the statement and goal up to renaming (aux ignored), None when it has none."""
    name, *tokens = fact_text(found.goal).split()
    try:
        return canonical_form(found.statement, (Goal(name, tuple(tokens)),)).key
    except CanonicalError:
        return None


def _holds(deduction: Deduction) -> Callable[[Fact], bool]:
    db = deduction.db

    def known(fact: Fact) -> bool:
        return all(a in db.index for a in fact.args) and db.holds(fact)

    return known


class _Emitter:
    """Turns a walk's extracted facts into proposals: choice, aux trimming, per-statement cap, finish."""

    def __init__(self, task: Task, config: ProposeConfig, ddar: DdarConfig, known: Callable[[str], bool],
                 budget: CpuBudget | None = None, backlog: Callable[[], frozenset[str]] | None = None):
        self.task = task
        self.backlog = backlog
        """The run's backlog as it is now (`tonggeo.propose.quota.LiveBacklog`), besides `task.skip`."""
        self.config = config
        self.rules = load_rules()
        self.rule_texts = {r.id: r.to_text() for r in self.rules}
        self.trials = Trials(config, ddar, self.rules, budget)
        self.budget = budget
        self.ddar = ddar
        self.fresh = FreshDrawings(self.trials)
        self.index = known
        self.repeats = 0
        self.seen: set[str] = set()
        self.shapes: set[tuple[tuple[str, ...], str]] = set()
        self.per_statement: dict[tuple[str, ...], int] = {}
        self.goals: dict[tuple[str, ...], StatementGoals] = {}
        self.proposals: list[Proposal] = []
        self.found = 0
        self.trivial = 0
        self.equivalent = 0
        self.depth = 0
        self.branch_families: dict[str, list[float]] = {}
        """Branches by construction: [branches, CPU seconds, branches that derived a hard fact]."""
        self.drops: dict[str, int] = {}
        """Aux candidates dropped, by reason (what a profile of proposing reads)."""
        self.gaps: list[str] = []
        """Aux problems the engine does not prove from scratch with their aux (`scratch_checked`)."""

    def skip(self) -> frozenset[str]:
        """Goal kinds not to finish or aim at now: the task's, and the run's live backlog."""
        live = self.backlog() if self.backlog is not None else frozenset()
        return frozenset(self.task.skip) | live

    def _drop(self, reason: str) -> None:
        self.drops[reason] = self.drops.get(reason, 0) + 1

    def redrawn(self, proposal: Proposal) -> bool:
        """Whether the aux problem is what it claims on `config.redraw_checks` fresh drawings of its statement
        and aux and in the configurations of its statement (`tonggeo.propose.redraw`): a configuration that
        holds only in the walk's drawing (or a goal that follows from the statement alone in another drawing
        or configuration of it) is not emitted; the drop names why."""
        why = self.fresh.verdict(proposal.text, proposal.name, proposal.goal, proposal.proof_json)
        if why is not None:
            self._drop(why)
        return why is None

    def scratch_checked(self, proposal: Proposal) -> bool:
        """Whether the engine proves the aux problem from scratch with its aux (`FreshDrawings.scratch`);
        one it does not is kept in `gaps`."""
        verdict = self.fresh.scratch(proposal.text, proposal.name, proposal.goal)
        if verdict is False:
            self.gaps.append(proposal.text)
            self._drop("engine gap")
        elif verdict is None:
            self._drop("scratch undecided")
        return verdict is True

    def known(self, key: str) -> bool:
        """Whether the persistent index already holds the key (counted: a repeat of an earlier run)."""
        if self.index(key):
            self.repeats += 1
            return True
        return False

    def emit(
        self, extracted: Sequence[Extracted], diagram: Diagram, full: Deduction, stop: Callable[[], bool]
    ) -> None:
        config = self.config
        self.found += len(extracted)
        skip = self.skip()
        for found in choose(extracted, full.db.numeric, config):
            if stop():
                return
            if found.needs_aux and found.goal.kind in skip:
                self._drop("quota")
                continue  # the run holds a backlog of this kind: finishing it would be wasted
            shape = shape_of(found, full.db.numeric)
            if shape in self.shapes:
                self._drop("shape")
                continue  # another spelling of a problem this walk already emitted
            plain = plain_key_of(found)
            if plain is None or plain in self.seen:
                self._drop("finish canonical" if plain is None else "finish duplicate")
                continue  # checked before the costly steps below (finish would drop it anyway)
            goal_class: GoalClass | None = None
            goals: StatementGoals | None = None
            if found.needs_aux:
                alone = self.trials(diagram, found.statement)
                if not alone.complete or alone.db.holds(found.goal):
                    self._drop("alone incomplete" if not alone.complete else "alone holds")
                    continue  # the statement saturated by itself must reach its fixpoint without the goal
                found = replace(found, alone=alone)  # what is known before the aux (training records)
                if config.goal_classes:
                    texts = tuple(c.to_text() for c in found.statement)
                    goals = self.goals.get(texts)
                    if goals is None:
                        goals = self.goals[texts] = StatementGoals(alone, found.statement)
                    if goals.trivial(found.goal):
                        self.trivial += 1
                        self._drop("trivial")
                        continue
                    goal_class = goals.classify(found.goal)
                    if goals.duplicate(goal_class):
                        self.equivalent += 1
                        self._drop("equivalent")
                        continue  # follows from a goal emitted over this statement, or implies one
                    if goal_class.key in self.seen:
                        self._drop("finish duplicate")
                        continue  # its class was emitted over another spelling of the statement
            if found.needs_aux and config.minimise_aux:
                found = minimise_aux(found, diagram, self.trials)
            if found.needs_aux:
                group = tuple(c.to_text() for c in (*found.statement, *found.aux))
                if self.per_statement.get(group, 0) >= config.per_statement:
                    self._drop("per statement")
                    continue
                self.per_statement[group] = self.per_statement.get(group, 0) + 1
            proposal = finish(found, full, self.task.base, self.seen, config=config, rules=self.rules,
                              rule_texts=self.rule_texts, known=self.known, goal_class=goal_class,
                              statement_key=goals.statement_key if goals is not None else "",
                              depth=self.depth, why=lambda reason: self._drop(f"finish {reason}"),
                              plain_key=plain)
            if proposal is not None and proposal.aux and not self.redrawn(proposal):
                proposal = None
            if (proposal is not None and proposal.aux and sampled(proposal.text, config.scratch_share)
                    and not self.scratch_checked(proposal)):
                proposal = None
            if proposal is not None:
                self.proposals.append(proposal)
                self.shapes.add(shape)
                if goals is not None and goal_class is not None:
                    goals.accepted.append(goal_class)


@dataclass(slots=True)
class _Node:
    """A trunk state kept to restart from: the walk, its saturation, its hard facts, its value."""

    walk: Walk
    state: Deduction
    hard: list[Fact]
    value: float


def _value(walk: Walk, problems: int, new_hard: int) -> float:
    """A path's value: problems it yielded and new hard facts (true, not derived) per step, plus its
    symmetric share (a symmetric walk keeps a mirror involution of its base)."""
    steps = max(1, len(walk.steps))
    return (problems + 0.1 * new_hard) / steps + (0.5 if walk.mirror is not None else 0.0)


def run_task(
    task: Task,
    *,
    config: ProposeConfig = DEFAULT_PROPOSE,
    known: Callable[[str], bool] = lambda key: False,
    ddar: DdarConfig = DEFAULT_DDAR,
    deadline: float = float("inf"),
    ranker: CandidateRanker | None = None,
    backlog: Callable[[], frozenset[str]] | None = None,
) -> TaskResult:
    """One guided walk (the trunk), saturated after every step, and one-step branches of its states;
    returns the new problems they yield. Past `deadline` (a `time.time()` value: the run's end) or once
    the walk has used `config.task_seconds` of CPU time it stops and returns what it has. Saturation caps
    are CPU seconds too (`tonggeo.propose.budget`), so a walk does the same work on a loaded machine.

    After each step, the facts true in the trunk's drawing but not derived from it (its hard facts) are
    goals: those the next trunk step or a branch derives are problems whose auxiliary constructions are
    the clauses their proof uses beyond the closure of their points (each re-checked against its statement
    saturated alone, from scratch). With `config.incremental` a trunk step continues the previous
    saturation. The best states seen are buffered (by `_value`); when the trunk stops (no candidate, the
    depth or point limit, no fixpoint) the walk restarts from the best of them, `config.restarts` times.
    The end of each path also gives the long aux-free problems its traced proofs show.

    `backlog`, when given, says which goal kinds the run holds a backlog of now (read while the walk
    runs, beside the ones `task.skip` named when it started): their problems are not finished and new
    hard facts of those kinds are not aimed at.

    `ranker` orders each step's expansions (the walk's policy seam, `CandidateRanker`: a learned policy
    such as `tonggeo.lm.ranker.ModelRanker`); by default `config.ranker` names a heuristic one.
    """
    start, cpu = time.monotonic(), time.process_time()
    budget = CpuBudget(config.task_seconds)

    def stop() -> bool:
        return time.time() > deadline or budget.spent()

    rng = np.random.default_rng(np.random.SeedSequence(task.seed))
    out = _Emitter(task, config, ddar, known, budget, backlog)
    rules = out.trials.rules
    ranker = ranker if ranker is not None else RANKERS[config.ranker]()
    branch_ranker = RANKERS[config.branch_ranker]()
    trunk = start_walk(task.base, rng, symmetric=task.symmetric, config=config)
    points = len(trunk.diagram.points)
    state = deduce(trunk.diagram, seconds=budget.wall_seconds(config.saturation_seconds), config=ddar,
                   rules=rules)
    if not state.complete:
        return TaskResult((), 0, time.monotonic() - start, points, time.process_time() - cpu, 0)
    skip = out.skip()
    hard = [f for f in within_reach(state, hard_facts(state, config), config) if f.kind not in skip]
    buffer: list[_Node] = []
    restarts = config.restarts
    while not stop():
        grown = trunk
        if len(trunk.steps) < config.depth:
            grown = extend_walk(trunk, rng, 1, chained=config.chained, ranker=ranker, config=config)
        new: Deduction | None = None
        if len(grown.steps) > len(trunk.steps) and not stop():
            seconds = budget.wall_seconds(config.saturation_seconds)
            if config.incremental:
                new = extend_deduction(state, grown.diagram, seconds=seconds, config=ddar, rules=rules)
            else:
                new = deduce(grown.diagram, seconds=seconds, config=ddar, rules=rules)
        if new is None or not new.complete:
            # the path ends: its aux-free problems, then a restart from the best buffered state
            if trunk.steps:
                extracted = extract(trunk.diagram, state, config=config, ddar=ddar, rules=rules,
                                    deadline=deadline, check_alone=False)
                out.emit(extracted, trunk.diagram, state, stop)
            buffer = [n for n in buffer if len(n.walk.steps) < config.depth and n.walk is not trunk]
            if restarts <= 0 or not buffer or stop():
                break
            restarts -= 1
            buffer.sort(key=lambda n: -n.value)
            node = buffer.pop(0)
            trunk, state, hard = node.walk, node.state, node.hard
            out.depth = len(trunk.steps)
            continue
        trunk, points = grown, max(points, len(grown.diagram.points))
        out.depth = len(trunk.steps)
        before = len(out.proposals)
        if hard:
            out.emit(unlocked(new, hard, state, config), trunk.diagram, new, stop)
        skip = out.skip()
        new_hard = [f for f in within_reach(new, hard_facts(new, config), config) if f.kind not in skip]
        fresh = len(set(new_hard) - set(hard))
        state, hard = new, new_hard
        if hard and config.branches > 0 and len(trunk.diagram.points) <= config.max_branch_points:
            hard = _branch(trunk, state, hard, out, rng, branch_ranker, config, ddar, stop, budget)
        buffer.append(_Node(trunk, state, hard, _value(trunk, len(out.proposals) - before, fresh)))
        if len(buffer) > config.buffer:
            buffer.sort(key=lambda n: -n.value)
            buffer.pop()
    return TaskResult(tuple(out.proposals), out.found, time.monotonic() - start, points,
                      time.process_time() - cpu, out.repeats, tuple(sorted(out.drops.items())),
                      tuple(out.gaps), out.fresh.scratch_seconds, out.fresh.check_seconds,
                      tuple((name, int(n), round(seconds, 4), int(hit))
                            for name, (n, seconds, hit) in sorted(out.branch_families.items())))


def unsettled(hard: Sequence[Fact], done: Sequence[Fact], mirror: Mapping[str, str] | None) -> list[Fact]:
    """The hard facts left once the goals `done` are emitted. In a symmetric trunk (`mirror`, its label
    involution) a goal's mirror image goes too: its problem is the same up to renaming, whatever aux would
    prove it, so the run-wide dedup would drop it."""
    gone = set(done)
    if mirror is not None:
        gone |= {map_fact(f, mirror) for f in done}
    return [h for h in hard if h not in gone]


def _branch(
    trunk: Walk,
    full: Deduction,
    hard: list[Fact],
    out: _Emitter,
    rng: np.random.Generator,
    ranker: CandidateRanker,
    config: ProposeConfig,
    ddar: DdarConfig,
    stop: Callable[[], bool],
    budget: CpuBudget,
) -> list[Fact]:
    """Try `config.branches` one-step continuations of the trunk against its hard facts; returns the hard
    facts none of them derived (a goal is emitted with one set of auxiliary constructions only)."""
    near = {p for fact in hard for p in fact.args} if config.branch_near_goals else None
    for walk in branches(trunk, rng, config.branches, ranker=ranker, must_use=near, config=config):
        if stop() or not hard:
            break
        began = time.process_time()
        grown = extend_deduction(full, walk.diagram, seconds=budget.wall_seconds(config.branch_seconds),
                                 goals=hard, config=ddar, rules=out.trials.rules)
        found = unlocked(grown, hard, full, config)
        tally = out.branch_families.setdefault(walk.steps[-1].clauses[0].calls[0].name, [0, 0.0, 0])
        tally[0] += 1
        tally[1] += time.process_time() - began
        tally[2] += bool(found)
        if found:
            hard = unsettled(hard, [e.goal for e in found], trunk.mirror)
            out.emit(found, walk.diagram, grown, stop)
        skip = out.skip()
        hard = [h for h in hard if h.kind not in skip]  # the run may have piled up a kind meanwhile
    return hard
