"""Exact symmetry, the one place it is computed: label permutations of a statement's clauses, involutions
of a configuration read off its saturated database, images of facts, calls and clauses under them.

Two levels:
- a *statement* symmetry maps the clauses to themselves (`triangle a b c; d = midpoint d b c` under b<->c);
  proposing uses it to keep walks symmetric and to call a goal symmetric;
- a *configuration* symmetry maps every fact the saturated database holds to a fact it holds, and the goals
  to the goals (IMO 2018 P1 under b<->c, d<->e, f<->g although its clauses are not written symmetrically);
  the search tries a candidate together with its image under one.  `is_configuration_symmetry` checks one
  guessed involution (from the learned detector), so a wrong guess costs time, never soundness.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tonggeo.ddar.database import Database
from tonggeo.dsl.ast import Clause, ConstructionCall, Goal, PointDecl
from tonggeo.facts import AConst, Fact, FactError, RConst, fact_text, make_fact, parse_fact

Permutation = Mapping[str, str]


def statement_symmetries(clauses: Sequence[Clause], max_leaves: int = 20_000) -> tuple[Permutation, ...]:
    """The non-identity label permutations that map the clauses to themselves."""
    from tonggeo.canonical import canonical_form

    form = canonical_form(clauses, (), max_leaves=max_leaves)
    return tuple(s for s in form.automorphisms if any(k != v for k, v in s.items()))


def map_fact(fact: Fact, sigma: Permutation) -> Fact:
    value = fact.value if isinstance(fact, AConst | RConst) else None
    return make_fact(fact.kind, tuple(sigma.get(a, a) for a in fact.args), value)


def map_call(call: ConstructionCall, sigma: Permutation) -> ConstructionCall:
    return ConstructionCall(call.name, tuple(sigma.get(a, a) for a in call.args))


def goal_fact(goal: Goal) -> Fact | None:
    try:
        return parse_fact(goal.name, goal.args)
    except FactError:
        return None


def symmetric_goal(
    goal: Fact, symmetries: Sequence[Permutation], derived: Callable[[Fact], bool] = lambda fact: False
) -> bool:
    """True when some symmetry maps `goal` to itself or to a fact `derived` says is derived."""
    for sigma in symmetries:
        try:
            image = map_fact(goal, sigma)
        except FactError:
            continue
        if image == goal or derived(image):
            return True
    return False


def orbit_texts(goal: Fact, symmetries: Sequence[Permutation]) -> list[str]:
    """The goal's images under the symmetries (DSL text), itself first."""
    seen = [fact_text(goal)]
    for sigma in symmetries:
        text = fact_text(map_fact(goal, sigma))
        if text not in seen:
            seen.append(text)
    return seen


Involution = Mapping[str, str]

_KINDS = ("coll", "cyclic", "para", "perp", "cong", "midp", "circle")
"""Fact kinds a configuration symmetry must preserve (cheap to test in the database)."""


def _checked_facts(db: Database) -> list[Fact]:
    return [r.fact for r in db.records if r.fact.kind in _KINDS and all(a in db.index for a in r.fact.args)]


def is_configuration_symmetry(db: Database, sigma: Involution, goals: Sequence[Fact]) -> bool:
    """True when `sigma` is a non-identity involution of points of `db` mapping every fact of the kinds
    in `_KINDS` to a fact `db` holds and the goals onto the goals (the exact re-check of a guess)."""
    if not any(a != b for a, b in sigma.items()):
        return False
    if any(sigma.get(b, b) != a for a, b in sigma.items()) or any(a not in db.index for a in sigma):
        return False
    goal_set = set(goals)
    for goal in goals:
        image = _image(goal, sigma)
        if image is None or image not in goal_set:
            return False
    for fact in _checked_facts(db):
        if not any(a in sigma for a in fact.args):
            continue
        image = _image(fact, sigma)
        if image is None or not db.holds(image):
            return False
    return True


def swapped_pairs(involutions: Sequence[Involution]) -> list[tuple[str, str]]:
    """The point pairs {a, b}, a != b, that some involution swaps, each once and sorted."""
    pairs = {tuple(sorted((a, b))) for sigma in involutions for a, b in sigma.items() if a != b}
    return sorted((a, b) for a, b in pairs)

def _image(fact: Fact, sigma: Mapping[str, str]) -> Fact | None:
    try:
        return map_fact(fact, sigma)
    except FactError:
        return None


def configuration_symmetries(
    db: Database,
    points: Sequence[str],
    goals: Sequence[Fact],
    *,
    max_steps: int = 20_000,
    limit: int = 3,
    fixed: Mapping[str, str] | None = None,
    complete_records: bool = False,
) -> tuple[Involution, ...]:
    """Up to `limit` non-identity involutions of `points` that map the goals onto themselves and every
    stated or derived fact of the kinds in `_KINDS` onto a fact `db` holds; with `fixed`, only those
    extending it (an involution itself: `{a: b, b: a}` asks for one swapping a and b).

    Backtracking over the points, most constrained first.  A point may only go to a point of the same
    signature: with `complete_records` (a store whose records list every fact it holds, such as a
    drawing's numeric incidences) its number of records of each kind; otherwise its numbers of collinear
    triples and concyclic quadruples held.  A saturated database records a fact once and answers `holds` for
    its consequences through classes (`para a b c d` recorded, its mirror held through a direction class
    only), so there the kinds a point's records show are not invariant under a symmetry (a bug until
    this was found: mirror points were kept apart).  At most `max_steps` assignments are tried."""
    keys = _signatures(db, points, complete_records)
    return _involutions(db, points, goals, max_steps, limit, fixed or {}, keys)[0]


def _signatures(db: Database, points: Sequence[str], complete_records: bool) -> dict[str, tuple[object, ...]]:
    """What a point and its image under a configuration symmetry share (see `configuration_symmetries`)."""
    if not complete_records:
        return _incidence_degrees(db, points)
    counts: dict[str, dict[str, int]] = {p: dict.fromkeys(_KINDS, 0) for p in points}
    for fact in _checked_facts(db):
        for a in set(fact.args):
            if a in counts:
                counts[a][fact.kind] += 1
    return {p: tuple(counts[p].values()) for p in points}


def _involutions(
    db: Database,
    points: Sequence[str],
    goals: Sequence[Fact],
    max_steps: int,
    limit: int,
    fixed: Mapping[str, str],
    keys: Mapping[str, tuple[object, ...]],
) -> tuple[tuple[Involution, ...], bool]:
    """`configuration_symmetries` given the points' signatures, and whether the search ran out of steps."""
    facts = _checked_facts(db)
    records: dict[str, int] = dict.fromkeys(points, 0)
    for fact in facts:
        for a in fact.args:
            if a in records:
                records[a] += 1
    classes: dict[tuple[object, ...], list[str]] = {}
    for p in points:
        classes.setdefault(keys[p], []).append(p)
    sigma: dict[str, str] = dict(fixed)
    if any(sigma.get(b) != a or a not in keys or keys[a] != keys[b] for a, b in sigma.items()):
        return (), False
    order = _search_order(
        points, [*facts, *goals], list(sigma), lambda p: (len(classes[keys[p]]), -records[p])
    )
    position = {p: i for i, p in enumerate(order)}
    # each fact is checked once all its points are assigned: at its latest point in `order`
    due: dict[str, list[Fact]] = {p: [] for p in points}
    for fact in [*facts, *goals]:
        inside = [a for a in fact.args if a in position]
        if len(inside) == len(fact.args):
            due[max(inside, key=position.__getitem__)].append(fact)
    goal_set = set(goals)
    found: list[dict[str, str]] = []
    steps = 0

    images: dict[tuple[Fact, tuple[str, ...]], Fact | None] = {}

    def image_of(fact: Fact) -> Fact | None:
        """`_image(fact, sigma)`, remembered by the images of the fact's points (the search meets the same
        ones again and again)."""
        key = (fact, tuple(sigma.get(a, a) for a in fact.args))
        if key not in images:
            images[key] = _image(fact, sigma)
        return images[key]

    def consistent(point: str) -> bool:
        for fact in due[point]:
            image = image_of(fact)
            if image is None:
                return False
            if fact in goal_set:
                if image not in goal_set:
                    return False
            elif not db.holds(image):
                return False
        return True

    def extend(k: int) -> bool:
        """Assign order[k:]; True when the search must stop (enough found, or out of steps)."""
        nonlocal steps
        if len(found) >= limit or steps >= max_steps:
            return True
        if k == len(order):
            if any(a != b for a, b in sigma.items()):
                found.append(dict(sigma))
            return len(found) >= limit
        p = order[k]
        if p in sigma:  # already the partner of an earlier point: its facts are complete now
            return consistent(p) and extend(k + 1)
        for q in [p] + [q for q in classes[keys[p]] if q != p and q not in sigma]:
            steps += 1
            sigma[p], sigma[q] = q, p
            if consistent(p) and extend(k + 1):
                return True
            del sigma[p]
            sigma.pop(q, None)
        return False

    extend(0)
    return tuple(found), steps >= max_steps


def _incidence_degrees(db: Database, points: Sequence[str]) -> dict[str, tuple[object, ...]]:
    """For each point, the number of collinear triples and of concyclic quadruples through it that `db`
    holds: invariant under any involution mapping the facts `db` holds to facts it holds (lines and
    circles go to lines and circles), whatever its records list; cheap (set look-ups)."""
    inside = [p for p in points if p in db.index]
    degrees = {p: [0, 0] for p in points}
    for slot, (kind, size) in enumerate((("coll", 3), ("cyclic", 4))):
        for combo in itertools.combinations(inside, size):
            try:
                fact = make_fact(kind, combo)
            except FactError:
                continue
            if db.holds(fact):
                for p in combo:
                    degrees[p][slot] += 1
    return {p: tuple(d) for p, d in degrees.items()}


def _search_order(
    points: Sequence[str], facts: Sequence[Fact], first: Sequence[str], rank: Callable[[str], tuple[int, int]]
) -> list[str]:
    """The order the backtracking assigns points in: `first`, then greedily the point that completes the
    most facts with the points before it (each fact is checked as soon as its last point is assigned, so
    this prunes earliest), ties by `rank` (most constrained first), then by name order."""
    inside = set(points)
    args = [{a for a in f.args if a in inside} for f in facts]
    args = [a for a, f in zip(args, facts, strict=True) if len(a) == len(set(f.args))]
    order = [p for p in points if p in set(first)]
    placed = set(order)
    missing = [set(a) - placed for a in args]
    while len(order) < len(points):
        gain = dict.fromkeys((p for p in points if p not in placed), 0)
        for rest in missing:
            if len(rest) == 1:
                gain[next(iter(rest))] += 1
        best = min(gain, key=lambda p: (-gain[p], rank(p), points.index(p)))
        order.append(best)
        placed.add(best)
        for rest in missing:
            rest.discard(best)
    return order


@dataclass(frozen=True)
class SwappedPairs:
    """Every point pair some involution of the configuration swaps (`pairs`, sorted), with the involutions
    found on the way; `complete` is False when some pair's search ran out of steps (then a pair may be
    missing)."""

    pairs: tuple[tuple[str, str], ...]
    involutions: tuple[Involution, ...]
    complete: bool


def all_swapped_pairs(
    db: Database,
    points: Sequence[str],
    goals: Sequence[Fact],
    *,
    max_steps: int = 20_000,
    first: int = 8,
    complete_records: bool = False,
) -> SwappedPairs:
    """The pairs {a, b} that some involution of the configuration swaps, independent of search order: the
    first `first` involutions found, then, for each pair none of them swaps, one search for an involution
    swapping it (`max_steps` each).  A figure with many involutions (a square's 4, times independent
    mirror pairs) has more than any fixed number of them, and which ones come first is search order."""
    keys = _signatures(db, points, complete_records)
    found = list(_involutions(db, points, goals, max_steps, first, {}, keys)[0])
    covered = set(swapped_pairs(found))
    complete = True
    for a, b in itertools.combinations(sorted(points), 2):
        if (a, b) in covered or keys[a] != keys[b]:  # different signatures: no involution swaps them
            continue
        one, ran_out = _involutions(db, points, goals, max_steps, 1, {a: b, b: a}, keys)
        if one:
            found.append(one[0])
            covered.update(swapped_pairs(one))
        elif ran_out:
            complete = False
    return SwappedPairs(tuple(sorted(covered)), tuple(found), complete)


def mirror_clause(clause: Clause, sigma: Involution, taken: Sequence[str]) -> Clause | None:
    """The clause's image under `sigma`, its new points renamed to names not in `taken` (nor the clause's
    own); None when the image is the clause itself (a candidate that is its own mirror)."""
    own = set(clause.point_names)
    calls = tuple(ConstructionCall(c.name, tuple(sigma.get(a, a) for a in c.args)) for c in clause.calls)
    if calls == clause.calls:
        return None
    from tonggeo.candidates.enumerate import fresh_names

    fresh = fresh_names({*taken, *own}, len(clause.point_names))
    rename = dict(zip(clause.point_names, fresh, strict=True))
    renamed = tuple(ConstructionCall(c.name, tuple(rename.get(a, a) for a in c.args)) for c in calls)
    return Clause(tuple(PointDecl(rename[p.name]) for p in clause.points), renamed)
