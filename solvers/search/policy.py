"""Policies rank the auxiliary constructions worth trying on a state, best first.

The seam (stable; every policy, learned or not, and every wrapper of one goes through it):

    Policy.rank(node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]

- A policy chooses clauses and scores them (higher is better); it never draws on its own: it hands its
  `(clause, score)` pairs, best first, to `solvers.search.expand.draw`, which realises them on the
  node's diagram (renaming new points, dropping undrawable ones and ones on known points) and returns
  `Ranked(clause, coords, score)`.  The search builds children from `Ranked.coords`.
- At most `limit` results, best first; all randomness from `rng` (the search seeds it per task).
- A policy may raise: the search then loses that node's expansion only (`expand.rank`), never the run.
  Model-backed policies catch their server's faults themselves and fall back (`lm_policy`).
- A wrapper (a symmetry prior, the mixed policy) calls the policy it wraps, may re-score and re-order
  its results (`dataclasses.replace(r, score=...)`), drop some, or add clauses drawn through `draw`;
  it keeps `Ranked.mirror` as it found it.
- The learned policy's model is also the proposing walk's ranker (`tonggeo.lm.ranker.ModelRanker`):
  both ask one `tonggeo.lm.proposer.ClauseProposer` for a problem's clauses and scores.

`HeuristicPolicy` scores every symbolic candidate (`tonggeo.candidates.enumerate`) by what it is and
how it touches the goals, in the spirit of the priors of TongGeometry and the heuristics of HAGeo:
midpoints of goal segments, feet from goal points onto goal lines, circumcentres of goal triangles,
reflections across goal lines, meets of lines and circles already drawn.  The best of them are drawn,
and re-ranked by the new incidences their points bring (lines and circles through them that nobody
asked for: the facts a deduction can then use).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import repeat
from typing import TYPE_CHECKING, NamedTuple, Protocol, runtime_checkable

import numpy as np

from solvers.search.coincidence import incidences, new_incidence_weight
from solvers.search.expand import draw
from solvers.search.goals import GoalObjects, Pair
from solvers.search.node import Ranked, SearchState
from tonggeo.candidates.enumerate import CandidateSpec, candidate_specs
from tonggeo.config import DEFAULT_SEARCH, SearchConfig
from tonggeo.constructions.prior import CONSTRUCTION_PRIOR, DEFAULT_PRIOR
from tonggeo.diagram import DiagramError
from tonggeo.diagram.build import realise_clause
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl, centrality
from tonggeo.dsl.parser import default_catalogue
from tonggeo.symmetry.exact import mirror_clause
from tonggeo.symmetry.suggest import search_symmetries

if TYPE_CHECKING:
    from tonggeo.symmetry.learned import LearnedDetector


@runtime_checkable
class Policy(Protocol):
    """Ranks the constructions to try on a search state, best first (at most `limit`), drawn through
    `solvers.search.expand.draw`; draws only from `rng` (see the module docstring)."""

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]: ...


@dataclass(frozen=True, slots=True)
class PolicyWeights:
    """Weights of the heuristic score (prior + goal terms + incidence bonus)."""

    goal_share: float = 1.5
    """Times the share of the construction's inputs that are goal points."""
    goal_points: float = 0.4
    """Per goal point among the inputs."""
    goal_object: float = 1.8
    """Per goal segment/line/triangle the construction is built on (midpoint of a goal segment...)."""
    uses_aux: float = 0.3
    """Building on an auxiliary point already added."""
    structural_share: float = 0.25
    """Share of the ranking (whole blocks of batch_size) ranked for the figure alone, goals ignored."""
    centrality: float = 1.0
    """Times the mean centrality of the inputs (how many clauses of the statement build on each point,
    up to four): the main triangle's vertices before a point used once."""
    incidence: float = 1.2
    """Times log(1 + weighted new incidences of the drawn point)."""
    incidence_goal: float = 0.5
    """Extra weight of an incidence per goal point on it."""
    default_prior: float = DEFAULT_PRIOR
    """Prior of a construction missing from `tonggeo.constructions.prior.CONSTRUCTION_PRIOR`."""


def _call_pairs(call: ConstructionCall, outputs: set[str]) -> list[Pair]:
    """Segments/lines a call is built on: its input points taken two at a time in definition order."""
    args = [a for a in call.args if a not in outputs]
    return [frozenset(args[i : i + 2]) for i in range(0, len(args) - 1, 2) if args[i] != args[i + 1]]


class _Terms(NamedTuple):
    """The goal-free parts of a candidate's prior (computed once per ranking, used for every goal set):
    its constructions' mean prior, its input points, the centrality summed over them, whether it builds
    on an auxiliary point, and `base`, its whole score when no input is a goal point (then every goal
    term is zero: goal segments, lines and triangles are made of goal points).  A named tuple: a
    ranking makes one per candidate, tens of thousands."""

    prior: float
    inputs: frozenset[str]
    size: int
    central: float
    on_aux: bool
    base: float


def _terms(
    spec: CandidateSpec,
    aux: frozenset[str],
    centrality: Mapping[str, float],
    weights: PolicyWeights,
) -> _Terms:
    calls = spec.calls
    default = weights.default_prior
    if len(calls) == 1:
        call = calls[0]
        prior = CONSTRUCTION_PRIOR.get(call.name, default) / 1  # the mean of one: sum([p]) / 1 == p / 1
        inputs = frozenset(call.args).difference(spec.outputs)
    else:
        prior = sum(CONSTRUCTION_PRIOR.get(c.name, default) for c in calls) / len(calls)
        inputs = frozenset(a for c in calls for a in c.args).difference(spec.outputs)
    # centralities are quarters, so the sum is exact in any order of the set
    central = sum(map(centrality.get, inputs, repeat(0.0)))
    size = max(len(inputs), 1)
    on_aux = not inputs.isdisjoint(aux)
    # the goal-free score, summed in `HeuristicPolicy._score`'s order with its zero goal terms left out
    # (adding 0.0 changes no float), so both give the same number
    base = prior + weights.centrality * central / size
    if on_aux:
        base += weights.uses_aux
    return _Terms(prior, inputs, size, central, on_aux, base)


@cache
def _input_positions(name: str) -> tuple[int, ...]:
    """Where a construction's inputs sit among its arguments, in the order of its inputs."""
    construction = default_catalogue()[name]
    return tuple(construction.args.index(a) for a in construction.inputs)


def _goal_objects_used(spec: CandidateSpec, goals: GoalObjects) -> float:
    """How many goal segments, lines and triangles the construction is built on."""
    if not (goals.points or goals.segments or goals.lines or goals.triangles):
        return 0.0
    outputs = set(spec.outputs)
    count = 0.0
    for call in spec.calls:
        name = call.name
        inputs = [call.args[i] for i in _input_positions(name)]
        if name == "foot":  # foot of a on bc: from a goal point onto a goal line
            a, b, c = inputs
            count += 0.5 * (a in goals.points) + goals.touches(frozenset((b, c)))
        elif name in ("circumcenter", "orthocenter", "incenter", "excenter", "centroid"):
            count += frozenset(inputs) in goals.triangles
        elif name == "reflect":
            a, b, c = inputs
            count += 0.5 * (a in goals.points) + 0.5 * goals.touches(frozenset((b, c)))
        else:
            count += sum(goals.touches(p) for p in _call_pairs(call, outputs))
    return count


@dataclass(frozen=True)
class HeuristicPolicy:
    """Symbolic prior + goal terms for every candidate; the best `shortlist_factor * limit` are drawn
    (`expand.draw`, in prior order) and re-ranked with the incidences their points bring."""

    config: SearchConfig = DEFAULT_SEARCH
    weights: PolicyWeights = field(default_factory=PolicyWeights)
    mirror_detector: LearnedDetector | None = None
    """Learned mirror detector: its guesses, re-checked exactly, replace the symmetry search (default off)."""

    def prior(
        self, spec: CandidateSpec, goals: GoalObjects, aux: frozenset[str], centrality: Mapping[str, float]
    ) -> float:
        return self._score(_terms(spec, aux, centrality, self.weights), spec, goals)

    def _score(self, terms: _Terms, spec: CandidateSpec, goals: GoalObjects) -> float:
        """The prior of a candidate for `goals`, from its goal-free terms."""
        if terms.inputs.isdisjoint(goals.points):
            return terms.base
        w = self.weights
        size = terms.size
        on_goal = len(terms.inputs & goals.points)
        score = terms.prior + w.goal_share * on_goal / size + w.goal_points * on_goal
        score += w.goal_object * _goal_objects_used(spec, goals)
        score += w.centrality * terms.central / size
        if terms.on_aux:
            score += w.uses_aux
        return score

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        """Candidates ranked for the goal, with a share of blocks ranked for the figure alone (the
        circumcentre of the main triangle, midpoints of its sides...) mixed in, since the goal's points
        are not always where the missing point hangs."""
        state = node.state
        goals = GoalObjects.of(node.goals)
        aux = node.aux_points
        specs = candidate_specs(state.diagram, config=self.config.candidates)
        central = centrality(state.problem.clauses)
        terms = [_terms(s, aux, central, self.weights) for s in specs]
        shortlist = max(limit * self.config.shortlist_factor, limit)
        structural = round(shortlist * self.weights.structural_share)
        for_goal = self._drawn(node, specs, terms, goals, shortlist - structural, rng, [])
        if structural:
            figure = self._drawn(node, specs, terms, GoalObjects.of(()), structural, rng, for_goal)
            every = max(round((1 - self.weights.structural_share) / self.weights.structural_share), 1)
            ranked = _interleave(for_goal, figure, self.config.batch_size, every)[:limit]
        else:
            ranked = for_goal[:limit]
        return with_mirrors(node, ranked, self.config.mirror_candidates, rng, self.mirror_detector)

    def _drawn(
        self,
        node: SearchState,
        specs: Sequence[CandidateSpec],
        terms: Sequence[_Terms],
        goals: GoalObjects,
        count: int,
        rng: np.random.Generator,
        taken: Sequence[Ranked],
    ) -> list[Ranked]:
        """The best `count` candidates by prior (for `goals`) and incidences, drawn, best first; points
        already among `taken` are skipped."""
        score = self._score
        keys = [(-score(t, s, goals), i) for i, (s, t) in enumerate(zip(specs, terms, strict=True))]
        clauses = ((Clause(tuple(PointDecl(p) for p in specs[i].outputs), specs[i].calls), -neg)
                   for neg, i in _best_first(keys, 2 * count + 64))
        avoid = [z for r in taken for z in r.coords]
        drawn = draw(node, clauses, count, rng, avoid=avoid, config=self.config.candidates)
        points = node.state.diagram.complex_points
        scale = node.state.diagram.radius
        ranked: list[Ranked] = []
        for candidate in drawn:
            clause = candidate.clause
            inputs = {a for call in clause.calls for a in call.args} - set(clause.point_names)
            weight = 0.0
            for z in candidate.coords:
                found = incidences(z, points, scale)
                weight += new_incidence_weight(found, inputs, goals.points, self.weights.incidence_goal)
            bonus = self.weights.incidence * math.log1p(weight)
            ranked.append(replace(candidate, score=candidate.score + bonus))
        ranked.sort(key=lambda r: -r.score)
        return ranked


def _best_first(keys: list[tuple[float, int]], head: int) -> Iterator[tuple[float, int]]:
    """`sorted(keys)`, lazily: the first `head` by a partial sort, the rest sorted only if the caller
    reads past them (drawing reads a few more than it keeps; the keys are distinct, so the order is
    the full sort's)."""
    if len(keys) <= 2 * head:
        yield from sorted(keys)
        return
    first = heapq.nsmallest(head, keys)
    yield from first
    last = first[-1]
    yield from sorted(k for k in keys if k > last)


def with_mirrors(
    node: SearchState,
    ranked: Sequence[Ranked],
    count: int,
    rng: np.random.Generator,
    detector: LearnedDetector | None = None,
) -> list[Ranked]:
    """`ranked` with the first `count` candidates paired with their images under a symmetry of the
    configuration (see `tonggeo.symmetry.exact`), where the image is a different, drawable point."""
    if count <= 0 or not ranked:
        return list(ranked)
    state = node.state
    symmetries = search_symmetries(state, node.goals, detector)
    if not symmetries:
        return list(ranked)
    points = state.diagram.complex_points
    tol = 1e-6 * max(state.diagram.radius, 1e-9)
    out = []
    for k, r in enumerate(ranked):
        partner = None
        for sigma in symmetries if k < count else ():
            image = mirror_clause(r.clause, sigma, list(points))
            if image is None:
                continue
            try:
                new, _ = realise_clause(state.diagram, image, rng, retries=2)
            except DiagramError:
                continue
            coords = tuple(new[p] for p in image.point_names)
            near = [*points.values(), *r.coords]
            if any(abs(z - w) <= tol for z in coords for w in near):
                continue
            partner = Ranked(image, coords, r.score)
            break
        out.append(replace(r, mirror=partner) if partner is not None else r)
    return out


def _interleave(main: Sequence[Ranked], other: Sequence[Ranked], block: int, every: int) -> list[Ranked]:
    """`every` blocks of `main`, then one block of `other`, and so on; the rest of either at the end."""
    out: list[Ranked] = []
    i = j = 0
    while i < len(main) or j < len(other):
        for _ in range(every):
            out.extend(main[i : i + block])
            i += block
        out.extend(other[j : j + block])
        j += block
    return out
