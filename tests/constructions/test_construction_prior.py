"""One construction prior (tonggeo.constructions.prior): the search policy and proposing ranker read it."""

from __future__ import annotations

import numpy as np

import solvers.search.policy as search_policy
from solvers.search.goals import GoalObjects
from solvers.search.policy import HeuristicPolicy, PolicyWeights
from tonggeo.candidates.enumerate import CandidateSpec
from tonggeo.constructions import default_catalogue
from tonggeo.constructions.prior import CONSTRUCTION_PRIOR, DEFAULT_PRIOR, construction_prior
from tonggeo.dsl.ast import ConstructionCall
from tonggeo.propose.rankers import PriorRanker


def test_every_weighted_construction_is_in_the_catalogue() -> None:
    catalogue = default_catalogue()
    assert not [name for name in CONSTRUCTION_PRIOR if name not in catalogue]
    assert all(weight > 0 for weight in CONSTRUCTION_PRIOR.values())
    assert construction_prior("midpoint") == CONSTRUCTION_PRIOR["midpoint"]
    assert construction_prior("no_such_construction") == DEFAULT_PRIOR


def test_search_and_proposing_read_the_same_table() -> None:
    assert search_policy.CONSTRUCTION_PRIOR is CONSTRUCTION_PRIOR
    assert PolicyWeights().default_prior == DEFAULT_PRIOR
    ranker = PriorRanker()
    assert ranker.prior is CONSTRUCTION_PRIOR and ranker.default == DEFAULT_PRIOR


def test_the_search_prior_term_is_the_mean_weight_of_the_calls() -> None:
    # nothing on the goals, no centrality: the score is the prior alone
    lone = CandidateSpec("midpoint", "m", (ConstructionCall("midpoint", ("x", "a", "b")),), ("x",))
    calls = (ConstructionCall("on_line", ("x", "a", "b")), ConstructionCall("on_circle", ("x", "o", "c")))
    meet = CandidateSpec("meet", "lc", calls, ("x",))
    policy = HeuristicPolicy()
    none = GoalObjects.of(())
    assert policy.prior(lone, none, frozenset(), {}) == CONSTRUCTION_PRIOR["midpoint"]
    expected = (CONSTRUCTION_PRIOR["on_line"] + CONSTRUCTION_PRIOR["on_circle"]) / 2
    assert np.isclose(policy.prior(meet, none, frozenset(), {}), expected)
