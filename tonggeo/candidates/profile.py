"""What a construction does numerically, found by drawing it on random points: whether its new points
are fixed by its inputs, and which permutations of its arguments give the same construction.

Profiles drive candidate enumeration (midpoint a b == midpoint b a) and the canonical form and
symmetry of problems. Drawings use a fixed seed, so a profile is a deterministic function of the data.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from tonggeo.constructions.catalogue import default_catalogue
from tonggeo.constructions.model import Construction
from tonggeo.constructions.planar import Circle, Degenerate, Line
from tonggeo.constructions.sketch import PRIMITIVES
from tonggeo.diagram.build import realise_clause
from tonggeo.diagram.checks import PredicateError, check_complex
from tonggeo.diagram.model import Diagram, DiagramError, freeze_points
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl, Problem

POINT = "point"
"""Inputs fix the new points (up to a choice between two, e.g. which meet of two circles)."""
LOCUS = "locus"
"""One new point on a line or circle fixed by the inputs (the point itself is free on it)."""
SHAPE = "shape"
"""No inputs: a base shape drawn from nothing (triangle, square, ...)."""
OTHER = "other"
"""Numeric parameters, or preconditions random points do not meet: not probed (identity only)."""

_DRAWS = 4
_TOL = 1e-7
_PROBE_SEED = 0x5EED_0F_C0


@dataclass(frozen=True, slots=True)
class Profile:
    """A construction's numeric behaviour.

    `symmetries` are permutations of the definition's argument positions (identity first): the call
    with its arguments permuted by one of them (`args[s[i]]` at position i) makes the same points.
    """

    name: str
    kind: str
    symmetries: tuple[tuple[int, ...], ...]

    @property
    def order(self) -> int:
        return len(self.symmetries)

    def canonical_args(self, args: Sequence[str], rank: Mapping[str, int] | None = None) -> tuple[str, ...]:
        """The least permuted argument tuple (by `rank` of the names, else by the names)."""
        def key(perm: tuple[int, ...]) -> tuple[object, ...]:
            if rank is None:
                return tuple(args[i] for i in perm)
            return tuple(rank.get(args[i], -1) for i in perm)

        best = min(self.symmetries, key=key)
        return tuple(args[i] for i in best)


def _probe_diagram(names: Sequence[str], rng: np.random.Generator) -> Diagram:
    coords = {n: complex(*rng.uniform(-1.0, 1.0, 2)) for n in names}
    return Diagram(Problem("probe", (), ()), freeze_points(coords), (), (), MappingProxyType(coords))


def _draw(
    construction: Construction, args: Sequence[str], diagram: Diagram, rng: np.random.Generator
) -> dict[str, complex] | None:
    mapping = dict(zip(construction.args, args, strict=True))
    outputs = tuple(mapping[o] for o in construction.outputs)
    clause = Clause(tuple(PointDecl(o) for o in outputs), (ConstructionCall(construction.name, tuple(args)),))
    try:
        new, _ = realise_clause(diagram, clause, rng, retries=3)
    except DiagramError:
        return None
    return new


def _close(p: complex, q: complex) -> bool:
    return abs(p - q) <= _TOL * (1.0 + abs(p))


def _match(drawn: dict[str, complex], options: list[dict[str, complex]]) -> dict[str, str] | None:
    """An output renaming `tau` with drawn[o] == option[tau[o]] for some option, or None."""
    for option in options:
        tau: dict[str, str] = {}
        for name, z in drawn.items():
            hit = [o for o, w in option.items() if _close(z, w)]
            if len(hit) != 1:
                break
            tau[name] = hit[0]
        else:
            if len(set(tau.values())) == len(tau):
                return tau
    return None


def _on_one_curve(points: Sequence[complex]) -> bool:
    """All points on the line or circle through the first three (the first three are not all equal)."""
    a, b, c = points[:3]
    scale = max(abs(p - a) for p in points) + 1e-12
    cross = ((b - a).conjugate() * (c - a)).imag
    if abs(cross) <= 1e-9 * scale * scale:
        d = (b - a) if abs(b - a) > abs(c - a) else (c - a)
        return all(abs(((p - a) * d.conjugate()).imag) <= 1e-7 * scale * abs(d) for p in points)
    ab, ac = b - a, c - a
    centre = a + 1j * (ab * abs(ac) ** 2 - ac * abs(ab) ** 2) / (2 * (ab.conjugate() * ac).imag)
    radius = abs(a - centre)
    return all(abs(abs(p - centre) - radius) <= 1e-7 * (radius + scale) for p in points)


def _point_symmetries(
    construction: Construction, base: list[dict[str, complex]], diagram: Diagram, rng: np.random.Generator
) -> list[tuple[int, ...]]:
    position = {a: i for i, a in enumerate(construction.args)}
    inputs = construction.inputs
    found: list[tuple[int, ...]] = []
    for perm in itertools.permutations(inputs):
        mapping = dict(zip(inputs, perm, strict=True))
        args = tuple(mapping.get(a, a) for a in construction.args)
        tau: dict[str, str] | None = None
        for _ in range(2):
            drawn = _draw(construction, args, diagram, rng)
            got = None if drawn is None else _match(drawn, base)
            if got is None or (tau is not None and got != tau):
                tau = None
                break
            tau = got
        if tau is None:
            continue
        # the call with these arguments names output o what the identity call names tau[o]
        full = {**mapping, **tau}
        found.append(tuple(position[full[a]] for a in construction.args))
        # outputs the construction cannot tell apart (the two tangent points from a point): renaming
        # them keeps every stated fact true and the same set of points
        for outs in itertools.permutations(construction.outputs):
            if outs != construction.outputs:
                swap = dict(zip(construction.outputs, outs, strict=True))
                renamed = {v: swap.get(w, w) for v, w in full.items()}
                drawings = [{**diagram.complex_points, **b} for b in base]
                if _facts_hold(construction, renamed, drawings):
                    found.append(tuple(position[renamed[a]] for a in construction.args))
    return found


def _facts_hold(
    construction: Construction, mapping: Mapping[str, str], drawings: list[dict[str, complex]]
) -> bool:
    """Every stated fact of the construction, its variables renamed by `mapping`, holds in each drawing."""
    facts = construction.all_facts()
    try:
        return all(
            check_complex(f.name, tuple(mapping.get(a, a) for a in f.args), d)
            for d in drawings
            for f in facts
        )
    except PredicateError:
        return False


def _locus_symmetries(
    construction: Construction, base: list[dict[str, complex]], diagram: Diagram, rng: np.random.Generator
) -> list[tuple[int, ...]]:
    (out,) = construction.outputs
    position = {a: i for i, a in enumerate(construction.args)}
    reference = [d[out] for d in base]
    found: list[tuple[int, ...]] = []
    for perm in itertools.permutations(construction.inputs):
        mapping = dict(zip(construction.inputs, perm, strict=True))
        args = tuple(mapping.get(a, a) for a in construction.args)
        drawn = [_draw(construction, args, diagram, rng) for _ in range(_DRAWS)]
        if any(d is None for d in drawn):
            continue
        if _on_one_curve(reference + [d[out] for d in drawn if d is not None]):
            found.append(tuple(position[mapping.get(a, a)] for a in construction.args))
    return found


def _shape_symmetries(construction: Construction, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """Output permutations under which every stated fact of the shape still holds numerically."""
    position = {a: i for i, a in enumerate(construction.args)}
    drawings = [d for d in (_draw(construction, construction.args, _probe_diagram((), rng), rng)
                            for _ in range(_DRAWS)) if d is not None]
    if not drawings:
        return []
    found: list[tuple[int, ...]] = []
    for perm in itertools.permutations(construction.args):
        mapping = dict(zip(construction.args, perm, strict=True))
        if perm == construction.args or _facts_hold(construction, mapping, drawings):
            found.append(tuple(position[mapping[a]] for a in construction.args))
    return found


def probe(construction: Construction, seed: int = _PROBE_SEED) -> Profile:
    """The profile of one construction, by drawing it on random points (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    identity = tuple(range(construction.arity))
    if construction.params:
        return Profile(construction.name, OTHER, (identity,))
    if not construction.inputs:
        found = _shape_symmetries(construction, rng)
        return Profile(construction.name, SHAPE, _identity_first(found, identity))
    for _ in range(_DRAWS):
        diagram = _probe_diagram(construction.inputs, rng)
        base = [d for d in (_draw(construction, construction.args, diagram, rng) for _ in range(2 * _DRAWS))
                if d is not None]
        if len(base) >= _DRAWS:
            break
    else:
        return Profile(construction.name, OTHER, (identity,))
    distinct: list[dict[str, complex]] = []
    for drawn in base:
        if _match(drawn, distinct) is None:
            distinct.append(drawn)
    if len(distinct) <= 2:
        found = _point_symmetries(construction, distinct, diagram, rng)
        return Profile(construction.name, POINT, _identity_first(found, identity))
    if _single_locus(construction, diagram, rng):
        found = _locus_symmetries(construction, base, diagram, rng)
        return Profile(construction.name, LOCUS, _identity_first(found, identity))
    return Profile(construction.name, OTHER, (identity,))


def _single_locus(construction: Construction, diagram: Diagram, rng: np.random.Generator) -> bool:
    """One new point whose sketch is one primitive giving a line or circle (intersectable with others)."""
    if len(construction.outputs) != 1 or len(construction.sketch) != 1:
        return False
    (step,) = construction.sketch
    primitive = PRIMITIVES.get(step.primitive)
    if primitive is None:
        return False
    try:
        out = primitive(rng, tuple(diagram.complex_points[a] for a in step.args), ())
    except (Degenerate, KeyError, ValueError):
        return False
    return isinstance(out, Line | Circle)


def _identity_first(found: list[tuple[int, ...]], identity: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    rest = sorted(set(found) - {identity})
    return (identity, *rest)


@functools.cache
def profile_of(name: str) -> Profile:
    """The profile of a construction of the built-in catalogue (computed once per process)."""
    return probe(default_catalogue()[name])
