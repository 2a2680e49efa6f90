"""The construction walk: from a base configuration, add constructions one at a time, each using a
point made by the previous step; in a symmetric walk each construction comes with its mirror image
under a label involution of the base, so the statement keeps that symmetry.

The walk only draws: deduction happens afterwards on its final diagram (`tonggeo.propose.extract`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from tonggeo.candidates.enumerate import Candidate, clause_key, fresh_names, iter_candidates
from tonggeo.candidates.profile import profile_of
from tonggeo.config import DEFAULT_PROPOSE, ProposeConfig
from tonggeo.diagram import Diagram, DiagramError, build_diagram, extend_diagram
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl
from tonggeo.dsl.parser import default_catalogue
from tonggeo.propose.bases import base_problem
from tonggeo.symmetry.exact import map_call, statement_symmetries


class CandidateRanker(Protocol):
    """Orders candidate constructions for a diagram, best first (a heuristic or learned policy).  The
    learned one, `tonggeo.lm.ranker.ModelRanker`, orders by the clauses and scores of the same
    `tonggeo.lm.proposer.ClauseProposer` that search's `LMPolicy` draws from: one model serves both."""

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> Sequence[Candidate]: ...


@dataclass(frozen=True, slots=True)
class WalkStep:
    """One step: the chosen clause, then its mirror image if it has one (same family and key)."""

    clauses: tuple[Clause, ...]
    family: str
    key: str


@dataclass(frozen=True)
class Walk:
    """A walk so far: its base, its diagram (statement = base + every step), the steps, the label
    involution it keeps (None for a plain walk), the drawing's matching isometry (None if the drawing
    is not symmetric), and the points the last step made (the next step must use one)."""

    base: str
    diagram: Diagram
    steps: tuple[WalkStep, ...]
    mirror: Mapping[str, str] | None
    iso: Isometry | None
    last: frozenset[str]


def _involutions(symmetries: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    return [dict(s) for s in symmetries if all(s[s[p]] == p for p in s)]


def _output_map(call: ConstructionCall, image: ConstructionCall) -> dict[str, str] | None:
    """If `image` (the call with its inputs mapped) is `call` again up to argument symmetry, the
    matching of its new points to the call's new points; else None."""
    if image.name != call.name:
        return None
    construction = default_catalogue()[call.name]
    out_positions = {i for i, a in enumerate(construction.args) if a in construction.outputs}
    for s in profile_of(call.name).symmetries:
        if all(image.args[s[i]] == call.args[i] for i in range(len(call.args)) if i not in out_positions):
            return {image.args[s[i]]: call.args[i] for i in out_positions}
    return None


def _mirror(
    diagram: Diagram, clause: Clause, mirror: dict[str, str]
) -> tuple[Clause | None, dict[str, str]] | None:
    """The mirror image of a clause under `mirror` and the involution extended to its new points.

    Returns (None, extended) when the clause is its own image, None when it cannot be mirrored.
    """
    new = clause.point_names
    images = tuple(map_call(c, mirror) for c in clause.calls)
    rank = {p: i for i, p in enumerate(diagram.points)}
    if clause_key(images, rank) == clause_key(clause.calls, rank):
        if len(clause.calls) == 1:
            outputs = _output_map(clause.calls[0], images[0])
            if outputs is None:
                return None
        else:
            outputs = {p: p for p in new}
        return None, {**mirror, **outputs}
    twins = fresh_names(set(diagram.points) | set(new), len(new))
    rename = dict(zip(new, twins, strict=True))
    calls = tuple(ConstructionCall(c.name, tuple(rename.get(a, a) for a in c.args)) for c in images)
    extended = {**mirror, **rename, **{t: p for p, t in rename.items()}}
    return Clause(tuple(PointDecl(t) for t in twins), calls), extended


@dataclass(frozen=True, slots=True)
class Isometry:
    """z -> a*z + b, or a*conj(z) + b when `flip` (|a| = 1)."""

    a: complex
    b: complex
    flip: bool

    def __call__(self, z: complex) -> complex:
        return self.a * (z.conjugate() if self.flip else z) + self.b


def isometry_of(coords: Mapping[str, complex], sigma: Mapping[str, str], tol: float) -> Isometry | None:
    """The plane isometry taking every point p to sigma(p), if the drawing has one (else None)."""
    names = list(coords)
    if len(names) < 2:
        return None
    p, q = max(((a, b) for i, a in enumerate(names) for b in names[i + 1:]),
               key=lambda ab: abs(coords[ab[0]] - coords[ab[1]]))
    zp, zq = coords[p], coords[q]
    wp, wq = coords[sigma.get(p, p)], coords[sigma.get(q, q)]
    for flip in (False, True):
        dz = (zq - zp).conjugate() if flip else zq - zp
        a = (wq - wp) / dz
        t = Isometry(a, wp - a * (zp.conjugate() if flip else zp), flip)
        if all(abs(t(coords[n]) - coords[sigma.get(n, n)]) <= tol for n in names):
            return t
    return None


def _symmetric_draw(
    diagram: Diagram, sigma: Mapping[str, str], iso: Isometry | None, points: Sequence[str]
) -> bool:
    if iso is None:
        return True
    coords = diagram.complex_points
    tol = 1e-6 * max(diagram.radius, 1e-9)
    return all(abs(iso(coords[p]) - coords[sigma[p]]) <= tol for p in points)


def _apply(
    diagram: Diagram,
    candidate: Candidate,
    mirror: dict[str, str] | None,
    iso: Isometry | None,
    rng: np.random.Generator,
) -> tuple[Diagram, tuple[Clause, ...], dict[str, str] | None] | None:
    """The diagram with the candidate (and its mirror image) drawn; in a drawing with a symmetry the
    images must land where the symmetry puts them (a few redraws settle two-way choices)."""
    new = candidate.points
    for _ in range(4):
        try:
            grown = extend_diagram(diagram, candidate.clause, rng)
            if mirror is None:
                return grown, (candidate.clause,), None
            mirrored = _mirror(diagram, candidate.clause, mirror)
            if mirrored is None:
                return None
            twin, extended = mirrored
            clauses = (candidate.clause,) if twin is None else (candidate.clause, twin)
            if twin is not None:
                grown = extend_diagram(grown, twin, rng)
        except DiagramError:
            continue
        if _symmetric_draw(grown, extended, iso, new):
            return grown, clauses, extended
    return None


def start_walk(
    base: str, rng: np.random.Generator, *, symmetric: bool = False, config: ProposeConfig = DEFAULT_PROPOSE
) -> Walk:
    """A walk of no steps: the base drawn, and with `symmetric` one of its label involutions kept (one
    the drawing has, if any: mirror images then coincide with reflected points, the source of facts
    that need a construction to see)."""
    problem = base_problem(base)
    diagram = build_diagram(problem, rng, require_goals=False)
    mirror: dict[str, str] | None = None
    iso: Isometry | None = None
    if symmetric and config.mirror_pairs:
        choices = _involutions(statement_symmetries(problem.clauses))
        tol = 1e-6 * max(diagram.radius, 1e-9)
        drawn = [(c, isometry_of(diagram.complex_points, c, tol)) for c in choices]
        numeric = [(c, t) for c, t in drawn if t is not None]
        pool = numeric or drawn
        if pool:
            mirror, iso = pool[int(rng.integers(len(pool)))]
    return Walk(base, diagram, (), mirror, iso, frozenset(diagram.points))


def extend_walk(
    walk: Walk,
    rng: np.random.Generator,
    steps: int,
    *,
    chained: bool = True,
    ranker: CandidateRanker | None = None,
    config: ProposeConfig = DEFAULT_PROPOSE,
) -> Walk:
    """`steps` more steps (fewer if no candidate applies); `walk` itself is unchanged, so one trunk can
    be continued several ways. With `chained` each step uses a point the previous step made; without,
    any points (a branch trying constructions that may serve the trunk's facts)."""
    diagram, mirror, last = walk.diagram, (None if walk.mirror is None else dict(walk.mirror)), walk.last
    done = list(walk.steps)
    for _ in range(steps):
        if len(diagram.points) >= config.max_walk_points:
            break
        found = iter_candidates(diagram, rng, must_use=last if chained else None, shuffle=True,
                                config=config.candidates)
        sample = list(itertools.islice(found, config.sample))
        if not sample:
            break
        ordered = list(ranker.rank(diagram, sample, rng)) if ranker is not None else sample
        for candidate in ordered:
            applied = _apply(diagram, candidate, mirror, walk.iso, rng)
            if applied is not None:
                diagram, clauses, mirror = applied
                done.append(WalkStep(clauses, candidate.family, candidate.key))
                last = frozenset(p for clause in clauses for p in clause.point_names)
                break
        else:
            break
    return Walk(walk.base, diagram, tuple(done), mirror, walk.iso, last)


def random_walk(
    base: str,
    rng: np.random.Generator,
    *,
    depth: int | None = None,
    symmetric: bool = False,
    ranker: CandidateRanker | None = None,
    config: ProposeConfig = DEFAULT_PROPOSE,
) -> Walk:
    """Walk `depth` steps from `base` (fewer if no candidate applies). With `symmetric`, a label
    involution of the base is kept (a plain walk if the base has none)."""
    walk = start_walk(base, rng, symmetric=symmetric, config=config)
    return extend_walk(walk, rng, config.depth if depth is None else depth, ranker=ranker, config=config)


def branches(
    walk: Walk,
    rng: np.random.Generator,
    count: int,
    *,
    ranker: CandidateRanker | None = None,
    must_use: Collection[str] | None = None,
    config: ProposeConfig = DEFAULT_PROPOSE,
) -> Iterator[Walk]:
    """Up to `count` one-step continuations of `walk`, each with a different construction over any of
    its points, or naming one of `must_use`: candidate auxiliary constructions. In a symmetric walk each
    is drawn with its mirror image when `config.branch_twins`; otherwise alone, and a construction whose
    mirror image was already branched is skipped (its branch would be that one's mirror image)."""
    found = iter_candidates(walk.diagram, rng, must_use=must_use, shuffle=True, config=config.candidates)
    sample = list(itertools.islice(found, 3 * count))
    ordered = list(ranker.rank(walk.diagram, sample, rng)) if ranker is not None else sample
    mirror = dict(walk.mirror) if walk.mirror is not None and config.branch_twins else None
    skip = walk.mirror if mirror is None else None  # drawn alone: the images of tried branches are skipped
    rank = {p: i for i, p in enumerate(walk.diagram.points)}
    tried: set[str] = set()
    made = 0
    for candidate in ordered:
        if made >= count:
            break
        calls = candidate.clause.calls
        if skip is not None and clause_key(tuple(map_call(c, skip) for c in calls), rank) in tried:
            continue
        applied = _apply(walk.diagram, candidate, mirror, walk.iso, rng)
        if applied is None:
            continue
        diagram, clauses, extended = applied
        made += 1
        if skip is not None:
            tried.add(clause_key(calls, rank))
        step = WalkStep(clauses, candidate.family, candidate.key)
        last = frozenset(p for clause in clauses for p in clause.point_names)
        iso = None if extended is None else walk.iso
        yield Walk(walk.base, diagram, (*walk.steps, step), extended, iso, last)
