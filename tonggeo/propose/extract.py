"""Problems from a saturated walk: for each derived fact, the statement is the smallest dependency-closed
set of clauses that makes its points, and the clauses its proof uses beyond that are its auxiliary
constructions. A fact is kept when the statement alone, saturated to its fixpoint, does not derive it
(it needs the auxiliary constructions), or when its aux-free proof is long.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from tonggeo.config import DEFAULT_DDAR, DEFAULT_PROPOSE, DdarConfig, ProposeConfig
from tonggeo.ddar.numeric import NumericModel
from tonggeo.ddar.rules import Rule
from tonggeo.ddar.support import support
from tonggeo.diagram.model import Diagram
from tonggeo.dsl.ast import Clause
from tonggeo.dsl.predicates import GOAL_PREDICATES
from tonggeo.facts import Fact, FactError, fact_text, make_fact
from tonggeo.propose.deduce import (
    Deduction,
    ProofBases,
    deduce,
    derived_records,
    numeric_angle_ratio_candidates,
    numeric_candidates,
    proof_basis,
    restrict,
)


@dataclass(frozen=True, slots=True)
class Extracted:
    """A candidate problem in the walk's names: statement and aux clauses (walk order), the goal, the
    proof's step count, and the deduction of the statement alone (None when aux-free by traceback)."""

    statement: tuple[Clause, ...]
    aux: tuple[Clause, ...]
    goal: Fact
    steps: int
    alone: Deduction | None
    """A saturated deduction of the statement or of a larger statement without the aux (for training
    records: what is known before the auxiliary constructions), if one was made."""
    source: Deduction
    """The deduction whose records hold the goal's proof (the walk's, or the statement's alone)."""

    @property
    def needs_aux(self) -> bool:
        return bool(self.aux)


class _Dependencies:
    """Clauses of a statement and which earlier clauses each one needs."""

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses = tuple(clauses)
        self.of_point = {p: i for i, c in enumerate(clauses) for p in c.point_names}
        self.of_call = {call.to_text(): i for i, c in enumerate(clauses) for call in c.calls}
        self.needs: list[frozenset[int]] = []
        for i, clause in enumerate(clauses):
            direct = {
                self.of_point[a] for call in clause.calls for a in call.args if self.of_point.get(a, i) != i
            }
            self.needs.append(frozenset(direct))

    def closure(self, seeds: set[int]) -> frozenset[int]:
        done: set[int] = set()
        stack = list(seeds)
        while stack:
            i = stack.pop()
            if i not in done:
                done.add(i)
                stack.extend(self.needs[i] - done)
        return frozenset(done)

    def take(self, ids: frozenset[int]) -> tuple[Clause, ...]:
        return tuple(self.clauses[i] for i in sorted(ids))


def _candidates(deduction: Deduction, config: ProposeConfig) -> list[Fact]:
    """Candidate goals: facts derived by rules or the tables' read-back, then numerically true facts the
    full state knows (equal angles and ratios too, with `angle_ratio_goals`)."""
    db = deduction.db
    found = {r.fact: None for r in derived_records(db) if r.fact.kind in GOAL_PREDICATES}
    numeric = list(numeric_candidates(db))
    if config.angle_ratio_goals:
        numeric.extend(numeric_angle_ratio_candidates(db))
    for fact in numeric:
        if fact not in found and fact not in db.by_fact and db.holds(fact):
            found[fact] = None
    return list(found)


def extract(
    diagram: Diagram,
    deduction: Deduction,
    *,
    config: ProposeConfig = DEFAULT_PROPOSE,
    ddar: DdarConfig = DEFAULT_DDAR,
    rules: Sequence[Rule] | None = None,
    deadline: float = float("inf"),
    alone: Callable[[Diagram, Sequence[Clause]], Deduction] | None = None,
    check_alone: bool = True,
) -> list[Extracted]:
    """Candidate problems from what a saturated walk (`deduction` over `diagram`) knows (the statements
    checked before `deadline`, a `time.time()` value).

    A fact whose traced proof uses only its statement's clauses is aux-free (the proof is there); one
    whose proof uses more is checked against the statement alone, saturated to its fixpoint (by
    `alone`, e.g. a memo shared by several walks, else directly); without `check_alone` only the
    aux-free problems are returned (no saturation).
    """
    deps = _Dependencies(deduction.problem.clauses)
    db = deduction.db
    bases = ProofBases(db)
    uses: dict[frozenset[str], frozenset[int]] = {}
    found: list[Extracted] = []
    groups: dict[frozenset[int], list[tuple[Fact, frozenset[int], int]]] = {}
    for fact in _candidates(deduction, config):
        statement = deps.closure({deps.of_point[p] for p in fact.args})
        if len(statement) == len(deps.clauses):
            continue  # nothing could be auxiliary, and the whole walk is rarely a good statement
        n_points = sum(len(deps.clauses[i].point_names) for i in statement)
        if n_points > config.max_statement_points:
            continue
        fid = support(db, fact)
        if fid is None:
            continue
        basis = bases(fid)
        if basis.steps < config.min_proof_steps:
            continue
        used = uses.get(basis.calls)
        if used is None:
            calls = {deps.of_call[c] for c in basis.calls if c in deps.of_call}
            used = uses[basis.calls] = deps.closure(calls)
        if used <= statement:
            if basis.steps >= config.min_aux_free_steps:
                found.append(Extracted(deps.take(statement), (), fact, basis.steps, None, deduction))
        elif check_alone:
            groups.setdefault(statement, []).append((fact, used - statement, basis.steps))
    for statement, facts in groups.items():
        if time.time() > deadline:
            break
        clauses = deps.take(statement)
        if alone is not None:
            checked = alone(diagram, clauses)
        else:
            checked = deduce(restrict(diagram, clauses), seconds=config.saturation_seconds,
                             goals=[f for f, _, _ in facts], config=ddar, rules=rules)
        if not checked.complete:
            continue  # without a fixpoint, "the statement alone cannot prove it" is not established
        for fact, aux, steps in facts:
            if checked.db.holds(fact):
                fid = support(checked.db, fact)
                alone_steps = proof_basis(checked.db, fid).steps if fid is not None else 0
                if alone_steps >= config.min_aux_free_steps:
                    found.append(Extracted(clauses, (), fact, alone_steps, checked, checked))
            else:
                found.append(Extracted(clauses, deps.take(aux), fact, steps, checked, deduction))
    return found


def fact_shape(fact: Fact, numeric: NumericModel, points: Sequence[str] | None = None) -> str:
    """The fact with each line it names replaced by a fixed pair of points on that line, and each segment
    of a ratio or length equality by a fixed segment of the same numeric length (pairs of `points`, the
    statement's, when given: then the shape does not depend on the other points of the diagram), so
    that spellings of one statement read the same: `para a b c d` and `para a e c d` (a, b, e collinear),
    or `eqratio a b c d e f g h` and `eqratio a b c d e f g k` (gh = gk)."""
    index = numeric.index
    names = sorted(points if points is not None else numeric.names)
    args = fact.args
    if fact.kind in _LENGTH_FACTS:
        length = numeric.length_cluster
        seen: dict[int, tuple[str, str]] = {}
        for x, y in combinations(names, 2):
            seen.setdefault(length[_ordered(index[x], index[y])], (x, y))
        new = [p for i in range(0, len(args), 2)
               for p in seen.get(length[_ordered(index[args[i]], index[args[i + 1]])], args[i:i + 2])]
    elif fact.kind in _LINE_FACTS:
        owner = numeric.line_of_pair
        lines: dict[int, tuple[str, str]] = {}
        for x, y in combinations(names, 2):
            lines.setdefault(owner[index[x]][index[y]], (x, y))
        new = [p for i in range(0, len(args), 2)
               for p in lines.get(owner[index[args[i]]][index[args[i + 1]]], args[i:i + 2])]
    else:
        return fact_text(fact)
    try:
        return fact_text(make_fact(fact.kind, tuple(new)))
    except FactError:
        return fact_text(fact)


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


_LINE_FACTS = frozenset({"para", "perp", "eqangle"})
_LENGTH_FACTS = frozenset({"cong", "eqratio"})


def hard_facts(deduction: Deduction, config: ProposeConfig = DEFAULT_PROPOSE) -> list[Fact]:
    """Facts true in the diagram that the saturated statement does not derive (empty unless saturation
    reached its fixpoint: only then is "not derived" established)."""
    if not deduction.complete:
        return []
    db = deduction.db
    facts = list(numeric_candidates(db))
    if config.angle_ratio_goals:
        facts.extend(numeric_angle_ratio_candidates(db))
    return [f for f in dict.fromkeys(facts) if f.kind in GOAL_PREDICATES and not db.holds(f)]


def within_reach(
    deduction: Deduction, facts: Sequence[Fact], config: ProposeConfig = DEFAULT_PROPOSE
) -> list[Fact]:
    """The facts whose statement (the dependency closure of their points' clauses) has at most
    `config.max_statement_points` points: the only ones that can become problems. In a deep walk most
    hard facts name late points, whose closure is nearly the whole walk; branching for them is wasted."""
    deps = _Dependencies(deduction.problem.clauses)
    sizes: dict[frozenset[str], int] = {}
    kept: list[Fact] = []
    for fact in facts:
        points = frozenset(fact.args)
        size = sizes.get(points)
        if size is None:
            statement = deps.closure({deps.of_point[p] for p in points})
            size = sizes[points] = sum(len(deps.clauses[i].point_names) for i in statement)
        if size <= config.max_statement_points:
            kept.append(fact)
    return kept


def unlocked(
    branch: Deduction, hard: Sequence[Fact], walk: Deduction, config: ProposeConfig = DEFAULT_PROPOSE
) -> list[Extracted]:
    """The `hard` facts of a walk (not derived from all of it, `walk`) that a branch (the walk plus a few
    constructions) derives: each is a problem whose statement is the closure of its points and whose
    auxiliary constructions are the clauses its proof uses beyond that."""
    deps = _Dependencies(branch.problem.clauses)
    db = branch.db
    found: list[Extracted] = []
    for fact in hard:
        if not db.holds(fact):
            continue
        statement = deps.closure({deps.of_point[p] for p in fact.args})
        if sum(len(deps.clauses[i].point_names) for i in statement) > config.max_statement_points:
            continue
        fid = support(db, fact)
        if fid is None:
            continue
        basis = proof_basis(db, fid)
        used = deps.closure({deps.of_call[c] for c in basis.calls if c in deps.of_call})
        aux = used - statement
        if aux and basis.steps >= config.min_proof_steps:
            found.append(Extracted(deps.take(statement), deps.take(aux), fact, basis.steps, walk, branch))
    return found
