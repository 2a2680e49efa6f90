"""Symmetries of a configuration, read off its saturated database, and mirror partners of candidates.

A relabelling of the points that maps every fact the database holds to a fact it also holds, and the
goals to the goals, is a symmetry of the configuration (swapping b and c, d and e in a figure built the
same way on both sides of a triangle), even when the statement's clauses are not written symmetrically.
Such problems often want their auxiliary points in mirror pairs (TongGeometry applies symmetric
constructions in pairs): the search tries a candidate together with its image.  Only the *search* uses
this; a proof is still found and checked as any other, so a wrong symmetry costs time, never soundness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tonggeo.ddar.database import Database
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl
from tonggeo.facts import Fact, FactError, make_fact

Involution = Mapping[str, str]

_KINDS = ("coll", "cyclic", "para", "perp", "cong", "midp", "circle")
"""Fact kinds a symmetry must preserve (cheap to test in the database)."""


def _image(fact: Fact, sigma: Mapping[str, str]) -> Fact | None:
    try:
        return make_fact(fact.kind, tuple(sigma.get(a, a) for a in fact.args))
    except FactError:
        return None


def configuration_symmetries(
    db: Database,
    points: Sequence[str],
    goals: Sequence[Fact],
    *,
    max_steps: int = 20_000,
    limit: int = 3,
) -> tuple[Involution, ...]:
    """Up to `limit` non-identity involutions of `points` that map the goals onto themselves and every
    stated or derived fact of the kinds in `_KINDS` onto a fact `db` holds.

    Backtracking over the points, most constrained first; a point may only go to a point taking part in
    facts of the same kinds (its signature: record counts differ between mirror points, since the
    database records a fact once and its mirror may follow from classes).  At most `max_steps`
    assignments are tried."""
    facts = [r.fact for r in db.records if r.fact.kind in _KINDS and all(a in db.index for a in r.fact.args)]
    kinds: dict[str, set[str]] = {p: set() for p in points}
    for fact in facts:
        for a in fact.args:
            if a in kinds:
                kinds[a].add(fact.kind)
    keys = {p: tuple(sorted(kinds[p])) for p in points}
    classes: dict[tuple[str, ...], list[str]] = {}
    for p in points:
        classes.setdefault(keys[p], []).append(p)
    order = sorted(points, key=lambda p: (len(classes[keys[p]]), points.index(p)))
    position = {p: i for i, p in enumerate(order)}
    # each fact is checked once all its points are assigned: at its latest point in `order`
    due: dict[str, list[Fact]] = {p: [] for p in points}
    for fact in [*facts, *goals]:
        inside = [a for a in fact.args if a in position]
        if len(inside) == len(fact.args):
            due[max(inside, key=position.__getitem__)].append(fact)
    goal_set = set(goals)
    found: list[dict[str, str]] = []
    sigma: dict[str, str] = {}
    steps = 0

    def consistent(point: str) -> bool:
        for fact in due[point]:
            image = _image(fact, sigma)
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
    return tuple(found)


def mirror_clause(clause: Clause, sigma: Involution, taken: Sequence[str]) -> Clause | None:
    """The clause's image under `sigma`, its new points renamed to names not in `taken` (nor the clause's
    own); None when the image is the clause itself (a candidate that is its own mirror)."""
    own = set(clause.point_names)
    calls = tuple(ConstructionCall(c.name, tuple(sigma.get(a, a) for a in c.args)) for c in clause.calls)
    if calls == clause.calls:
        return None
    from tonggeo.constructions.enumerate import fresh_names

    fresh = fresh_names({*taken, *own}, len(clause.point_names))
    rename = dict(zip(clause.point_names, fresh, strict=True))
    renamed = tuple(ConstructionCall(c.name, tuple(rename.get(a, a) for a in c.args)) for c in calls)
    return Clause(tuple(PointDecl(rename[p.name]) for p in clause.points), renamed)
