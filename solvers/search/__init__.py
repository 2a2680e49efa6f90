"""Auxiliary-construction beam search on top of DDAR: policies rank constructions, values score states,
children reuse their parent's saturated database, workers build them in parallel."""

from solvers.search.beam import BeamOutcome, BeamSearch, SearchStats
from solvers.search.node import SearchState
from solvers.search.policy import HeuristicPolicy, Policy, Ranked
from solvers.search.strategy import SearchSolver
from solvers.search.value import HeuristicValue, Value

__all__ = [
    "BeamOutcome",
    "BeamSearch",
    "HeuristicPolicy",
    "HeuristicValue",
    "Policy",
    "Ranked",
    "SearchSolver",
    "SearchState",
    "SearchStats",
    "Value",
]
