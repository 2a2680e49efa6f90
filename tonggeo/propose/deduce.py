"""DDAR over a walk's own diagram: saturate a statement with a time cap, list what it derived, and trace
a derived fact back to the construction calls its proof uses.

A thin layer over the engine's public pieces (numeric model, database, premises, saturator, traceback):
the walk already has coordinates, so the database is built on them instead of a fresh drawing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations, permutations
from types import MappingProxyType

from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar import writer
from tonggeo.ddar.database import Database
from tonggeo.ddar.numeric import NumericModel, numeric_holds
from tonggeo.ddar.premises import clause_premises, problem_premises
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.diagram.model import Diagram, freeze_points
from tonggeo.dsl.ast import Clause, Problem
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import FactRecord, Given, premises_of
from tonggeo.proof import needed_records


@dataclass(slots=True)
class Deduction:
    """A saturated database over a diagram; `complete` when saturation reached its fixpoint."""

    problem: Problem
    diagram: Diagram
    db: Database
    stopped: str
    seconds: float

    @property
    def complete(self) -> bool:
        return self.stopped in ("fixpoint", "goal")


def restrict(diagram: Diagram, clauses: Sequence[Clause], name: str = "statement") -> Diagram:
    """The diagram of a sub-statement: the given clauses (a dependency-closed subset), same coordinates."""
    keep = [p for clause in clauses for p in clause.point_names]
    coords = {p: diagram.complex_points[p] for p in keep}
    return Diagram(Problem(name, tuple(clauses), ()), freeze_points(coords), (), (), MappingProxyType(coords))


def deduce(
    diagram: Diagram,
    *,
    seconds: float,
    goals: Sequence[Fact] = (),
    config: DdarConfig = DEFAULT_DDAR,
    rules: Sequence[Rule] | None = None,
) -> Deduction:
    """Saturate the diagram's statement (its clauses; aux ones only if built in) for at most `seconds`,
    stopping early once every goal is known."""
    start = time.monotonic()
    problem = diagram.problem
    if diagram.aux_points:
        problem = problem.with_aux()
    names = list(diagram.points)
    numeric = NumericModel(names, diagram.points, config)
    db = writer.new_database(numeric, algebra=config.use_algebra)
    for premise in problem_premises(problem):
        writer.add(db, premise.fact, Given(premise.call))
    saturator = Saturator(db, plans_for(rules if rules is not None else load_rules(), config), config)
    saturator.run(goals, deadline=start + seconds)
    return Deduction(problem, diagram, db, saturator.stats.stopped, time.monotonic() - start)


def extend_deduction(
    base: Deduction,
    diagram: Diagram,
    *,
    seconds: float,
    goals: Sequence[Fact] = (),
    config: DdarConfig = DEFAULT_DDAR,
    rules: Sequence[Rule] | None = None,
) -> Deduction:
    """Saturate `diagram` (`base`'s statement plus more clauses, same coordinates for the old points)
    starting from a copy of `base`'s saturated database (`base` is unchanged). Faster than `deduce`, and
    what it derives is proved, but its fixpoint can be weaker than a saturation from scratch: use it to
    find facts, never to establish that a fact is not derivable."""
    start = time.monotonic()
    problem = diagram.problem
    old = base.problem.clauses
    names = tuple(base.db.names)
    if problem.clauses[: len(old)] != old or tuple(diagram.points)[: len(names)] != names:
        raise ValueError("the diagram must extend the deduction's statement")
    db = writer.fork(base.db)  # copy-on-write: records and unchanged classes/table rows are shared
    writer.add_points(db, NumericModel(list(diagram.points), diagram.points, config))
    for clause in problem.clauses[len(old):]:
        for premise in clause_premises(clause):
            writer.add(db, premise.fact, Given(premise.call))
    saturator = Saturator(db, plans_for(rules if rules is not None else load_rules(), config), config)
    saturator.run(goals, deadline=start + seconds)
    return Deduction(problem, diagram, db, saturator.stats.stopped, time.monotonic() - start)


def derived_records(db: Database) -> Iterator[FactRecord]:
    """Every record the engine derived (not stated by a construction), in derivation order."""
    return (r for r in db.records if not isinstance(r.why, Given))


@dataclass(frozen=True, slots=True)
class Basis:
    """What a derived fact's proof rests on: the construction calls (DSL text) and its step count."""

    calls: frozenset[str]
    steps: int


def proof_basis(db: Database, fid: int) -> Basis:
    records = db.records
    ids = needed_records(records, [fid])
    calls = frozenset(w.construction for i in ids if isinstance(w := records[i].why, Given))
    steps = sum(1 for i in ids if not isinstance(records[i].why, Given))
    return Basis(calls, steps)


class ProofBases:
    """`proof_basis` for many facts of one database: each record's support (the records it rests on) is
    computed once, as a bitset over record ids, so thousands of candidates share the work."""

    def __init__(self, db: Database) -> None:
        self.records = db.records
        self.support: dict[int, int] = {}
        """Record id -> bitset of the records it rests on (itself included)."""
        self.given = sum(1 << i for i, r in enumerate(self.records) if isinstance(r.why, Given))
        self.calls: dict[int, frozenset[str]] = {}
        """Bitset of Given records -> their construction calls."""

    def _support(self, root: int) -> int:
        memo, records = self.support, self.records
        stack = [root]
        while stack:
            fid = stack[-1]
            if fid in memo:
                stack.pop()
                continue
            premises = premises_of(records[fid].why)
            missing = [p for p in premises if p not in memo and p != fid]
            if missing:
                stack.extend(missing)
                continue
            bits = 1 << fid
            for p in premises:
                if p != fid:
                    bits |= memo[p]
            memo[fid] = bits
            stack.pop()
        return memo[root]

    def __call__(self, fid: int) -> Basis:
        """The same as `proof_basis(db, fid)`."""
        bits = self._support(fid)
        given = bits & self.given
        calls = self.calls.get(given)
        if calls is None:
            found: set[str] = set()
            rest = given
            while rest:
                low = rest & -rest
                why = self.records[low.bit_length() - 1].why
                assert isinstance(why, Given)
                found.add(why.construction)
                rest ^= low
            calls = self.calls[given] = frozenset(found)
        return Basis(calls, (bits & ~self.given).bit_count())


def numeric_candidates(db: Database) -> Iterator[Fact]:
    """Facts of the simple kinds that hold numerically in the diagram (candidate goals): collinear
    triples, concyclic quadruples, parallel and perpendicular line pairs, equal lengths, midpoints."""
    numeric = db.numeric
    names = numeric.names
    lines = numeric.lines
    for line in lines:
        for triple in combinations(line.points, 3):
            yield make_fact("coll", tuple(names[p] for p in triple))
    for circle in numeric.circles:
        for quad in combinations(circle.points, 4):
            yield make_fact("cyclic", tuple(names[p] for p in quad))
    by_direction: dict[int, list[tuple[str, str]]] = {}
    angle_of: dict[int, float] = {}
    for line, cluster in zip(lines, numeric.direction_cluster, strict=True):
        by_direction.setdefault(cluster, []).append((names[line.points[0]], names[line.points[1]]))
        angle_of.setdefault(cluster, line.angle)
    for members in by_direction.values():
        for (a, b), (c, d) in combinations(members, 2):
            yield make_fact("para", (a, b, c, d))
    for c1, c2 in combinations(by_direction, 2):
        if abs(abs(angle_of[c1] - angle_of[c2]) - math.pi / 2) <= numeric.atol:
            for a, b in by_direction[c1]:
                for c, d in by_direction[c2]:
                    yield make_fact("perp", (a, b, c, d))
    by_length: dict[int, list[tuple[int, int]]] = {}
    for pair, cluster in numeric.length_cluster.items():
        by_length.setdefault(cluster, []).append(pair)
    for segments in by_length.values():
        for (i, j), (k, m) in combinations(segments, 2):
            yield make_fact("cong", (names[i], names[j], names[k], names[m]))
    for mid, i, j in numeric.midpoints:
        yield make_fact("midp", (names[mid], names[i], names[j]))


def numeric_angle_ratio_candidates(db: Database, limit: int = 5000) -> Iterator[Fact]:
    """Numerically true equalities of angles between lines and of length ratios (at most `limit` each),
    skipping the ones that only restate parallel lines or equal lengths."""
    numeric = db.numeric
    names = numeric.names
    reps: dict[int, tuple[int, int]] = {}
    angles: dict[int, float] = {}
    for line, cluster in zip(numeric.lines, numeric.direction_cluster, strict=True):
        if cluster not in reps:
            reps[cluster] = (line.points[0], line.points[1])
            angles[cluster] = line.angle
    step = 10 * numeric.atol
    by_angle: dict[int, list[tuple[int, int]]] = {}
    for d1, d2 in permutations(reps, 2):
        value = (angles[d2] - angles[d1]) % math.pi
        by_angle.setdefault(round(value / step), []).append((d1, d2))
    count = 0
    for members in by_angle.values():
        for (d1, d2), (d3, d4) in combinations(members, 2):
            if d1 == d3 or d2 == d4 or (d1 == d4 and d2 == d3):
                continue
            args = (*reps[d1], *reps[d2], *reps[d3], *reps[d4])
            if not numeric_holds(numeric, "eqangle", args):
                continue
            yield make_fact("eqangle", tuple(names[p] for p in args))
            count += 1
            if count >= limit:
                break
    lengths = sorted(
        ((math.log(numeric.length[a][b]), a, b) for a, b in combinations(range(numeric.n), 2)),
    )
    by_ratio: dict[int, list[tuple[int, int, int, int]]] = {}
    rstep = 10 * numeric.rtol
    for (l1, a, b), (l2, c, d) in permutations(lengths, 2):
        if l1 < l2 and abs(l1 - l2) > rstep:
            by_ratio.setdefault(round((l2 - l1) / rstep), []).append((a, b, c, d))
    count = 0
    for quads in by_ratio.values():
        for first, second in combinations(quads, 2):
            if set(first[:2]) & set(second[:2]) and set(first[2:]) & set(second[2:]):
                continue
            if not numeric_holds(numeric, "eqratio", (*first, *second)):
                continue
            yield make_fact("eqratio", tuple(names[p] for p in (*first, *second)))
            count += 1
            if count >= limit:
                return
