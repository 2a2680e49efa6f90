"""Auxiliary constructions that only complete a symmetric figure.

A symmetric walk adds each construction with its mirror image, so a statement cut from it (the closure of
a goal's points) is often one half of the figure, and its "auxiliary constructions" the other half: the
problem is then "draw the mirror image of what is given, then chase", the same problem as the one whose
statement is the other half. An aux clause is a *mirror* aux when a label involution of the figure's first
clause (its base) that the drawing realises as an isometry (a segment's or an isosceles triangle's
reflection; a scalene triangle has none, and the same construction on another side of it is an ordinary
aux), extended clause by clause to the images of the clauses (same constructions over the mapped points),
takes the points it makes to points of the statement.

A *twin* aux clause is the same construction as a statement clause under a label involution of the base
that the drawing does not realise: the other half of a twin figure over a scalene triangle (the foot from
the other vertex, the same circle over the other half). Each is a real construction, but the twins of one
aux together are one move ("do the same on the other side"), and worth credits them once. A *repeat* aux
clause is the same construction as an earlier aux clause under a label involution (mirror or not): the
second of an aux pair, one move with the first, so no credit of its own
(`tonggeo.propose.worth.aux_credit`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tonggeo.candidates.profile import profile_of
from tonggeo.canonical import CanonicalError
from tonggeo.dsl.ast import Clause
from tonggeo.propose.walk import isometry_of
from tonggeo.symmetry.exact import statement_symmetries

_Signature = tuple[tuple[str, tuple[str, ...]], ...]


def _signature(clause: Clause, names: Mapping[str, str]) -> _Signature | None:
    """The clause's calls with each input renamed by `names` and each point it makes as '*', each call's
    arguments in their least order under its construction's argument symmetries (None when an input has
    no name yet)."""
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
        orders = _argument_symmetries(call.name) or (tuple(range(len(args))),)
        calls.append((call.name, min(tuple(args[i] for i in s) for s in orders)))
    return tuple(calls)


@functools.cache
def _argument_symmetries(name: str) -> tuple[tuple[int, ...], ...]:
    """Permutations of a construction's arguments that leave it the same construction (the identity only
    for one outside the built-in catalogue)."""
    try:
        return profile_of(name).symmetries
    except KeyError:
        return ()


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


@dataclass(frozen=True, slots=True)
class AuxCopies:
    """How many aux clauses copy other clauses of the figure (under the base involution that leaves the
    aux the least credit)."""

    mirrored: int = 0
    """Images of statement clauses, by an involution the drawing realises as an isometry (no credit)."""
    twins: int = 0
    """Images of statement clauses, by an involution the drawing does not realise (one credit together)."""
    repeats: int = 0
    """Images of earlier aux clauses, by any involution (no credit)."""

    def credit(self, aux: int) -> int:
        """Aux clauses that count as moves, of `aux` clauses with these copies among them."""
        return aux - self.mirrored - self.twins - self.repeats + (1 if self.twins else 0)


def aux_copies(statement: Sequence[Clause], aux: Sequence[Clause],
               coords: Mapping[str, complex]) -> AuxCopies:
    """The mirror, twin and repeat aux clauses of a problem, in a drawing with these coordinates of (at least)
    the base's points."""
    if not aux or not statement:
        return AuxCopies()
    base = {p: coords[p] for p in statement[0].point_names}
    tol = 1e-6 * max((abs(z - w) for z in base.values() for w in base.values()), default=1.0)
    inside = {p for c in statement for p in c.point_names}
    try:
        starts = statement_symmetries(statement[:1])
    except CanonicalError:
        return AuxCopies()
    best = AuxCopies()
    figure = (*statement, *aux)
    for start in starts:
        if any(start.get(start.get(p, p), p) != p for p in start):
            continue  # an involution only: a copy pairs points
        isometric = isometry_of(base, start, max(tol, 1e-12)) is not None
        sigma = mirror_map(figure, start)
        mirrored = twins = repeats = 0
        earlier = set(inside)
        for clause in aux:
            images = [sigma.get(p, p) for p in clause.point_names]
            if all(q in earlier and q != p for p, q in zip(clause.point_names, images, strict=True)):
                if not all(q in inside for q in images):
                    repeats += 1
                elif isometric:
                    mirrored += 1
                else:
                    twins += 1
            earlier.update(clause.point_names)
        found = AuxCopies(mirrored, twins, repeats)
        if _credit_left(len(aux), found) < _credit_left(len(aux), best):
            best = found
    return best


def _credit_left(aux: int, copies: AuxCopies) -> tuple[int, int, int, int]:
    # fewer credited clauses first; among equals, the more mirrors (the stronger reading), twins, repeats
    return copies.credit(aux), -copies.mirrored, -copies.twins, -copies.repeats

