"""The fresh-drawing check of an aux problem before it is emitted: on drawings other than the walk's (each
seeded by the statement's text), the goal holds numerically, the statement saturated alone reaches
its fixpoint without deriving it, and the statement with the aux proves it.

"Proves it" is settled cheaply first: the walk's own proof, replayed by the independent checker in the
fresh drawing's configuration, is a proof there. Only when that replay fails (the proof leans on an
order or side condition of the walk's drawing) is the statement's saturation continued with the aux until
the goal is derived.

A text with two-candidate constructions (two circles, a line and a circle) has several configurations, and
a random drawing of it may land in any of them (the goal settles the ones where it is false). So the
first fresh drawing is also redrawn with its choices flipped (`ProposeConfig.redraw_configurations`):
wherever the goal holds, the aux must prove it there as well, by the same replay or else by saturating
the statement with the aux from scratch until the goal.

A fresh drawing is the statement's own, drawn alone, with the aux drawn on top of it. Drawn together, a
failing aux clause makes the builder start over with new free points, so the drawings would avoid the
statement's shapes and configurations where the aux collapses (say a foot onto an existing point), and
there the statement alone may derive the goal: a drawing the validator's `solve` of the statement alone
does visit. Where the aux cannot be drawn on the statement's drawing, the aux checks use statement and aux
drawn together. The statement alone must not derive the goal in any of its own drawings where the goal
holds, nor in the first one's configurations with its choices flipped (`_statement_configurations`,
`ProposeConfig.alone_configurations` of them).

A chiral text (`tonggeo.diagram.chiral`: a turn by +90 degrees, a square on one side) has two figures, one
per orientation of its base shapes: drawn over a mirrored triangle, a point turned by +90 degrees lands on
the other side of it, where no mirror image of the first figure puts it. A random drawing may be either,
and a DDAR route may hold in one only (a collinearity the turn gives on one side). So the first fresh
drawing of a chiral text is also drawn with its base shapes mirrored (`ProposeConfig.redraw_mirror`), and
checked as a configuration: the aux must prove the goal there, and the statement alone (when it is chiral
itself) must not derive it.

A text without choices still has shapes: a foot on a side or beyond its vertex, an acute or an obtuse apex.
A DDAR route may hold in one of them only (a similarity that needs both triangles turning one way), and two
random drawings can both land in the walk's shape. So each fresh drawing after the first is the most
different of `ProposeConfig.redraw_candidates` drawings of the statement by order type (`_pick`,
`tonggeo.propose.ordertype`): the checks then see another shape wherever the statement has one.

`scratch` is the last check, on a share of the figures (`ProposeConfig.scratch_share`): the statement and
aux saturated together from scratch on the first fresh drawing, as `tonggeo solve` does, must derive the
goal. The cheap checks above cannot see a fact the engine derives only in one order (an incomplete
read-back of its tables); this one does, at the cost of one saturation per figure (shared by every goal
over it).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from tonggeo.diagram import DiagramError, build_diagram, check_goal, chiral, extend_diagram
from tonggeo.diagram.model import Diagram
from tonggeo.dsl.ast import Problem
from tonggeo.dsl.parser import parse_problem
from tonggeo.facts import Fact, parse_fact
from tonggeo.proof import Proof, check_proof, proof_from_json
from tonggeo.propose.deduce import Deduction, deduce, restrict
from tonggeo.propose.ordertype import most_different, order_type
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
        self.flipped: dict[tuple[Key, frozenset[int], bool], Diagram | None] = {}
        """Other configurations of the first fresh drawings, by figure, flips and mirror."""
        self.configurations = 0
        """Flipped configurations in which a goal held and was checked."""
        self.saturated = 0
        """Flipped configurations the replay did not settle (the statement and aux saturated there)."""
        self.scratch_seconds = 0.0
        """CPU seconds of the from-scratch saturations (`scratch`)."""
        self.statements: dict[tuple[tuple[str, ...], frozenset[int], int, bool], Diagram | None] = {}
        """Fresh drawings of a statement without aux and their configurations, by statement, flips, k and
        mirror."""
        self.mirrored = 0
        """Mirrored first drawings of chiral figures in which a goal held and was checked."""
        self.picks: dict[tuple[tuple[str, ...], int], int] = {}
        """Which candidate generator (`_rng`'s `j`) fresh drawing k of a statement uses, by statement, k."""
        self.alone_elsewhere = 0
        """Aux problems dropped because their statement alone derives the goal in one of its own drawings."""
        self.check_seconds = 0.0
        """CPU seconds of the fresh-drawing checks (`check`: drawings, saturations alone, replays,
        continuations, other configurations)."""

    def check(self, text: str, name: str, goal_text: str, proof_json: str = "") -> bool:
        """Whether the aux problem `text` (goal `goal_text`, the walk's proof `proof_json` if any) is what
        it claims on `config.redraw_checks` fresh drawings."""
        return self.verdict(text, name, goal_text, proof_json) is None

    def verdict(self, text: str, name: str, goal_text: str, proof_json: str = "") -> str | None:
        """None when `check` passes, else why not: 'goal false' (the goal is false in a fresh drawing: the
        text does not say it in every shape or configuration), 'drawing' (in a fresh drawing of statement
        and aux, or a configuration of it, the statement alone derives the goal or the aux does not) or
        'alone elsewhere' (a drawing or configuration of the statement alone in which it derives the
        goal)."""
        cpu = time.process_time()
        try:
            return self._verdict(text, name, goal_text, proof_json)
        finally:
            self.check_seconds += time.process_time() - cpu

    def _verdict(self, text: str, name: str, goal_text: str, proof_json: str) -> str | None:
        problem = parse_problem(text, name)
        kind, *tokens = goal_text.split()
        goal = parse_fact(kind, tuple(tokens))
        proof = proof_from_json(json.loads(proof_json)) if proof_json else None
        for k in range(self.trials.config.redraw_checks):
            drawing = self._drawing(problem, k)
            if drawing is None:
                return "drawing"
            if not check_goal(drawing.diagram, problem.goals[0]):
                return "goal false"
            if not drawing.alone.complete or drawing.alone.db.holds(goal):
                return "drawing"
            if not self._proved(problem, drawing, goal, proof):
                return "drawing"
        if not self._configurations(problem, goal, proof):
            return "drawing"
        return self._statement_configurations(problem, goal)

    def scratch(self, text: str, name: str, goal_text: str) -> bool | None:
        """Whether the statement and aux of `text`, saturated together from scratch on its first fresh
        drawing, derive the goal: True, False (an engine gap), or None when the saturation stopped short of
        its fixpoint without it (undecided)."""
        problem = parse_problem(text, name)
        kind, *tokens = goal_text.split()
        goal = parse_fact(kind, tuple(tokens))
        drawing = self._drawing(problem, 0)
        if drawing is None:
            return None
        cpu = time.process_time()
        together = self.trials(drawing.diagram, (*problem.clauses, *problem.aux))
        self.scratch_seconds += time.process_time() - cpu
        if together.db.holds(goal):
            return True
        return False if together.complete else None

    def _configurations(self, problem: Problem, goal: Fact, proof: Proof | None) -> bool:
        """Whether the aux proves the goal in the first fresh drawing's other configurations where it holds
        (those that cannot be drawn, or where the goal is false, are not the problem's): its two-candidate
        choices flipped, and for a chiral figure its base shapes mirrored."""
        config = self.trials.config
        cap = config.redraw_configurations
        checked = cap > 0 and config.redraw_checks > 0
        first = self._flipped(problem, frozenset()) if checked else None  # statement and aux drawn together
        others: Iterator[tuple[frozenset[int], bool]] = iter(())
        if first is not None:
            others = ((flips, False) for flips in flip_sets(first.choices, cap))
        if config.redraw_checks > 0 and config.redraw_mirror and chiral(problem, include_aux=True):
            others = itertools.chain(((frozenset(), True),), others)
        for flips, mirror in others:
            diagram = self._flipped(problem, flips, mirror)
            if diagram is None or not check_goal(diagram, problem.goals[0]):
                continue
            self.configurations += 1
            self.mirrored += mirror
            if proof is not None and self._replayed(problem, diagram, proof):
                continue
            self.saturated += 1
            trials = self.trials
            solved = deduce(restrict(diagram, (*problem.clauses, *problem.aux)), seconds=trials.seconds(),
                            goals=(goal,), config=trials.ddar, rules=trials.rules)
            if not solved.db.holds(goal):
                return False
        return True

    def _statement_configurations(self, problem: Problem, goal: Fact) -> str | None:
        """'alone elsewhere' when the statement alone derives the goal (or stops short of its fixpoint) in
        one of its own drawings where the goal holds: the fresh drawings of the statement without the aux
        (the same as the checks' above unless their aux collapsed there: then the saturation is another),
        and the first one's configurations with its choices flipped, the first `alone_configurations` of
        them where the goal holds. None when it does not."""
        config = self.trials.config
        if config.redraw_checks <= 0:
            return None
        own = [(frozenset[int](), k, False) for k in range(config.redraw_checks)]
        if config.redraw_mirror and chiral(problem):
            own.append((frozenset(), 0, True))
        plain = self._statement_drawing(problem, frozenset())
        flipped = flip_sets(plain.choices, config.redraw_configurations) if plain is not None else iter(())
        saturated = 0
        for flips, k, mirror in itertools.chain(own, ((flips, 0, False) for flips in flipped)):
            if flips and saturated >= config.alone_configurations:
                break
            diagram = self._statement_drawing(problem, flips, k, mirror)
            if diagram is None or not check_goal(diagram, problem.goals[0]):
                continue
            saturated += bool(flips)
            alone = self.trials(diagram, problem.clauses)  # the memo: once per statement and drawing
            if not alone.complete or alone.db.holds(goal):
                self.alone_elsewhere += 1
                return "alone elsewhere"
        return None

    def _statement_drawing(self, problem: Problem, flips: frozenset[int], k: int = 0, mirror: bool = False
                           ) -> Diagram | None:
        """Fresh drawing k of the statement without its aux, with `flips` and `mirror`, once per statement."""
        key = (_key(problem, k)[0], flips, k, mirror)
        if key not in self.statements:
            j = self._pick(problem, k)
            if key not in self.statements:  # the pick may have drawn it
                self.statements[key] = _draw(problem, k, flips, j, aux=False, mirror=mirror)
        return self.statements[key]

    def _pick(self, problem: Problem, k: int) -> int:
        """Which of `ProposeConfig.redraw_candidates` drawings of the statement is its fresh drawing k: for
        k >= 1 the one whose order type (`tonggeo.propose.ordertype`) is farthest from drawings 0..k-1, so
        that the checks visit a shape the first drawing does not (an obtuse angle where it is acute); the
        first drawing is candidate 0. Once per statement and k."""
        statement = _key(problem, k)[0]
        if (statement, k) in self.picks:
            return self.picks[(statement, k)]
        count = self.trials.config.redraw_candidates
        pick = 0
        if k > 0 and count > 1:
            names = [p for clause in problem.clauses for p in clause.point_names]
            earlier = [order_type(d, names) for i in range(k)
                       if (d := self._statement_drawing(problem, frozenset(), i)) is not None]
            drawn = [(j, d) for j in range(count) if (d := _draw(problem, k, j=j, aux=False)) is not None]
            if drawn:
                best = most_different([order_type(d, names) for _, d in drawn], earlier)
                pick = drawn[best][0]
                self.statements[(statement, frozenset(), k, False)] = drawn[best][1]
        self.picks[(statement, k)] = pick
        return pick

    def _flipped(self, problem: Problem, flips: frozenset[int], mirror: bool = False) -> Diagram | None:
        """The first fresh drawing with `flips` and `mirror` (None when it cannot be drawn so), once per
        figure."""
        key = (_key(problem, 0), flips, mirror)
        if key not in self.flipped:
            self.flipped[key] = _draw(problem, 0, flips, mirror=mirror)
        return self.flipped[key]

    def _drawing(self, problem: Problem, k: int) -> Drawing | None:
        key = _key(problem, k)
        if key not in self.drawings:
            statement = self._statement_drawing(problem, frozenset(), k)
            diagram = None if statement is None else _with_aux(statement, problem, k)
            if diagram is None and statement is not None:
                # the aux cannot be drawn on it: statement and aux drawn together
                diagram = _draw(problem, k, j=self._pick(problem, k))
            if diagram is None:
                self.drawings[key] = None
                return None
            # the trials' memo: drawing k of a statement is the same under every aux set over it (see `_rng`),
            # so its saturation alone is made once for all of them
            self.drawings[key] = Drawing(diagram, self.trials(diagram, problem.clauses))
        return self.drawings[key]

    def _replayed(self, problem: Problem, diagram: Diagram, proof: Proof) -> bool:
        """Whether the walk's proof, replayed by the checker in `diagram`'s configuration, holds there."""
        coords = diagram.points
        here = {p: (float(coords[p][0]), float(coords[p][1])) for p in coords}
        return check_proof(replace(proof, points=here), problem.with_aux(), self.trials.rules).ok

    def _proved(self, problem: Problem, drawing: Drawing, goal: Fact, proof: Proof | None) -> bool:
        if proof is not None and self._replayed(problem, drawing.diagram, proof):
            self.replays += 1
            return True
        # the trials' goal-directed continuation (re-run when it stopped at another goal; keyed by the fresh
        # drawing's coordinates, so apart from the walk's own trials)
        helped = drawing.helped = self.trials.extend(drawing.alone, drawing.diagram,
                                                     (*problem.clauses, *problem.aux), goal)
        return helped.db.holds(goal)


def flip_sets(choices: int, cap: int) -> Iterator[frozenset[int]]:
    """Non-empty sets of a drawing's two-candidate choices to flip, fewest first, at most `cap`."""
    sets = (frozenset(s) for r in range(1, choices + 1) for s in itertools.combinations(range(choices), r))
    return itertools.islice(sets, cap)


def _with_aux(diagram: Diagram, problem: Problem, k: int) -> Diagram | None:
    """Fresh drawing k of the statement (`diagram`) with the aux clauses drawn on top of it (their own
    random choices, from a generator seeded by statement, aux and k), None when one cannot be drawn there."""
    rng = _seeded((_key(problem, 0), (k,)))
    try:
        for clause in problem.aux:
            diagram = extend_diagram(diagram, clause, rng, aux=True)
    except DiagramError:
        return None
    return diagram


def _key(problem: Problem, k: int) -> Key:
    return (tuple(c.to_text() for c in problem.clauses), tuple(c.to_text() for c in problem.aux), k)


def _draw(problem: Problem, k: int, flips: frozenset[int] = frozenset(), j: int = 0, *, aux: bool = True,
          mirror: bool = False) -> Diagram | None:
    """Fresh drawing k of the statement and aux clauses (the statement alone without `aux`), with `flips`
    and `mirror`, from candidate generator `j`; None when it cannot be drawn. The goals are left out, so a
    drawing is not redrawn for a false goal."""
    figure = Problem(problem.name, problem.clauses, (), problem.aux if aux else ())
    try:
        return build_diagram(figure, _rng(problem, k, j), include_aux=aux, require_goals=False, flips=flips,
                             mirror=mirror)
    except DiagramError:
        return None


def _rng(problem: Problem, k: int, j: int = 0) -> np.random.Generator:
    """Candidate `j` of fresh drawing k's generator, seeded by the statement's text (not the aux's): the
    statement is drawn alone, so every aux set over one statement finds its points where the others did, and
    the statement's saturation alone is shared."""
    statement = _key(problem, k)[0]
    return _seeded((statement, k)) if j == 0 else _seeded((statement, k, j))


def _seeded(value: object) -> np.random.Generator:
    """A generator seeded by a hash of `value`'s repr (the same value, the same numbers in every process)."""
    digest = hashlib.sha256(repr(value).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))
