"""The fresh-drawing check of an aux problem before it is emitted: on drawings other than the walk's (each
seeded by the statement and aux text), the goal holds numerically, the statement saturated alone reaches
its fixpoint without deriving it, and the statement with the aux proves it.

"Proves it" is settled cheaply first: the walk's own proof, replayed by the independent checker in the
fresh drawing's configuration, is a proof there. Only when that replay fails (the proof leans on an
order or side condition of the walk's drawing) is the statement's saturation continued with the aux until
the goal is derived.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

import numpy as np

from tonggeo.diagram import DiagramError, build_diagram, check_goal
from tonggeo.diagram.model import Diagram
from tonggeo.dsl.ast import Problem
from tonggeo.dsl.parser import parse_problem
from tonggeo.facts import Fact, make_fact
from tonggeo.proof import Proof, check_proof, proof_from_json
from tonggeo.propose.deduce import Deduction, deduce, restrict
from tonggeo.propose.select import Trials

Key = tuple[tuple[str, ...], tuple[str, ...], int]
"""(statement clauses, aux clauses, check number)."""


@dataclass(slots=True)
class Drawing:
    """One fresh drawing of a statement and its aux: the statement saturated alone to its fixpoint, and the
    continuation with the aux (made only when a proof replay does not settle a goal; stopped at the goal
    it was made for, or at its fixpoint)."""

    diagram: Diagram
    alone: Deduction
    helped: Deduction | None = None


class FreshDrawings:
    """The checks, with each drawing and its saturations made once for every goal over one figure."""

    def __init__(self, trials: Trials) -> None:
        self.trials = trials
        """The walk's saturations: their settings (config, DDAR config, rules, CPU budget) and cache."""
        self.drawings: dict[Key, Drawing | None] = {}
        """By (statement, aux, check): None when the figure could not be drawn."""
        self.replays = 0
        """Goals settled by replaying the walk's proof (no continuation saturated for them)."""

    def check(self, text: str, name: str, goal_text: str, proof_json: str = "") -> bool:
        """Whether the aux problem `text` (goal `goal_text`, the walk's proof `proof_json` if any) is what
        it claims on `config.redraw_checks` fresh drawings."""
        problem = parse_problem(text, name)
        kind, *tokens = goal_text.split()
        goal = make_fact(kind, tuple(tokens))
        proof = proof_from_json(json.loads(proof_json)) if proof_json else None
        for k in range(self.trials.config.redraw_checks):
            drawing = self._drawing(problem, k)
            if drawing is None or not check_goal(drawing.diagram, problem.goals[0]):
                return False
            if not drawing.alone.complete or drawing.alone.db.holds(goal):
                return False
            if not self._proved(problem, drawing, goal, proof):
                return False
        return True

    def _drawing(self, problem: Problem, k: int) -> Drawing | None:
        key = (tuple(c.to_text() for c in problem.clauses), tuple(c.to_text() for c in problem.aux), k)
        if key not in self.drawings:
            digest = hashlib.sha256(repr(key).encode()).digest()
            rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
            try:
                figure = Problem(problem.name, problem.clauses, (), problem.aux)
                diagram = build_diagram(figure, rng, include_aux=True, require_goals=False)
            except DiagramError:
                self.drawings[key] = None
                return None
            trials = self.trials
            alone = deduce(restrict(diagram, problem.clauses), seconds=trials.seconds(), config=trials.ddar,
                           rules=trials.rules)
            self.drawings[key] = Drawing(diagram, alone)
        return self.drawings[key]

    def _proved(self, problem: Problem, drawing: Drawing, goal: Fact, proof: Proof | None) -> bool:
        if proof is not None:
            coords = drawing.diagram.points
            here = {p: (float(coords[p][0]), float(coords[p][1])) for p in coords}
            if check_proof(replace(proof, points=here), problem.with_aux(), self.trials.rules).ok:
                self.replays += 1
                return True
        # the trials' goal-directed continuation (re-run when it stopped at another goal; keyed by the fresh
        # drawing's coordinates, so apart from the walk's own trials)
        helped = drawing.helped = self.trials.extend(drawing.alone, drawing.diagram,
                                                     (*problem.clauses, *problem.aux), goal)
        return helped.db.holds(goal)
