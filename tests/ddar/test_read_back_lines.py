"""Every para/perp the angle table determines reaches the classes (`Saturator.read_back` through
`LinearStore.implied_lines`), not only those against each group's representative. Found by a proposing run
(session 13): three "aux problems" over the statement below passed the emitter's checks, but `solve` could
prove them neither with nor without their aux. The angle table knew BD perpendicular to CD (both lines at
offsets 1/4 and 3/4 from their group's representative), the classes did not, so the squared-length table,
which applies Pythagoras at the classes' right angles, never got CD^2 + CF^2 = DF^2 and AG = BG stayed out
of reach. With the read-back complete the statement alone proves it.

A second run of the same session found the other half: lines at 1/2 from the representative were each made
perpendicular to it but never parallel to each other (the classes do not merge two directions because both
are perpendicular to a third), so Thales (`r07`), which matches the classes' parallels, did not fire on BF
parallel to DG below, and `solve` could not prove that aux problem even with its aux. Now every line is
made parallel to the first line at its own offset."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import TypeVar

import numpy as np
import pytest

from solvers.base import SolveStatus
from solvers.ddar import solve
from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.database import Database
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import parse_problem

STATEMENT = ("a b = segment a b; c = mirror c b a; d = nsquare d a c; e = excenter e d a b; "
             "f = shift f a c e; g = orthocenter g b d f ? cong a g b g")
AUX_PROBLEM = ("a b = segment a b; c = nsquare c b a; d = mirror d b c; e = intersection_lc e d b c; "
               "f = parallelogram d a e f; g = intersection_lt g e f d a e | h = parallelogram c g f h "
               "? eqangle a b a f a f c g")
SEGMENTS_PROBLEM = (
    "a b = segment a b; c = midpoint c a b; d = midpoint d b c; e = midpoint e a c; "
    "f = intersection_lc f d b e; g = intersection_lc g e a d; h = psquare h f g; i = psquare i g f; "
    "j = intersection_lc j c f i; k = intersection_lc k c g h; l = orthocenter l c g j "
    "| m = orthocenter m c f k; n = parallelogram k g l n ? cyclic a c k l")
OTHERS = (
    "a b c = triangle a b c; d = foot d a b c; e = foot e b a c; f = foot f c a b; h = orthocenter h a b c"
    " ? perp a h b c",
    "a b c = r_triangle a b c; d = midpoint d b c; e = mirror e a d; f = incenter f a b c ? para a b c e",
)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_statement_alone_proves_it(seed: int) -> None:
    result = solve(parse_problem(STATEMENT, "p"), timeout=60, rng=np.random.default_rng(seed))
    assert result.status == SolveStatus.PROVED, result.message  # the checker accepted the proof


@pytest.mark.parametrize("text", [AUX_PROBLEM, SEGMENTS_PROBLEM])
@pytest.mark.parametrize("seed", [0, 1])
def test_solve_proves_the_aux_problem_with_its_aux_only(text: str, seed: int) -> None:
    problem = parse_problem(text, "q")
    proved = solve(problem.with_aux(), timeout=60, rng=np.random.default_rng(seed))
    assert proved.status == SolveStatus.PROVED, proved.message
    assert solve(problem, timeout=60, rng=np.random.default_rng(seed)).status == SolveStatus.UNPROVED


T = TypeVar("T")


def _saturated(text: str) -> Database:
    """The problem's figure with its aux, saturated to its fixpoint (drawing seed 0)."""
    db = initial_state(parse_problem(text, "p").with_aux(), np.random.default_rng(0), config=DEFAULT_DDAR).db
    Saturator(db, plans_for(load_rules(), DEFAULT_DDAR), DEFAULT_DDAR).run()
    return db


def _pairs(groups: Iterable[Sequence[tuple[int, T]]]) -> Iterator[tuple[tuple[int, T], tuple[int, T]]]:
    """Every two members (variable, offset from the representative) of one table group."""
    for group in groups:
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                yield first, second


@pytest.mark.parametrize("text", [STATEMENT, AUX_PROBLEM, *OTHERS])
def test_the_classes_know_every_para_and_perp_of_the_angle_table(text: str) -> None:
    db = _saturated(text)
    assert db.linear is not None
    checked = 0
    for (v1, o1), (v2, o2) in _pairs(db.linear.angle.classes()):
        offset = (o2 - o1) % 1
        if offset not in (0, Fraction(1, 2)):
            continue
        a, b = db.line_points(v1)[:2]
        c, d = db.line_points(v2)[:2]
        d1, d2 = db.direction(a, b), db.direction(c, d)
        known = d1 == d2 if offset == 0 else d2 in db.perp_partners(d1)
        assert known, (db.names[a], db.names[b], db.names[c], db.names[d], offset)
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("text", [STATEMENT, SEGMENTS_PROBLEM, OTHERS[1]])
def test_the_lengths_know_every_equality_of_the_ratio_table(text: str) -> None:
    """Segments at the same ratio from their group's representative are equal (`implied_segments`): the
    third case, a figure family of one proposing run (24 of its 300 sampled aux problems) that `solve`
    could not prove with their aux (FK = LM was known to the ratio table only, so Pythagoras never had it)."""
    db = _saturated(text)
    assert db.linear is not None
    checked = 0
    for (s1, o1), (s2, o2) in _pairs(db.linear.ratio.classes()):
        if o1 == o2:
            assert db.lengths.same(s1, s2), (db.pair_of(s1), db.pair_of(s2))
            checked += 1
    assert checked > 0
