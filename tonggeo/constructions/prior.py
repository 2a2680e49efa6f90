"""How often each construction makes a good new point, before looking at the problem: one table, read by
the search's heuristic policy (`solvers.search.policy.HeuristicPolicy`, averaged over a clause's calls)
and by proposing's prior ranker (`tonggeo.propose.rankers.PriorRanker`, a clause's first call).

Meets of existing objects are named by their calls (two `on_line` calls are a meet of two lines); the
AlphaGeometry catalogue's `intersection_*` constructions name some meets in one call.  A construction
missing from the table weighs `DEFAULT_PRIOR`.  The numbers are the search's (they drive solving: change
them only with a search benchmark run, see BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CONSTRUCTION_PRIOR: Mapping[str, float] = MappingProxyType(
    {
        "midpoint": 3.0,
        "foot": 2.6,
        "circumcenter": 2.6,
        "orthocenter": 1.8,
        "mirror": 2.0,
        "reflect": 2.0,
        "parallelogram": 1.6,
        "incenter": 1.4,
        "excenter": 1.2,
        "intersection_ll": 2.2,
        "intersection_lc": 2.0,
        "intersection_cc": 1.8,
        "intersection_lt": 1.4,
        "intersection_lp": 1.2,
        "on_line": 2.2,
        "on_circle": 1.8,
        "on_circum": 1.8,
        "shift": 1.0,
        "centroid": 1.0,
        "incenter2": 0.8,
        "excenter2": 0.7,
        "ninepoints": 0.6,
        "tangent": 0.6,
        "eq_triangle": 0.5,
        "psquare": 0.5,
        "nsquare": 0.5,
        "cc_tangent0": 0.3,
        "cc_tangent": 0.3,
        "trisect": 0.3,
        "trisegment": 0.3,
        "simtri": 0.3,
        "simtrir": 0.3,
    }
)
"""Relative weight of each construction as a new point (higher: tried or drawn sooner)."""

DEFAULT_PRIOR = 0.5
"""Weight of a construction missing from `CONSTRUCTION_PRIOR`."""


def construction_prior(name: str) -> float:
    """The weight of construction `name` (`DEFAULT_PRIOR` when the table does not list it)."""
    return CONSTRUCTION_PRIOR.get(name, DEFAULT_PRIOR)
