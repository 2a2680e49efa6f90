"""Canonical form of a problem: one key for all problems equal up to renaming points and reordering
independent clauses, and the label permutations (automorphisms) that map a statement to itself.

A problem is a labelled structure: construction calls over points (each call up to its construction's
argument symmetries), grouped in clauses, plus goal facts. Colour refinement splits the points by what
they are built from and used in; individualisation branches on the first class left non-singleton; every
leaf is a labelling, and the least encoding over all leaves is canonical. Leaves that reach it differ by
an automorphism, so the same search yields the structure's symmetry group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tonggeo.candidates.profile import profile_of
from tonggeo.dsl.ast import Clause, Goal, Problem
from tonggeo.facts import AConst, Fact, FactError, RConst, fact_text, make_fact, parse_fact

Encoding = tuple[tuple[tuple[tuple[str, tuple[int, ...]], ...], ...], tuple[str, ...]]


class CanonicalError(ValueError):
    """The structure is too symmetric to search exhaustively within the leaf budget."""


@dataclass(frozen=True, slots=True)
class _Call:
    clause: int
    name: str
    args: tuple[int, ...]
    roles: tuple[int, ...]
    symmetries: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class CanonicalForm:
    """`key`: hex digest of the least encoding; `labelling`: point -> canonical index for one leaf;
    `automorphisms`: every label permutation mapping the structure to itself (identity first)."""

    key: str
    encoding: Encoding
    labelling: Mapping[str, int]
    automorphisms: tuple[Mapping[str, str], ...]


def _roles(symmetries: tuple[tuple[int, ...], ...], arity: int) -> tuple[int, ...]:
    """Each argument position's orbit under the symmetries, named by its least position."""
    return tuple(min(s[i] for s in symmetries) for i in range(arity))


@dataclass(frozen=True, slots=True)
class _GoalItem:
    """A goal: its points (indices), and its fact in canonical form when it is one."""

    name: str
    points: tuple[int, ...]
    tokens: tuple[str, ...]
    fact: Fact | None

    @staticmethod
    def of(goal: Goal, index: Mapping[str, int]) -> _GoalItem:
        try:
            fact: Fact | None = parse_fact(goal.name, goal.args)
        except FactError:
            fact = None
        names = fact.args if fact is not None else tuple(a for a in goal.args if a in index)
        tokens = tuple(a for a in goal.args if a not in index)
        return _GoalItem(goal.name, tuple(index[a] for a in names), tokens, fact)

    def text(self, names: Sequence[str]) -> str:
        """The goal over renamed points, in its fact's canonical order."""
        renamed = tuple(names[a] for a in self.points)
        if self.fact is not None:
            value = self.fact.value if isinstance(self.fact, AConst | RConst) else None
            return fact_text(make_fact(self.fact.kind, renamed, value))
        return " ".join((self.name, *renamed, *self.tokens))


class _Structure:
    def __init__(self, clauses: Sequence[Clause], goals: Sequence[Goal]) -> None:
        self.points = [p for clause in clauses for p in clause.point_names]
        index = {p: i for i, p in enumerate(self.points)}
        self.calls: list[_Call] = []
        for k, clause in enumerate(clauses):
            for call in clause.calls:
                profile = profile_of(call.name)
                args = tuple(index[a] for a in call.args)
                self.calls.append(_Call(k, call.name, args, _roles(profile.symmetries, len(args)),
                                        profile.symmetries))
        self.goals = [_GoalItem.of(g, index) for g in goals]
        self.incident: list[list[int]] = [[] for _ in self.points]
        for c, item in enumerate(self.calls):
            for point in set(item.args):
                self.incident[point].append(c)
        self.goal_incident: list[list[int]] = [[] for _ in self.points]
        for g, goal in enumerate(self.goals):
            for point in set(goal.points):
                self.goal_incident[point].append(g)

    def refine(self, colours: list[int]) -> list[int]:
        """Colour refinement to a stable partition (colours are ranks, invariant under renaming)."""
        n_classes = len(set(colours))
        while True:
            signatures = []
            for p in range(len(self.points)):
                around = []
                for c in self.incident[p]:
                    call = self.calls[c]
                    mine = tuple(sorted(call.roles[i] for i, a in enumerate(call.args) if a == p))
                    others = tuple(sorted((call.roles[i], colours[a]) for i, a in enumerate(call.args)))
                    around.append((call.name, mine, others))
                in_goals = []
                for g in self.goal_incident[p]:
                    goal = self.goals[g]
                    in_goals.append((goal.name, tuple(sorted(colours[a] for a in goal.points))))
                signatures.append((colours[p], tuple(sorted(around)), tuple(sorted(in_goals))))
            ranking = {s: r for r, s in enumerate(sorted(set(signatures)))}
            colours = [ranking[s] for s in signatures]
            if len(ranking) == n_classes:
                return colours
            n_classes = len(ranking)

    def encode(self, label: Sequence[int]) -> Encoding:
        clauses: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
        for call in self.calls:
            best = min(tuple(label[call.args[i]] for i in s) for s in call.symmetries)
            clauses.setdefault(call.clause, []).append((call.name, best))
        body = tuple(sorted(tuple(sorted(calls)) for calls in clauses.values()))
        names = [f"P{i:03d}" for i in label]
        goals = tuple(sorted(goal.text(names) for goal in self.goals))
        return body, goals


def canonical_form(
    clauses: Sequence[Clause], goals: Sequence[Goal] = (), *, max_leaves: int = 20_000
) -> CanonicalForm:
    """The canonical form of clauses + goals (aux clauses are not part of a problem's identity)."""
    structure = _Structure(clauses, goals)
    n = len(structure.points)
    best: Encoding | None = None
    best_labels: list[list[int]] = []
    leaves = 0
    stack = [structure.refine([0] * n)]
    while stack:
        colours = stack.pop()
        classes: dict[int, list[int]] = {}
        for p, c in enumerate(colours):
            classes.setdefault(c, []).append(p)
        cell = next((members for c, members in sorted(classes.items()) if len(members) > 1), None)
        if cell is None:
            leaves += 1
            if leaves > max_leaves:
                raise CanonicalError(f"more than {max_leaves} labellings to compare")
            encoding = structure.encode(colours)
            if best is None or encoding < best:
                best, best_labels = encoding, [colours]
            elif encoding == best:
                best_labels.append(colours)
            continue
        for p in reversed(cell):
            # individualise p: it alone keeps its colour, the rest of its cell moves just above it
            shifted = [2 * c + (1 if c == colours[p] and q != p else 0) for q, c in enumerate(colours)]
            stack.append(structure.refine(shifted))
    assert best is not None or n == 0
    if best is None:
        best = structure.encode([])
        best_labels = [[]]
    first = best_labels[0]
    by_label = {lab: structure.points[p] for p, lab in enumerate(first)}
    automorphisms = tuple(
        {structure.points[p]: by_label[lab] for p, lab in enumerate(labels)} for labels in best_labels
    )
    digest = hashlib.sha256(repr(best).encode()).hexdigest()[:32]
    labelling = {structure.points[p]: lab for p, lab in enumerate(first)}
    return CanonicalForm(digest, best, labelling, automorphisms)


def problem_key(problem: Problem) -> str:
    """The dedup key of a problem: statement clauses and goals up to renaming and reordering."""
    return canonical_form(problem.clauses, problem.goals).key
