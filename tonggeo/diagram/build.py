"""The one generic diagram builder: applies any construction through its sketch primitives.

For each clause: check the calls' preconditions, run their sketch steps, then either take placed points
or intersect the loci of all calls (sampling a random point when there is a single locus), reject
degenerate draws, and verify every fact the constructions declare. A failing clause is redrawn a few
times, then the whole problem is redrawn with the same rng, up to `max_attempts`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType

import numpy as np

from tonggeo.config import DEFAULT_NUMERIC, NumericConfig
from tonggeo.constructions.catalogue import default_catalogue
from tonggeo.constructions.planar import Circle, Degenerate, Shape, Tolerance, meet
from tonggeo.constructions.sketch import Placed
from tonggeo.diagram.checks import PredicateError, check_complex
from tonggeo.diagram.model import Diagram, DiagramError, Locus, freeze_points
from tonggeo.diagram.plan import ClausePlan, PlanError, compile_problem
from tonggeo.diagram.plan import chiral as chiral_plan
from tonggeo.dsl.ast import Clause, Problem

NEGATIVE_PRECONDITIONS = frozenset({"ncoll", "npara", "nperp", "diff"})


class _Frame:
    """Centre and radius of the points built so far."""

    __slots__ = ("centre", "radius")

    def __init__(self, coords: dict[str, complex]) -> None:
        pts = list(coords.values())
        if not pts:
            self.centre, self.radius = 0j, 1.0
            return
        self.centre = sum(pts) / len(pts)
        self.radius = max(max(abs(p - self.centre) for p in pts), 1e-6)


def _sample(shape: Shape, rng: np.random.Generator, frame: _Frame, cfg: NumericConfig) -> complex:
    """A random point of a single locus, near the points built so far."""
    if isinstance(shape, Circle):
        t = rng.uniform(-math.pi, math.pi)
        return shape.center + shape.radius * complex(math.cos(t), math.sin(t))
    span = cfg.sample_spread * max(frame.radius, 0.5)
    if shape.lo == -math.inf:
        return shape.at(shape.param(frame.centre) + rng.uniform(-span, span))
    if shape.hi == math.inf:
        return shape.at(shape.lo + rng.uniform(0.15, 1.5) * span)
    return shape.at(shape.lo + (shape.hi - shape.lo) * rng.uniform(0.1, 0.9))


class _Choices:
    """The two-candidate choices of one drawing, numbered in build order: those in `flips` take the other
    candidate than the rng picks (the rng is consumed alike, so the rest of the drawing is the same)."""

    __slots__ = ("count", "flips")

    def __init__(self, flips: frozenset[int]) -> None:
        self.flips = flips
        self.count = 0

    def flipped(self) -> bool:
        """Whether the next choice is flipped (and count it)."""
        self.count += 1
        return self.count - 1 in self.flips


def _intersect(
    shapes: Sequence[Shape],
    coords: dict[str, complex],
    rng: np.random.Generator,
    frame: _Frame,
    cfg: NumericConfig,
    choices: _Choices | None = None,
) -> complex:
    """A common point of all loci, avoiding existing points (random choice among two candidates, flipped
    where `choices` says)."""
    tol = cfg.rel_tol * frame.radius
    meet_tol = Tolerance(cfg.parallel_tol, cfg.touch_tol, cfg.tangent_tol)
    last: Degenerate | None = None
    for i, j in itertools.combinations(range(len(shapes)), 2):
        try:
            candidates = meet(shapes[i], shapes[j], meet_tol)
        except Degenerate as exc:
            last = exc
            continue
        others = [s for k, s in enumerate(shapes) if k not in (i, j)]
        candidates = [c for c in candidates if all(s.distance(c) <= tol * 10 for s in others)]
        if not candidates:
            raise Degenerate("the loci of the clause have no common point")
        near = cfg.coincide_tol * frame.radius
        fresh = [c for c in candidates if all(abs(c - p) > near for p in coords.values())]
        if not fresh:
            raise Degenerate("the loci of the clause meet only at existing points")
        if len(fresh) == 1:
            return fresh[0]
        first = rng.random() < 0.5
        if choices is not None and choices.flipped():
            first = not first
        return fresh[0] if first else fresh[1]
    assert last is not None
    raise last


def _realise(
    clause: ClausePlan,
    coords: dict[str, complex],
    rng: np.random.Generator,
    cfg: NumericConfig,
    margin: NumericConfig,
    choices: _Choices | None = None,
    mirror: bool = False,
) -> tuple[dict[str, complex], list[Locus]]:
    """New points of one clause (raises `Degenerate` when this draw is unusable); with `mirror` a base shape
    (points placed from no input points) is placed as its mirror image."""
    shapes: dict[str, list[tuple[Shape, str]]] = {p: [] for p in clause.points}
    placed: dict[str, complex] = {}
    for call in clause.calls:
        for name, args in call.preconditions:
            strict = margin if name in NEGATIVE_PRECONDITIONS else cfg
            if not check_complex(name, args, coords, strict):
                raise Degenerate(f"precondition '{name} {' '.join(args)}' of '{call.text}' does not hold")
        for step in call.steps:
            out = step.primitive(rng, tuple(coords[n] for n in step.points), step.values)
            if isinstance(out, Placed):
                if mirror and not step.points:
                    out = Placed(tuple(z.conjugate() for z in out.points))
                for name, z in zip(call.outputs, out.points, strict=True):
                    placed.setdefault(name, z)
            elif len(call.outputs) == 1:
                shapes[call.outputs[0]].append((out, call.text))
            else:
                raise Degenerate(f"'{call.text}' gives one locus for several points")
    frame = _Frame(coords)
    new: dict[str, complex] = {}
    loci: list[Locus] = []
    for name in clause.points:
        own = shapes[name]
        loci.extend(Locus(name, text, shape) for shape, text in own)
        if name in clause.fixed:
            new[name] = clause.fixed[name]
        elif name in placed:
            new[name] = placed[name]
            if any(s.distance(new[name]) > cfg.rel_tol * 10 * frame.radius for s, _ in own):
                raise Degenerate(f"point {name} is not on all of its loci")
        elif own:
            only = [s for s, _ in own]
            if len(only) == 1:
                new[name] = _sample(only[0], rng, frame, cfg)
            else:
                new[name] = _intersect(only, coords, rng, frame, cfg, choices)
        else:
            raise Degenerate(f"no construction of the clause places point {name}")
    _validate(clause, new, coords, frame, cfg)
    merged = {**coords, **new}
    for call in clause.calls:
        for name, args in call.facts:
            if not check_complex(name, args, merged, cfg):
                raise Degenerate(f"'{name} {' '.join(args)}' (from '{call.text}') does not hold numerically")
    return new, loci


def _validate(
    clause: ClausePlan, new: dict[str, complex], coords: dict[str, complex], frame: _Frame, cfg: NumericConfig
) -> None:
    if coords:
        scale = frame.radius
    elif len(new) > 1:
        scale = max(abs(p - q) for p, q in itertools.combinations(new.values(), 2))
    else:
        scale = 1.0
    min_gap = cfg.min_separation * scale
    seen = dict(coords)
    for name, z in new.items():
        if not (math.isfinite(z.real) and math.isfinite(z.imag)) or abs(z) > cfg.max_extent:
            raise Degenerate(f"point {name} lies far outside the drawing")
        if coords and abs(z - frame.centre) > cfg.far_factor * max(frame.radius, 1.0):
            raise Degenerate(f"point {name} lies far outside the drawing")
        gap = min_gap if name not in clause.fixed else 1e-9 * scale
        for other, w in seen.items():
            if abs(z - w) <= gap:
                raise Degenerate(f"point {name} (nearly) coincides with {other}")
        seen[name] = z


def _false_goal(problem: Problem, coords: dict[str, complex], config: NumericConfig) -> str | None:
    """The first goal numerically false in `coords` (goals that cannot be checked here are skipped:
    e.g. ones naming auxiliary points when those are not built; `check_goal` reports them)."""
    for goal in problem.goals:
        try:
            holds = check_complex(goal.name, goal.args, coords, config)
        except PredicateError:
            continue
        if not holds:
            return goal.to_text()
    return None


def build_diagram(
    problem: Problem,
    rng: np.random.Generator,
    *,
    include_aux: bool = False,
    max_attempts: int | None = None,
    require_goals: bool = True,
    config: NumericConfig = DEFAULT_NUMERIC,
    flips: frozenset[int] = frozenset(),
    mirror: bool = False,
) -> Diagram:
    """Numeric coordinates for every point of `problem` (and of its auxiliary clauses if `include_aux`).

    A problem's text may leave choices open (which of two intersections, which side of a line); as in
    AlphaGeometry, its goals settle them: with `require_goals` a drawing where a goal is numerically
    false is redrawn. Raises `DiagramError` naming the clause (or goal) that kept failing and why.

    The drawing's two-candidate choices are numbered in build order (`Diagram.choices` counts them); the
    ones in `flips` take the other candidate, with the rng consumed alike: the same seed with different
    flips draws the other configurations of the same free points.

    With `mirror` the base shapes (points placed from nothing) are placed as their mirror images, the rng
    consumed alike. For a text whose primitives all commute with a reflection that is the same figure in
    the other orientation; for a `chiral` text (a turn by +90 degrees, a square on one side) it is its
    other figure, which no drawing of the same orientation shows.
    """
    try:
        plan = compile_problem(problem, default_catalogue(), include_aux)
    except PlanError as exc:
        raise DiagramError(problem.name, exc.clause, exc.reason) from None
    margin = replace(config, rel_tol=config.degenerate_tol, angle_tol=config.degenerate_tol)
    attempts = max_attempts if max_attempts is not None else config.max_attempts
    # the failure reported is the one that got furthest (a false goal beats a failing clause)
    failure, progress = ("", "no attempt was made"), -1
    for _ in range(max(attempts, 1)):
        coords: dict[str, complex] = {}
        loci: list[Locus] = []
        choices = _Choices(flips)
        ok = True
        for index, clause in enumerate(plan):
            mark = choices.count
            for _retry in range(config.clause_retries):
                choices.count = mark  # a redrawn clause makes its choices again, under the same numbers
                try:
                    new, new_loci = _realise(clause, coords, rng, config, margin, choices, mirror)
                except Degenerate as exc:
                    if index >= progress:
                        failure, progress = (clause.text, str(exc)), index
                    continue
                coords.update(new)
                loci.extend(new_loci)
                break
            else:
                ok = False
                break
        if ok and require_goals:
            false_goal = _false_goal(problem, coords, config)
            if false_goal is not None:
                failure = (false_goal, f"goal '{false_goal}' is numerically false in every drawing tried")
                progress = len(plan)
                ok = False
        if ok:
            aux = tuple(p for c in plan if c.aux for p in c.points)
            return Diagram(problem, freeze_points(coords), aux, tuple(loci), MappingProxyType(coords),
                           choices=choices.count)
    raise DiagramError(problem.name, failure[0], failure[1])


def chiral(problem: Problem, *, include_aux: bool = False) -> bool:
    """Whether `problem`'s clauses (and its aux with `include_aux`) use a primitive that does not commute
    with a reflection (`tonggeo.constructions.sketch.CHIRAL`): then `build_diagram` with `mirror` draws
    another figure of the text. Raises `DiagramError` naming a clause the builder cannot compile."""
    try:
        return chiral_plan(problem, default_catalogue(), include_aux)
    except PlanError as exc:
        raise DiagramError(problem.name, exc.clause, exc.reason) from None


def realise_clause(
    diagram: Diagram,
    clause: Clause,
    rng: np.random.Generator,
    *,
    retries: int | None = None,
    config: NumericConfig = DEFAULT_NUMERIC,
) -> tuple[dict[str, complex], tuple[Locus, ...]]:
    """Coordinates of `clause`'s new points over an existing diagram, without rebuilding it.

    The clause is drawn as `build_diagram` draws it (preconditions, loci, degeneracy, declared facts),
    up to `retries` times (default: the config's `clause_retries`). Raises `DiagramError` naming the
    clause when every draw fails, e.g. when a new point coincides with an existing one.
    """
    try:
        (plan,) = compile_problem(Problem(diagram.problem.name, (clause,), ()), default_catalogue(), False)
    except PlanError as exc:
        raise DiagramError(diagram.problem.name, exc.clause, exc.reason) from None
    known = set(diagram.points)
    clash = [p for p in plan.points if p in known]
    if clash:
        raise DiagramError(diagram.problem.name, plan.text, f"point(s) {' '.join(clash)} already exist")
    margin = replace(config, rel_tol=config.degenerate_tol, angle_tol=config.degenerate_tol)
    coords = dict(diagram.complex_points)
    reason = "no attempt was made"
    for _ in range(max(retries if retries is not None else config.clause_retries, 1)):
        try:
            new, loci = _realise(plan, coords, rng, config, margin)
        except Degenerate as exc:
            reason = str(exc)
        except KeyError as exc:
            raise DiagramError(diagram.problem.name, plan.text, f"unknown point {exc}") from None
        else:
            return new, tuple(loci)
    raise DiagramError(diagram.problem.name, plan.text, reason)


def extend_diagram(
    diagram: Diagram,
    clause: Clause,
    rng: np.random.Generator,
    *,
    aux: bool = False,
    retries: int | None = None,
    config: NumericConfig = DEFAULT_NUMERIC,
) -> Diagram:
    """`diagram` with one more clause drawn on top of it (earlier points keep their coordinates).

    The clause joins the problem's statement, or its auxiliary clauses with `aux`. Goals are not
    re-checked; `choices` stays the diagram's (the clause's own two-candidate choices take the first).
    Raises `DiagramError` as `realise_clause` does.
    """
    new, loci = realise_clause(diagram, clause, rng, retries=retries, config=config)
    old = diagram.problem
    if aux:
        problem = Problem(old.name, old.clauses, old.goals, (*old.aux, clause), old.span)
        aux_points = diagram.aux_points + clause.point_names
    else:
        problem = Problem(old.name, (*old.clauses, clause), old.goals, old.aux, old.span)
        aux_points = diagram.aux_points
    coords = {**diagram.complex_points, **new}
    return Diagram(problem, freeze_points(coords), aux_points, diagram.loci + loci, MappingProxyType(coords),
                   choices=diagram.choices)
