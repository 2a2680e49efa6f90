"""A problem being solved: its diagram, the diagram's numeric model and the database of what is known.

`fork` gives an independent copy that shares the parent's immutable parts (diagram, numeric model, fact
records) and, copy-on-write, the classes and algebraic tables (`writer.fork`), and `extend` draws one
more clause (an auxiliary construction) on a fork and adds what it states, so a search can branch from a
saturated state instead of starting again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from tonggeo.config import DEFAULT_DDAR, DdarConfig
from tonggeo.ddar import writer
from tonggeo.ddar.database import Database
from tonggeo.ddar.numeric import NumericModel, numeric_holds
from tonggeo.ddar.premises import Premise, PremiseError, clause_premises, problem_premises
from tonggeo.diagram import Diagram
from tonggeo.dsl import Clause, Problem
from tonggeo.facts import Fact
from tonggeo.facts.justification import Given


@dataclass(slots=True)
class State:
    """The problem (its statement grows with `extend`), its diagram, numeric model and database."""

    problem: Problem
    diagram: Diagram
    numeric: NumericModel
    db: Database
    config: DdarConfig = DEFAULT_DDAR

    @property
    def points(self) -> dict[str, tuple[float, float]]:
        return {k: (float(v[0]), float(v[1])) for k, v in self.diagram.points.items()}

    def fork(self) -> State:
        """An independent copy: facts added to it do not reach this state, nor facts added here it."""
        return State(self.problem, self.diagram, self.numeric, writer.fork(self.db), self.config)

    def extend(self, clause: Clause, rng: np.random.Generator) -> State:
        """A fork with `clause` drawn on the diagram and its facts added (it joins the statement, so
        proofs of the child cite it as given).  Raises DiagramError if the clause cannot be drawn."""
        from tonggeo.diagram.build import extend_diagram

        diagram = extend_diagram(self.diagram, clause, rng)
        child = self.fork()
        numeric = NumericModel(list(diagram.points), diagram.points, self.config)
        kept = numeric.points[: self.numeric.n] == self.numeric.points
        if kept:
            # the existing points did not move: what the matcher read off the diagram still holds
            numeric.match_cache.update(self.numeric.match_cache)
        writer.add_points(child.db, numeric)
        if kept:
            child.db.watch_points(self.numeric.n)  # delta matching while nothing new is known about them
        child.diagram = diagram
        child.numeric = numeric
        child.problem = dataclasses.replace(self.problem, clauses=(*self.problem.clauses, clause))
        _add_premises(child.db, numeric, clause_premises(clause))
        return child


def _premise_true(numeric: NumericModel, fact: Fact) -> bool:
    pts = [numeric.index[a] for a in fact.args]
    value = getattr(fact, "value", None)
    return numeric_holds(numeric, fact.kind, pts, value)


def _add_premises(db: Database, numeric: NumericModel, premises: Iterable[Premise]) -> None:
    for premise in premises:
        if not _premise_true(numeric, premise.fact):
            raise PremiseError(f"{premise.call}: stated fact {premise.fact} is false in the diagram")
        writer.add(db, premise.fact, Given(premise.call))


def initial_state(problem: Problem, rng: np.random.Generator, *, config: DdarConfig = DEFAULT_DDAR) -> State:
    """Build the diagram of `problem` (its clauses as given: call `with_aux()` first to include aux
    clauses) and a database holding the statement's facts."""
    from tonggeo.diagram import build_diagram

    return state_of(problem, build_diagram(problem, rng), config=config)


def state_of(problem: Problem, diagram: Diagram, *, config: DdarConfig = DEFAULT_DDAR) -> State:
    """A fresh state (a database holding only the statement's facts) on a diagram already drawn for
    `problem`'s clauses."""
    numeric = NumericModel(list(diagram.points), diagram.points, config)
    db = writer.new_database(numeric, algebra=config.use_algebra)
    _add_premises(db, numeric, problem_premises(problem))
    return State(problem, diagram, numeric, db, config)
