"""A search state: the saturated DDAR state with the auxiliary clauses the search added to it."""

from __future__ import annotations

from dataclasses import dataclass

from tonggeo.ddar import State
from tonggeo.dsl.ast import Clause
from tonggeo.facts import Fact


@dataclass(frozen=True, slots=True)
class Ranked:
    """A candidate clause, where it was drawn (`solvers.search.expand.draw`), and the policy's score
    for it (higher is better)."""

    clause: Clause
    coords: tuple[complex, ...]
    score: float
    mirror: Ranked | None = None
    """The candidate's image under a symmetry of the configuration (tried together with it), if any."""


@dataclass(slots=True)
class SearchState:
    """`state` is saturated (as far as its budget allowed); its statement ends with `aux`, the clauses
    the search added, in order.  `goals` are the facts to prove."""

    state: State
    aux: tuple[Clause, ...]
    goals: tuple[Fact, ...]

    @property
    def aux_points(self) -> frozenset[str]:
        return frozenset(p for clause in self.aux for p in clause.point_names)

    @property
    def statement_points(self) -> frozenset[str]:
        return frozenset(self.state.diagram.points) - self.aux_points

    def proved(self) -> bool:
        return all(self.state.db.holds(g) for g in self.goals)
