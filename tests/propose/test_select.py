"""Goal shapes: spellings of one problem (the same lines, segments of equal length) read the same."""

from __future__ import annotations

import numpy as np

from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.numeric import NumericModel
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.facts import make_fact
from tonggeo.propose.extract import fact_shape

# a right-triangle figure found by a walk: the parallelogram point n is the aux of the angle equality
STATEMENT = ("a b c = r_triangle a b c; d = psquare d a c; e = psquare e a b; f = foot f a b e; "
             "g = foot g a c d; h = nsquare h f d; i = nsquare i g e; k = intersection_lt k a f i f h; "
             "l = shift l b h k")

def _numeric(text: str) -> NumericModel:
    diagram = build_diagram(parse_problem(text, "t"), np.random.default_rng(0))
    return NumericModel(list(diagram.points), diagram.points, DEFAULT_DDAR)


def test_ratio_spellings_over_equal_segments_share_a_shape() -> None:
    numeric = _numeric("a b c = iso_triangle a b c; d = midpoint d b c")
    one = fact_shape(make_fact("eqratio", "a b b d a c c d".split()), numeric)
    two = fact_shape(make_fact("eqratio", "a c c d a b b d".split()), numeric)
    other = fact_shape(make_fact("eqratio", "a b b c a c b c".split()), numeric)
    assert one == two and one != other
    assert fact_shape(make_fact("cong", "a b a c".split()), numeric) != fact_shape(
        make_fact("cong", "b d c d".split()), numeric)


def test_line_spellings_share_a_shape_and_the_statement_points_fix_it() -> None:
    numeric = _numeric("a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c; f = on_line f d e")
    one = fact_shape(make_fact("para", "d e b c".split()), numeric)
    two = fact_shape(make_fact("para", "d f b c".split()), numeric)
    assert one == two
    statement = ["a", "b", "c", "d", "e"]
    assert fact_shape(make_fact("para", "d e b c".split()), numeric, statement) == "para b c d e"


def test_minimise_aux_drops_an_unused_clause_by_continuing_the_statements_saturation() -> None:
    from tonggeo.config import DEFAULT_PROPOSE
    from tonggeo.ddar.rules import load_rules
    from tonggeo.ddar.support import support
    from tonggeo.propose.deduce import deduce
    from tonggeo.propose.extract import Extracted
    from tonggeo.propose.select import Trials, minimise_aux

    walk = parse_problem(f"{STATEMENT}; m = midpoint m b c; n = parallelogram d a l n", "walk")
    diagram = build_diagram(walk, np.random.default_rng(1))
    goal = make_fact("eqangle", "a b a l b c d f".split())
    trials = Trials(DEFAULT_PROPOSE, DEFAULT_DDAR, load_rules())
    clauses = walk.clauses
    alone = trials(diagram, clauses[:-2])
    assert alone.complete and not alone.db.holds(goal)
    full = deduce(diagram, seconds=60)
    found = Extracted(clauses[:-2], clauses[-2:], goal, 5, alone, full)
    small = minimise_aux(found, diagram, trials)
    assert [c.to_text() for c in small.aux] == ["n = parallelogram d a l n"]
    assert small.source.db.holds(goal) and support(small.source.db, goal) is not None
    assert [k[0] for k in trials.done] == ["scratch", "extend", "extend"]  # trials continue the statement


def test_a_goal_directed_trial_stops_at_its_goal_and_answers_other_goals_correctly() -> None:
    from tonggeo.config import DEFAULT_PROPOSE
    from tonggeo.ddar.rules import load_rules
    from tonggeo.propose.select import Trials

    walk = parse_problem(f"{STATEMENT}; n = parallelogram d a l n", "walk")
    diagram = build_diagram(walk, np.random.default_rng(1))
    goal = make_fact("eqangle", "a b a l b c d f".split())
    trials = Trials(DEFAULT_PROPOSE, DEFAULT_DDAR, load_rules())
    alone = trials(diagram, walk.clauses[:-1])
    fixpoint = Trials(DEFAULT_PROPOSE, DEFAULT_DDAR, load_rules()).extend(alone, diagram, walk.clauses)
    assert fixpoint.stopped == "fixpoint" and fixpoint.db.holds(goal)
    early = trials.extend(alone, diagram, walk.clauses, goal)
    assert early.stopped == "goal" and early.db.holds(goal)
    assert len(early.db.records) < len(fixpoint.db.records)
    # another goal the fixpoint derives but the early stop did not reach yet: the trial runs again for it
    later = next(r.fact for r in reversed(fixpoint.db.records) if not early.db.holds(r.fact))
    again = trials.extend(alone, diagram, walk.clauses, later)
    assert again.db.holds(later)
    # without a goal, a goal-stopped trial is never taken for a fixpoint
    assert trials.extend(alone, diagram, walk.clauses).stopped == "fixpoint"
