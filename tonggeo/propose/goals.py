"""Goals over one statement, up to what the statement already knows: two goals are one problem when the
statement's own saturation (its angle and ratio tables) makes one follow from the other with no
auxiliary construction; a goal restating a ratio the statement fixes is trivial; and a goal's class has a
key that does not depend on the names of the points, so other walks' spellings of it are caught too.

The class of a goal is read off its consequences: the facts true in the statement's drawing but not
derived by it (its hard facts) that the statement's tables plus the goal imply. Equivalent goals have the
same consequences; the key is that set written over canonical point labels (least over the statement's
automorphisms).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from tonggeo.canonical import CanonicalError, canonical_form
from tonggeo.ddar.algebra import AngleTable, RatioTable
from tonggeo.ddar.linear import LinearStore
from tonggeo.dsl.ast import Clause
from tonggeo.facts import AConst, Fact, FactError, RConst, fact_text, make_fact
from tonggeo.facts.spec import SPECS
from tonggeo.propose.deduce import Deduction, numeric_angle_ratio_candidates, numeric_candidates

CLASSIC_KINDS = frozenset({"perp", "para", "cyclic", "coll", "cong", "eqangle"})
"""Goal kinds of classical olympiad statements (the rest: ratios, similar triangles, constants)."""

Equations = tuple[tuple[bool, dict[int, int], Fraction], ...]
"""(is an angle equation, coefficients, constant) for each equation a fact stands for."""

_POOL_LIMIT = 1500
"""Hard facts of one table kind examined for consequences (ordered by text, so the same on every
drawing of a statement); past it the class key also names the goal itself (fewer merges, never wrong)."""


@dataclass(frozen=True, slots=True)
class GoalClass:
    """What a statement's tables say of one goal: `equations` (None for a kind the tables do not hold),
    `consequences` (hard facts it implies, itself included), `key` (renaming-invariant)."""

    goal: Fact
    equations: Equations | None
    consequences: frozenset[Fact]
    key: str


def fact_equations(linear: LinearStore, fact: Fact) -> Equations | None:
    """The angle / ratio equations `fact` stands for over `linear`'s variables (None for other kinds)."""
    kind = fact.kind
    domain = SPECS[kind].domain  # the table whose linear equations state the fact
    if domain == "angle":  # para, perp, eqangle, aconst
        coeffs, const = linear.angle_equation(fact)
        return ((True, coeffs, const),)
    if domain == "ratio":  # cong, eqratio, rconst
        coeffs, const = linear.ratio_equation(fact)
        return ((False, coeffs, const),)
    idx = linear.db.index
    p = [idx[a] for a in fact.args]

    def angle(*terms: tuple[int, int, int]) -> tuple[bool, dict[int, int], Fraction]:
        coeffs: dict[int, int] = {}
        for a, b, c in terms:
            var = linear.line_var(a, b)
            coeffs[var] = coeffs.get(var, 0) + c
        return True, coeffs, Fraction(0)

    if kind == "coll":
        return (angle((p[0], p[1], 1), (p[0], p[2], -1)),)
    if kind == "cyclic":  # inscribed angles: (CA, CB) = (DA, DB)
        return (angle((p[2], p[1], 1), (p[2], p[0], -1), (p[3], p[1], -1), (p[3], p[0], 1)),)
    if kind == "midp":
        coeffs = {linear.seg_var(p[0], p[1]): 1, linear.seg_var(p[0], p[2]): -1}
        return angle((p[0], p[1], 1), (p[0], p[2], -1)), (False, coeffs, Fraction(1))
    return None


class StatementGoals:
    """The goals emitted over one statement (saturated alone): which candidates are new, their keys."""

    def __init__(self, alone: Deduction, statement: Sequence[Clause]) -> None:
        self.alone = alone
        self.linear = alone.db.linear
        try:
            form = canonical_form(statement)
            self.statement_key = form.key
            self.labelling: Mapping[str, int] | None = form.labelling
            self.automorphisms: tuple[Mapping[str, str], ...] = form.automorphisms
        except CanonicalError:
            self.statement_key = hashlib.sha256(repr([c.to_text() for c in statement]).encode()).hexdigest()
            self.labelling, self.automorphisms = None, ()
        self.accepted: list[GoalClass] = []
        self._pool: dict[bool, list[tuple[Fact, Equations]]] | None = None

    def _hard_pool(self) -> dict[bool, list[tuple[Fact, Equations]]]:
        """Hard facts of the statement with their equations, split by table (built once, before any
        table copy, so that every variable they name exists in the copies)."""
        if self._pool is None:
            db = self.alone.db
            facts = dict.fromkeys([*numeric_candidates(db), *numeric_angle_ratio_candidates(db)])
            pool: dict[bool, list[tuple[Fact, Equations]]] = {True: [], False: []}
            assert self.linear is not None
            for fact in sorted(facts, key=fact_text):
                if db.holds(fact):
                    continue
                eqs = fact_equations(self.linear, fact)
                if eqs is not None:
                    pool[eqs[0][0]].append((fact, eqs))
            self._pool = pool
        return self._pool

    def trivial(self, goal: Fact) -> bool:
        """A ratio equality one side of which the statement fixes (a construction ratio restated), or with
        a segment over itself (`eqratio a b c d e f e f` is `cong a b c d`, its own candidate)."""
        if goal.kind != "eqratio" or self.linear is None:
            return False
        idx = self.alone.db.index
        p = [idx[a] for a in goal.args]
        s = [self.linear.seg_var(p[i], p[i + 1]) for i in range(0, 8, 2)]
        # s0/s1 = s2/s3 reads s0/s2 = s1/s3 too: any of the four ratios fixed makes it a restated constant
        for x, y in ((0, 1), (2, 3), (0, 2), (1, 3)):
            if s[x] == s[y] or self.linear.ratio.constant({s[x]: 1, s[y]: -1}) is not None:
                return True  # (a segment over itself: a congruence spelt as a ratio)
        return False

    def classify(self, goal: Fact) -> GoalClass:
        """The goal's equations, consequences among the statement's hard facts, and class key."""
        if self.linear is None:
            return GoalClass(goal, None, frozenset({goal}), self._key([goal], exact=True))
        eqs = fact_equations(self.linear, goal)
        if eqs is None:
            return GoalClass(goal, None, frozenset({goal}), self._key([goal], exact=True))
        pool = self._hard_pool()
        tables = _copies(self.linear)
        _assert(tables, eqs)
        consequences = {goal}
        truncated = False
        for is_angle in {e[0] for e in eqs}:
            members = pool[is_angle]
            truncated |= len(members) > _POOL_LIMIT
            members = members[:_POOL_LIMIT]
            table = tables[is_angle]
            flat = [(fact, c, k) for fact, m in members for _, c, k in m]
            implied = table.implied_equalities([(c, k) for _, c, k in flat])
            ok: dict[Fact, bool] = {}
            for (fact, _, _), yes in zip(flat, implied, strict=True):
                ok[fact] = ok.get(fact, True) and yes
            consequences.update(f for f, yes in ok.items() if yes)
        return GoalClass(goal, eqs, frozenset(consequences), self._key(sorted(consequences, key=fact_text),
                                                                        exact=truncated, goal=goal))

    def implies(self, premise: GoalClass, goal: GoalClass) -> bool:
        """Whether the statement's tables plus `premise` imply `goal`."""
        if goal.goal in premise.consequences:
            return True
        if premise.equations is None or goal.equations is None or self.linear is None:
            return premise.goal == goal.goal
        tables = _copies(self.linear)
        _assert(tables, premise.equations)
        return all(tables[a].implied(c, k) for a, c, k in goal.equations)

    def duplicate(self, found: GoalClass) -> bool:
        """Whether an accepted goal follows from this one, or this one from an accepted goal."""
        return any(self.implies(a, found) or self.implies(found, a) for a in self.accepted)

    def _key(self, facts: Sequence[Fact], *, exact: bool, goal: Fact | None = None) -> str:
        shown = list(facts)
        if exact and goal is not None:
            shown.append(goal)
        if self.labelling is None:
            body = tuple(sorted(fact_text(f) for f in shown))
        else:
            body = min(tuple(sorted(_renamed(f, sigma, self.labelling) for f in shown))
                       for sigma in self.automorphisms or ({},))
        return hashlib.sha256(repr((self.statement_key, exact, body)).encode()).hexdigest()[:32]


def _renamed(fact: Fact, sigma: Mapping[str, str], labelling: Mapping[str, int]) -> str:
    args = tuple(f"P{labelling[sigma.get(a, a)]:03d}" for a in fact.args)
    value = fact.value if isinstance(fact, AConst | RConst) else None
    try:
        return fact_text(make_fact(fact.kind, args, value))
    except FactError:
        return " ".join((fact.kind, *args))


def _assert(tables: Mapping[bool, AngleTable | RatioTable], eqs: Equations) -> None:
    for i, (is_angle, coeffs, const) in enumerate(eqs):
        tables[is_angle].add(coeffs, const, -(1 << 40) - i)


def _copies(linear: LinearStore) -> dict[bool, AngleTable | RatioTable]:
    """Copies of the angle (True) and ratio (False) tables, to assert goals in without touching them."""
    return {True: linear.angle.copy(), False: linear.ratio.copy()}
