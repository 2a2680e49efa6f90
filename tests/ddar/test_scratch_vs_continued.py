"""A saturation from scratch should know what the same clauses saturated in two stages know (the
statement, then its aux continued from it). Found by a proposing run (session 11): the emitter accepted
this aux problem (its proof passes the checker, and replays in fresh drawings), but `solve` with the aux,
which saturates from scratch, reaches its fixpoint without the goal in every drawing tried. The goal's
last step is a squared-length combination (Apollonius at three midpoints, and `rconst b d b e 1/2`). In
the continued saturation `midp_parts` records that rconst while the statement alone is saturated; from
scratch the ratio (log-length) table already implies it when the rule fires, so `Saturator.fire` stores no
record (`db.holds` is true), and the squared-length table, which is fed by records only, never gets BD^2 =
BE^2/4. Fixed in session 12: `Saturator.fire` records such a length conclusion when the squared-length table
does not imply it yet."""

from __future__ import annotations

import numpy as np

from solvers.base import SolveStatus
from solvers.ddar import solve
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Problem
from tonggeo.facts import make_fact
from tonggeo.propose.deduce import deduce, extend_deduction, restrict

TEXT = (
    "a b c = r_triangle a b c; d = intersection_lc d b a c; e = intersection_lc e c d b; "
    "f = intersection_lc f b a e | g h i j = centroid g h i j a c d ? cong b f c d"
)


def _saturations() -> tuple[bool, bool]:
    problem = parse_problem(TEXT, "p")
    goal = make_fact("cong", ("b", "f", "c", "d"))
    figure = Problem("p", problem.clauses, (), problem.aux)
    diagram = build_diagram(figure, np.random.default_rng(0), include_aux=True, require_goals=False)
    both = restrict(diagram, (*problem.clauses, *problem.aux))
    scratch = deduce(both, seconds=60)
    continued = extend_deduction(deduce(restrict(diagram, problem.clauses), seconds=60), both, seconds=60)
    assert scratch.stopped == continued.stopped == "fixpoint"
    return continued.db.holds(goal), scratch.db.holds(goal)


def test_a_saturation_from_scratch_knows_what_a_continued_one_knows() -> None:
    continued, scratch = _saturations()
    assert continued  # the two-stage saturation proves the goal
    assert scratch


def test_solve_with_the_aux_proves_it_and_the_checker_accepts() -> None:
    """`solve` (from scratch, proof extracted and replayed by the independent checker) on the aux problem;
    without its aux the statement stays unproved (it is a genuine aux problem)."""
    problem = parse_problem(TEXT, "p")
    proved = solve(problem.with_aux(), timeout=60, rng=np.random.default_rng(1))
    assert proved.status == SolveStatus.PROVED, proved.message
    alone = solve(problem, timeout=60, rng=np.random.default_rng(1))
    assert alone.status == SolveStatus.UNPROVED
