"""The learned geometric prior as a policy feature: `PriorPolicy` wraps a policy (the heuristic by
default), asks it for a longer shortlist, scores each candidate with the prior
(`tonggeo.symmetry.prior`: invariant features of the candidate's point w.r.t. the figure, plus the base
policy's own score and rank) and merges the two orders: the prior's best and the base policy's best
alternate, so every candidate the base policy would have tried early is still tried early.  Mirrors
(`Ranked.mirror`) are kept as the base policy found them; with `--prior` the base policy's mirror
candidates come from the learned detector's guesses, each re-checked exactly against the saturated
database before use (`tonggeo.symmetry.suggest`): a wrong guess costs time, never soundness.

`heuristic_pool` is the same ranking on a problem's root, for labelling proposing's records and for
the prior's benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from solvers.search.node import Ranked, SearchState
from solvers.search.policy import HeuristicPolicy, Policy
from tonggeo.config import DEFAULT_SEARCH, SearchConfig
from tonggeo.ddar import initial_state
from tonggeo.ddar.premises import split_goals
from tonggeo.dsl.ast import Problem
from tonggeo.symmetry.prior import (
    CHECKPOINT,
    DegenerateFigure,
    Figure,
    PriorModel,
    PriorUnavailable,
    load_prior,
    symmetries_of,
)


def figure_of(node: SearchState) -> Figure | None:
    """What the prior reads of the node's figure; None for a drawing it cannot read (neutral prior)."""
    problem = node.state.problem
    points = node.state.diagram.complex_points
    try:
        return Figure.of(points, problem.clauses, problem.goals, node.aux_points, symmetries_of(points))
    except DegenerateFigure:
        return None


@dataclass(frozen=True)
class PriorPolicy:
    """`base`'s candidates re-ordered by the prior: the base's first `keep_first` stay first (the first
    batch the search builds), then the prior's ranking and the base's alternate; `pool_factor` times
    `limit` candidates of the base are scored.  The shipped prior is weaker than the heuristic at the very
    top of its order and stronger further down (top-8 hits 15 vs 16 of 50, top-16 30 vs 23 on the
    proposing test split: `tonggeo/symmetry/checkpoints/prior.md`), hence the kept block.

    `pool_factor` is 1 by default: the prior re-orders the base's own shortlist and draws nothing more.
    A longer pool (1.5 until this was measured) made every ranking draw and realise half as many
    candidates again: on problems/newclid/examples.txt roots, 1.35 s instead of 1.03 s per ranking (the
    prior's own scoring: 0.07-0.1 s), and at equal wall-clock budget a search that builds 25 children in
    30 s spends that on ranking instead of children."""

    prior: PriorModel | None
    """None: the neutral prior (the base's order)."""
    base: Policy = field(default_factory=HeuristicPolicy)
    pool_factor: float = 1.0
    keep_first: int = DEFAULT_SEARCH.batch_size

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        pool = self.base.rank(node, max(limit, round(limit * self.pool_factor)), rng)
        if not pool:
            return []
        if self.prior is None:
            return pool[:limit]
        probs = self.prior.score(figure_of(node), [(r.clause, r.coords, r.score) for r in pool])
        head = list(range(min(self.keep_first, len(pool))))
        rest = range(len(head), len(pool))
        by_prior = sorted(rest, key=lambda k: (-probs[k], k))
        order = [*head, *merge(by_prior, list(rest))][:limit]
        # the merged order, written into the scores (higher is better) for whoever sorts by them
        return [replace(pool[k], score=float(len(order) - i) + probs[k]) for i, k in enumerate(order)]


def merge(first: Sequence[int], second: Sequence[int]) -> list[int]:
    """`first[0], second[0], first[1], second[1]...`, each index once."""
    out: list[int] = []
    seen: set[int] = set()
    for a, b in zip(first, second, strict=True):
        for k in (a, b):
            if k not in seen:
                seen.add(k)
                out.append(k)
    return out


def prior_policy(
    base: Policy | None = None,
    config: SearchConfig = DEFAULT_SEARCH,
    checkpoint: Path = CHECKPOINT,
    learned_mirrors: bool = True,
) -> tuple[PriorPolicy, str | None]:
    """`base` (default: the heuristic policy) wrapped by the prior at `checkpoint`, and a warning naming
    the file when it is missing or corrupt (the prior is then neutral: the base's order).  With
    `learned_mirrors`, the heuristic's mirror candidates come from the learned detector's guesses first,
    each re-checked exactly (the exact symmetry search when it has none, or cannot load)."""
    warning = None
    try:
        prior: PriorModel | None = load_prior(checkpoint)
    except PriorUnavailable as exc:
        prior, warning = None, f"{exc}; the prior is neutral (the heuristic's order)"
    detector = None
    if base is None and learned_mirrors:
        from tonggeo.symmetry.learned import LearnedDetector, ModelUnavailable

        try:
            detector = LearnedDetector.load()
        except ModelUnavailable:
            detector = None
    return PriorPolicy(prior, base or HeuristicPolicy(config, mirror_detector=detector)), warning


def heuristic_pool(
    problem: Problem, rng: np.random.Generator, limit: int = 64, config: SearchConfig = DEFAULT_SEARCH
) -> tuple[SearchState, list[Ranked]]:
    """The heuristic policy's ranking of `limit` candidates on the problem's (unsaturated) root, without
    mirror candidates: the candidates a search offers first.  Raises DiagramError/PremiseError."""
    state = initial_state(problem, rng)
    goals, _ = split_goals(problem.goals, state.diagram.complex_points)
    node = SearchState(state, (), tuple(goals))
    policy = HeuristicPolicy(replace(config, mirror_candidates=0))
    return node, policy.rank(node, limit, rng)
