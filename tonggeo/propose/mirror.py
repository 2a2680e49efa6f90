"""Auxiliary constructions that only complete a symmetric figure.

A symmetric walk adds each construction with its mirror image, so a statement cut from it (the closure of
a goal's points) is often one half of the figure, and its "auxiliary constructions" the other half: the
problem is then "draw the mirror image of what is given, then chase", the same problem as the one whose
statement is the other half. An aux clause is a *mirror* aux when a label involution of the figure's first
clause (its base) that the drawing realises as an isometry (a segment's or an isosceles triangle's
reflection; a scalene triangle has none, and the same construction on another side of it is an ordinary
aux), extended clause by clause to the images of the clauses (same constructions over the mapped points),
takes the points it makes to points of the statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tonggeo.canonical import CanonicalError
from tonggeo.dsl.ast import Clause
from tonggeo.propose.walk import isometry_of
from tonggeo.symmetry.exact import statement_symmetries

_Signature = tuple[tuple[str, tuple[str, ...]], ...]


def _signature(clause: Clause, names: Mapping[str, str]) -> _Signature | None:
    """The clause's calls with each input renamed by `names` and each point it makes as '*' (None when
    an input has no name yet)."""
    made = set(clause.point_names)
    calls = []
    for call in clause.calls:
        args = []
        for a in call.args:
            if a in made:
                args.append("*")
            elif a in names:
                args.append(names[a])
            else:
                return None
        calls.append((call.name, tuple(args)))
    return tuple(calls)


def _outputs(clause: Clause) -> list[str]:
    """The points the clause makes, in the order its calls name them."""
    made = set(clause.point_names)
    return [a for call in clause.calls for a in call.args if a in made]


def mirror_map(clauses: Sequence[Clause], start: Mapping[str, str]) -> dict[str, str]:
    """`start` (an involution of the first clause's points) extended over `clauses`: a clause whose inputs
    are mapped and whose image is a clause of the figure maps its points to that clause's points."""
    sigma = dict(start)
    identity = {p: p for c in clauses for p in c.point_names}
    by_signature: dict[_Signature, list[Clause]] = {}
    for clause in clauses[1:]:
        key = _signature(clause, identity)
        if key is not None:
            by_signature.setdefault(key, []).append(clause)
    for clause in clauses[1:]:
        if any(p in sigma for p in clause.point_names):
            continue
        image = _signature(clause, sigma)
        for twin in by_signature.get(image, []) if image is not None else []:
            mine, theirs = _outputs(clause), _outputs(twin)
            pairs = list(zip(mine, theirs, strict=False))
            if len(mine) != len(theirs) or any(sigma.get(t, p) != p for p, t in pairs):
                continue
            for p, t in pairs:
                sigma[p], sigma[t] = t, p
            break
    return sigma


def mirrored_aux(statement: Sequence[Clause], aux: Sequence[Clause], coords: Mapping[str, complex]) -> int:
    """How many aux clauses are mirror images of statement clauses (under the involution of the base
    that maps the most of them), in a drawing with these coordinates of (at least) the base's points."""
    if not aux or not statement:
        return 0
    base = {p: coords[p] for p in statement[0].point_names}
    tol = 1e-6 * max((abs(z - w) for z in base.values() for w in base.values()), default=1.0)
    inside = {p for c in statement for p in c.point_names}
    try:
        starts = statement_symmetries(statement[:1])
    except CanonicalError:
        return 0
    best = 0
    figure = (*statement, *aux)
    for start in starts:
        if any(start.get(start.get(p, p), p) != p for p in start):
            continue  # an involution only: a mirror pairs points
        if isometry_of(base, start, max(tol, 1e-12)) is None:
            continue  # a relabelling the drawing does not realise: not a mirror
        sigma = mirror_map(figure, start)
        count = sum(all(sigma.get(p, p) in inside for p in c.point_names) for c in aux)
        best = max(best, count)
    return best
