"""Candidate constructions over a diagram: every applicable construction call of the catalogue on the
existing points, plus the meets of the figure's lines and circles, realised numerically.

Each candidate is a DSL clause (`e = midpoint e a b`) that prints and parses back. A call is enumerated
once per orbit of its construction's argument symmetries (midpoint a b == midpoint b a), and a new
point is produced once: candidates landing on an existing point or on an earlier candidate's points
are dropped, as are degenerate ones (the diagram builder rejects them).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from tonggeo.candidates.objects import Figure, FigureCircle, FigureLine, figure_of
from tonggeo.candidates.profile import POINT, profile_of
from tonggeo.config import DEFAULT_CANDIDATES, DEFAULT_NUMERIC, CandidateConfig, NumericConfig
from tonggeo.constructions.catalogue import default_catalogue
from tonggeo.diagram.build import realise_clause
from tonggeo.diagram.model import Diagram, DiagramError
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl

_NEW = "\0new"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed clause, the family that proposed it, its canonical key, its new points' coordinates.

    `key` names the construction up to argument symmetry with the new points left out
    (`midpoint a b`), so the same call over the same points has the same key in every state.
    """

    clause: Clause
    family: str
    key: str
    coords: tuple[complex, ...]

    @property
    def points(self) -> tuple[str, ...]:
        return self.clause.point_names

    def to_text(self) -> str:
        return self.clause.to_text()


@dataclass(frozen=True, slots=True)
class CandidateSpec:
    """A symbolic candidate (not yet realised): its family, canonical key, calls and new point names."""

    family: str
    key: str
    calls: tuple[ConstructionCall, ...]
    outputs: tuple[str, ...]


def fresh_names(taken: Collection[str], count: int) -> tuple[str, ...]:
    """`count` point names not in `taken`: a..z, then a1..z1, a2..z2, ..."""
    out: list[str] = []
    for round_ in itertools.count():
        suffix = "" if round_ == 0 else str(round_)
        for letter in "abcdefghijklmnopqrstuvwxyz":
            name = letter + suffix
            if name not in taken:
                out.append(name)
                if len(out) == count:
                    return tuple(out)
    raise AssertionError("unreachable")


def call_key(call: ConstructionCall, rank: Mapping[str, int]) -> str:
    """`name args` up to the construction's argument symmetries, new points written `_`.

    `rank` orders point names (unknown names, i.e. the new points, all rank first and print as `_`).
    """
    args = call.args
    outputs = {args[i] for i in _output_positions(call.name)}
    # `Profile.canonical_args` on the ranks: the first symmetry whose permuted ranks are least
    ranks = [rank.get(a, -1) for a in args]
    best = min(profile_of(call.name).symmetries, key=lambda perm: tuple(map(ranks.__getitem__, perm)))
    return " ".join((call.name, *("_" if a in outputs else a for a in map(args.__getitem__, best))))


@cache
def _output_positions(name: str) -> tuple[int, ...]:
    """The argument positions of a construction's new points."""
    construction = default_catalogue()[name]
    return tuple(i for i, a in enumerate(construction.args) if a in construction.outputs)


def clause_key(calls: Sequence[ConstructionCall], rank: Mapping[str, int]) -> str:
    return ", ".join(sorted(call_key(c, rank) for c in calls))


def _generic_specs(
    points: Sequence[str], must_use: frozenset[str] | None, config: CandidateConfig
) -> Iterator[CandidateSpec]:
    """Every point-fixing construction of the catalogue over tuples of existing points (one-point,
    few-input constructions first, so a midpoint is proposed as a midpoint, not as part of a centroid).

    Each tuple's key is `call_key`'s, computed on ranks: `points` are ranked by position, so a call's
    key is the least of its argument ranks permuted by the construction's symmetries (outputs rank -1);
    the key's text is built only for the first tuple of each orbit."""
    catalogue = default_catalogue()
    excluded = set(config.exclude)
    ordered = sorted(catalogue.values(), key=lambda c: (len(c.outputs), len(c.inputs)))
    rank = {p: i for i, p in enumerate(points)}
    wanted = None if must_use is None else {rank[p] for p in must_use if p in rank}
    named = (*points, "_")  # a rank's name; an output's rank -1 prints as `_`
    pick = named.__getitem__
    for construction in ordered:
        name = construction.name
        k = len(construction.inputs)
        if name in excluded or not 1 <= k <= config.max_inputs or construction.params:
            continue
        profile = profile_of(name)
        if profile.kind != POINT:
            continue
        outputs = fresh_names(rank, len(construction.outputs))
        # argument position -> input position (k: an output, ranked -1 at the end of each tuple)
        source = [construction.inputs.index(a) if a in construction.inputs else k for a in construction.args]
        getters = [operator.itemgetter(*(source[i] for i in perm)) for perm in profile.symmetries]
        if wanted is None:
            reps: Iterable[Orbit] = _orbit_reps(name, len(points), k, getters)
        else:
            reps = _first_of_orbits(itertools.permutations(range(len(points)), k), getters, wanted)
        # each argument: an input's place in the tuple, or k + an output's place among the outputs
        args = [source[i] if source[i] < k else k + construction.outputs.index(a)
                for i, a in enumerate(construction.args)]
        for combo, best in reps:
            ext = (*map(pick, combo), *outputs)
            call = ConstructionCall(name, tuple(map(ext.__getitem__, args)))
            yield CandidateSpec("construction", f"{name} {' '.join(map(pick, best))}", (call,), outputs)


Getter = Callable[[tuple[int, ...]], tuple[int, ...]]
Orbit = tuple[tuple[int, ...], tuple[int, ...]]
"""An orbit's first input tuple (ranks) and its least image under the symmetries."""


def _first_of_orbits(
    combos: Iterable[tuple[int, ...]], getters: Sequence[Getter], wanted: set[int] | None
) -> Iterator[Orbit]:
    """The input tuples (ranks) that come first in their orbit under the symmetries, each with its
    least image (`best`, outputs ranked -1 at the end), in the order of `combos`."""
    seen: set[tuple[int, ...]] = set()
    for combo in combos:
        if wanted is not None and wanted.isdisjoint(combo):
            continue
        ext = (*combo, -1)
        best = min(get(ext) for get in getters)
        if best in seen:
            continue
        seen.add(best)
        yield combo, best


_ORBITS: dict[tuple[str, int], tuple[Orbit, ...]] = {}
_ORBIT_SIZES = 8
"""Point counts whose orbit representatives are kept (some 40,000 of them at 18 points)."""


def _orbit_reps(name: str, n: int, k: int, getters: Sequence[Getter]) -> tuple[Orbit, ...]:
    """`_first_of_orbits` over every k-tuple of the ranks 0..n-1: it depends on the construction and n
    alone, so it is computed once per process."""
    found = _ORBITS.get((name, n))
    if found is None:
        if len({size for _, size in _ORBITS}) >= _ORBIT_SIZES and all(size != n for _, size in _ORBITS):
            _ORBITS.clear()  # bounded memory: at most a few point counts are kept
        combos = itertools.permutations(range(n), k)
        found = _ORBITS[(name, n)] = tuple(_first_of_orbits(combos, getters, None))
    return found


_GenericKey = tuple[tuple[str, ...], frozenset[str] | None, CandidateConfig]
_GENERIC_CACHE: dict[_GenericKey, tuple[CandidateSpec, ...]] = {}
_GENERIC_CACHE_SIZE = 6
"""Point lists kept (an 18-point list holds some 40,000 specs)."""


def generic_specs(
    points: tuple[str, ...], must_use: frozenset[str] | None, config: CandidateConfig
) -> tuple[CandidateSpec, ...]:
    """`_generic_specs` with points ranked by position, remembered for the last few point lists: they
    depend on the point names alone (not the drawing), and a search ranks many states whose points are
    named alike (siblings of one parent).  The specs are frozen, so the same tuple is handed out."""
    key = (points, must_use, config)
    found = _GENERIC_CACHE.pop(key, None)
    if found is None:
        found = tuple(_generic_specs(points, must_use, config))
        while len(_GENERIC_CACHE) >= _GENERIC_CACHE_SIZE:
            del _GENERIC_CACHE[next(iter(_GENERIC_CACHE))]
    _GENERIC_CACHE[key] = found  # most recently used last
    return found


def _line_call(x: str, line: FigureLine) -> ConstructionCall:
    return ConstructionCall("on_line", (x, line.points[0], line.points[1]))


def _circle_call(x: str, circle: FigureCircle) -> ConstructionCall:
    if circle.centre is not None:
        return ConstructionCall("on_circle", (x, circle.centre, circle.points[0]))
    return ConstructionCall("on_circum", (x, *circle.points[:3]))


def _figure_specs(
    family: str, figure: Figure, points: Sequence[str], config: NumericConfig
) -> Iterator[tuple[ConstructionCall, ...]]:
    """Calls (new point `_NEW`, renamed later) meeting the figure's lines and circles."""
    x = _NEW
    if family == "lines":
        for l1, l2 in itertools.combinations(figure.lines, 2):
            if not set(l1.points) & set(l2.points) and not l1.parallel(l2, config.parallel_tol):
                yield (ConstructionCall("intersection_ll", (x, *l1.points[:2], *l2.points[:2])),)
    elif family == "line_circle":
        for line in figure.lines:
            for circle in figure.circles:
                shared = [p for p in line.points if p in circle.points]
                if len(shared) >= 2:
                    continue
                if shared and circle.centre is not None:
                    other = next(p for p in line.points if p != shared[0])
                    yield (ConstructionCall("intersection_lc", (x, other, circle.centre, shared[0])),)
                else:
                    yield (_line_call(x, line), _circle_call(x, circle))
    elif family == "circles":
        for c1, c2 in itertools.combinations(figure.circles, 2):
            shared = [p for p in c1.points if p in c2.points]
            if len(shared) >= 2:
                continue
            if shared and c1.centre is not None and c2.centre is not None and c1.centre != c2.centre:
                yield (ConstructionCall("intersection_cc", (x, c1.centre, c2.centre, shared[0])),)
            else:
                yield (_circle_call(x, c1), _circle_call(x, c2))
    elif family in ("parallel", "perpendicular"):
        name = "intersection_lp" if family == "parallel" else "intersection_lt"
        for target in figure.lines:
            for through in points:
                if through in target.points:
                    continue
                for direction in figure.lines:
                    if family == "parallel":
                        if direction is target or through in direction.points:
                            continue
                        if target.parallel(direction, config.parallel_tol):
                            continue
                    elif target.perpendicular(direction, config.parallel_tol):
                        continue
                    args = (x, *target.points[:2], through, *direction.points[:2])
                    yield (ConstructionCall(name, args),)
    else:
        raise ValueError(f"unknown candidate family {family!r}")


def _named_figure_specs(
    family: str,
    figure: Figure,
    points: Sequence[str],
    rank: Mapping[str, int],
    wanted: frozenset[str] | None,
    excluded: set[str],
    numeric: NumericConfig,
) -> Iterator[CandidateSpec]:
    (new,) = fresh_names(rank, 1)
    memo = _figure_memo(tuple(points))
    for calls in _figure_specs(family, figure, points, numeric):
        if any(c.name in excluded for c in calls):
            continue
        if wanted is not None and not any(a in wanted for c in calls for a in c.args):
            continue
        spec = memo.get((family, calls))
        if spec is None:
            named = tuple(ConstructionCall(c.name, tuple(new if a == _NEW else a for a in c.args))
                          for c in calls)
            spec = memo[(family, calls)] = CandidateSpec(family, clause_key(named, rank), named, (new,))
        yield spec


_FIGURE_MEMO: dict[tuple[str, ...], dict[tuple[str, tuple[ConstructionCall, ...]], CandidateSpec]] = {}
_FIGURE_MEMO_SIZE = 4


def _figure_memo(points: tuple[str, ...]) -> dict[tuple[str, tuple[ConstructionCall, ...]], CandidateSpec]:
    """The specs named so far over this point list, by family and calls: a spec's new point name and
    key depend on the point names alone, while the calls come from the drawing (kept for the last few
    point lists; a search ranks many states whose points are named alike)."""
    memo = _FIGURE_MEMO.pop(points, None)
    if memo is None or len(memo) > 100_000:
        memo = {}
        while len(_FIGURE_MEMO) >= _FIGURE_MEMO_SIZE:
            del _FIGURE_MEMO[next(iter(_FIGURE_MEMO))]
    _FIGURE_MEMO[points] = memo
    return memo


def candidate_specs(
    diagram: Diagram,
    *,
    must_use: Collection[str] | None = None,
    config: CandidateConfig = DEFAULT_CANDIDATES,
    numeric: NumericConfig = DEFAULT_NUMERIC,
) -> list[CandidateSpec]:
    """The symbolic candidates (not yet realised), one per key, in family order."""
    points = tuple(diagram.points)
    rank = {p: i for i, p in enumerate(points)}
    wanted = None if must_use is None else frozenset(must_use)
    specs: list[CandidateSpec] = []
    seen: set[str] = set()
    figure: Figure | None = None
    excluded = set(config.exclude)
    for family in config.families:
        found: Iterable[CandidateSpec]
        if family == "construction":
            found = generic_specs(points, wanted, config)
        else:
            figure = figure if figure is not None else figure_of(diagram, numeric)
            found = _named_figure_specs(family, figure, points, rank, wanted, excluded, numeric)
        for spec in found:
            if spec.key not in seen:
                seen.add(spec.key)
                specs.append(spec)
    return specs


class _PositionIndex:
    """Points seen so far on a grid of cell `tol`: `add` says whether all given points were new."""

    def __init__(self, tol: float) -> None:
        self.tol = tol
        self.cells: dict[tuple[int, int], list[complex]] = {}

    def _near(self, z: complex) -> bool:
        i, j = round(z.real / self.tol), round(z.imag / self.tol)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                if any(abs(z - w) <= self.tol for w in self.cells.get((i + di, j + dj), ())):
                    return True
        return False

    def seen_all(self, zs: Sequence[complex]) -> bool:
        return all(self._near(z) for z in zs)

    def add(self, zs: Sequence[complex]) -> None:
        for z in zs:
            self.cells.setdefault((round(z.real / self.tol), round(z.imag / self.tol)), []).append(z)


def iter_candidates(
    diagram: Diagram,
    rng: np.random.Generator,
    *,
    must_use: Collection[str] | None = None,
    shuffle: bool = False,
    config: CandidateConfig = DEFAULT_CANDIDATES,
    numeric: NumericConfig = DEFAULT_NUMERIC,
) -> Iterator[Candidate]:
    """Realised candidates, lazily: each new point once, never on an existing point.

    `must_use`: only calls naming at least one of these points. `shuffle`: visit the symbolic
    candidates in random order (for sampling a few without realising all of them).
    """
    specs = candidate_specs(diagram, must_use=must_use, config=config, numeric=numeric)
    if shuffle:
        order = rng.permutation(len(specs))
        specs = [specs[i] for i in order]
    return realise_specs(diagram, specs, rng, config=config, numeric=numeric)


def realise_specs(
    diagram: Diagram,
    specs: Iterable[CandidateSpec],
    rng: np.random.Generator,
    *,
    config: CandidateConfig = DEFAULT_CANDIDATES,
    numeric: NumericConfig = DEFAULT_NUMERIC,
) -> Iterator[Candidate]:
    """`specs` realised in the given order (e.g. a policy's), lazily: each new point once, never on an
    existing point or an earlier candidate's points; degenerate ones are skipped."""
    index = _PositionIndex(config.position_tol * max(diagram.radius, 1e-9))
    index.add(list(diagram.complex_points.values()))
    for spec in specs:
        clause = Clause(tuple(PointDecl(p) for p in spec.outputs), spec.calls)
        try:
            new, _ = realise_clause(diagram, clause, rng, retries=1, config=numeric)
        except DiagramError:
            continue
        coords = tuple(new[p] for p in spec.outputs)
        if index.seen_all(coords):
            continue
        index.add(coords)
        yield Candidate(clause, spec.family, spec.key, coords)


def enumerate_candidates(
    diagram: Diagram,
    rng: np.random.Generator,
    *,
    must_use: Collection[str] | None = None,
    limit: int | None = None,
    config: CandidateConfig = DEFAULT_CANDIDATES,
    numeric: NumericConfig = DEFAULT_NUMERIC,
) -> list[Candidate]:
    """All realised candidates over `diagram` (at most `limit`, in family order)."""
    found = iter_candidates(diagram, rng, must_use=must_use, config=config, numeric=numeric)
    return list(itertools.islice(found, limit))
