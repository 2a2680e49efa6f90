"""Rankers for the walk's candidate constructions: uniform (the plain random walk) or weighted by a prior
over construction kinds, so walks favour the constructions olympiad figures are made of."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from tonggeo.candidates.enumerate import Candidate
from tonggeo.constructions.prior import CONSTRUCTION_PRIOR, DEFAULT_PRIOR
from tonggeo.diagram import Diagram
from tonggeo.symmetry.prior_bias import SymmetricRanker

# The prior ranker draws a construction kind with the odds of `tonggeo.constructions.prior` (one table with
# the search's policy: what makes a good auxiliary point makes a good next step of a figure), as they are:
# no transformation.  A two-call clause counts as its first call's kind (the search averages its calls).
DEFAULT_WEIGHT = 0.4
"""Odds of a construction kind missing from `AUX_PRIOR`."""

# odds for branches (auxiliary constructions tried against a state's hard facts, mostly ratios and angles):
# parallels through a point, centres and midpoints unlock most (measured over random branches)
AUX_PRIOR: Mapping[str, float] = MappingProxyType(
    {
        "intersection_lp": 4.0,
        "centroid": 4.0,
        "circumcenter": 3.0,
        "orthocenter": 3.0,
        "midpoint": 3.0,
        "mirror": 2.0,
        "parallelogram": 2.0,
        "foot": 1.5,
        "intersection_lc": 1.0,
        "intersection_lt": 1.0,
    }
)


class RandomRanker:
    """Every candidate equally likely first."""

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        return [candidates[i] for i in rng.permutation(len(candidates))]


class PriorRanker:
    """Candidates in a random order drawn with odds proportional to their kind's prior (Gumbel top-k)."""

    def __init__(self, prior: Mapping[str, float] = CONSTRUCTION_PRIOR, default: float = DEFAULT_PRIOR):
        self.prior = prior
        self.default = default

    def weight(self, candidate: Candidate) -> float:
        return self.prior.get(candidate.clause.calls[0].name, self.default)

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        noise = rng.gumbel(size=len(candidates))
        keys = [math.log(self.weight(c)) + g for c, g in zip(candidates, noise, strict=True)]
        order = sorted(range(len(candidates)), key=lambda i: -keys[i])
        return [candidates[i] for i in order]


class AuxRanker(PriorRanker):
    """The prior ranker with the odds of auxiliary constructions (`AUX_PRIOR`)."""

    def __init__(self) -> None:
        super().__init__(AUX_PRIOR, DEFAULT_WEIGHT)


def symmetric_ranker() -> SymmetricRanker:
    """The prior ranker biased toward candidates predicted to keep the drawing's mirror symmetry
    (`tonggeo.symmetry.prior_bias`)."""
    return SymmetricRanker(PriorRanker())


RANKERS: Mapping[str, Callable[[], RandomRanker | PriorRanker | SymmetricRanker]] = MappingProxyType(
    {"random": RandomRanker, "prior": PriorRanker, "aux": AuxRanker, "symmetric": symmetric_ranker}
)
