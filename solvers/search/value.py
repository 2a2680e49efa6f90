"""Values estimate how close a search state is to a proof; the beam keeps the states they score best.

`HeuristicValue` measures progress toward the goal by what the saturation of the state derived beyond
the root: facts about the goal's points, segments and lines (weighted by how much of the goal they
touch, and more when they are of the goal's own kind), the number of new facts, and a small cost per
auxiliary construction (shorter proofs first, as in TongGeometry's value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from solvers.search.goals import GoalObjects, pairs_of
from solvers.search.node import SearchState
from tonggeo.facts import Fact

_KINDRED = {
    "cong": frozenset({"cong", "eqratio", "rconst", "midp", "circle"}),
    "eqratio": frozenset({"cong", "eqratio", "rconst", "simtri", "simtri2"}),
    "para": frozenset({"para", "eqangle", "aconst"}),
    "perp": frozenset({"perp", "eqangle", "aconst"}),
    "eqangle": frozenset({"eqangle", "para", "perp", "aconst", "cyclic", "simtri", "simtri2"}),
    "cyclic": frozenset({"cyclic", "eqangle", "circle", "cong"}),
    "coll": frozenset({"coll", "para", "eqangle"}),
    "midp": frozenset({"midp", "cong", "coll", "para"}),
}


@runtime_checkable
class Value(Protocol):
    """Scores a saturated search state: higher is closer to a proof."""

    def score(self, node: SearchState) -> float: ...


@dataclass(frozen=True, slots=True)
class ValueWeights:
    goal_facts: float = 1.0
    """Times log(1 + weighted facts about the goal objects derived since the root)."""
    new_facts: float = 0.3
    """Times log(1 + facts derived since the root)."""
    aux_cost: float = 0.15
    """Cost per auxiliary construction."""
    kindred: float = 1.0
    """Extra weight of a goal fact of a kind that leads to the goal's kind."""
    goal_pair: float = 1.0
    """Extra weight of a fact comparing one of the goal's own segments or lines."""


@dataclass(frozen=True)
class HeuristicValue:
    """See the module docstring; `root_facts` is the number of records of the saturated root."""

    root_facts: int
    weights: ValueWeights = ValueWeights()

    def relevance(self, fact: Fact, goals: GoalObjects, kinds: frozenset[str]) -> float:
        share = goals.overlap(fact.args)
        if share == 0.0:
            return 0.0
        weight = share * share
        if fact.kind in kinds:
            weight *= 1.0 + self.weights.kindred
        if any(goals.touches(p) for p in pairs_of(fact.args)):
            weight += self.weights.goal_pair * share
        return weight

    def score(self, node: SearchState) -> float:
        goals = GoalObjects.of(node.goals)
        kinds = frozenset(k for g in node.goals for k in _KINDRED.get(g.kind, (g.kind,)))
        records = node.state.db.records[self.root_facts :]
        about_goal = sum(self.relevance(r.fact, goals, kinds) for r in records)
        w = self.weights
        return (
            w.goal_facts * math.log1p(about_goal)
            + w.new_facts * math.log1p(len(records))
            - w.aux_cost * len(node.aux)
        )
