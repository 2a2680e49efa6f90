"""Every para/perp the angle table determines reaches the classes (`Saturator.read_back` through
`LinearStore.implied_lines`), not only those against each group's representative. Found by a proposing run
(session 13): three "aux problems" over the statement below passed the emitter's checks, but `solve` could
prove them neither with nor without their aux. The angle table knew BD perpendicular to CD (both lines at
offsets 1/4 and 3/4 from their group's representative), the classes did not, so the squared-length table,
which applies Pythagoras at the classes' right angles, never got CD^2 + CF^2 = DF^2 and AG = BG stayed out
of reach. With the read-back complete the statement alone proves it."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from solvers.base import SolveStatus
from solvers.ddar import solve
from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import parse_problem

STATEMENT = ("a b = segment a b; c = mirror c b a; d = nsquare d a c; e = excenter e d a b; "
             "f = shift f a c e; g = orthocenter g b d f ? cong a g b g")
OTHERS = (
    "a b c = triangle a b c; d = foot d a b c; e = foot e b a c; f = foot f c a b; h = orthocenter h a b c"
    " ? perp a h b c",
    "a b c = r_triangle a b c; d = midpoint d b c; e = mirror e a d; f = incenter f a b c ? para a b c e",
)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_statement_alone_proves_it(seed: int) -> None:
    result = solve(parse_problem(STATEMENT, "p"), timeout=60, rng=np.random.default_rng(seed))
    assert result.status == SolveStatus.PROVED, result.message  # the checker accepted the proof


@pytest.mark.parametrize("text", [STATEMENT, *OTHERS])
def test_the_classes_know_every_para_and_perp_of_the_angle_table(text: str) -> None:
    problem = parse_problem(text, "p")
    state = initial_state(problem, np.random.default_rng(0), config=DEFAULT_DDAR)
    db = state.db
    Saturator(db, plans_for(load_rules(), DEFAULT_DDAR), DEFAULT_DDAR).run()
    assert db.linear is not None
    checked = 0
    for group in db.linear.angle.classes():
        for i, (v1, o1) in enumerate(group):
            for v2, o2 in group[i + 1:]:
                offset = (o2 - o1) % 1
                if offset not in (0, Fraction(1, 2)):
                    continue
                a, b = db.line_points(v1)[:2]
                c, d = db.line_points(v2)[:2]
                d1, d2 = db.direction(a, b), db.direction(c, d)
                if offset == 0:  # one class, or two classes perpendicular to a third (not merged)
                    known = d1 == d2 or bool(set(db.perp_partners(d1)) & set(db.perp_partners(d2)))
                else:
                    known = d2 in db.perp_partners(d1)
                assert known, (db.names[a], db.names[b], db.names[c], db.names[d], offset)
                checked += 1
    assert checked > 0
