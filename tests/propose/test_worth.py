"""Worth terms: the aux rank finds the auxiliary clause among the statement's candidates, and the score
grows with what makes a problem worth solving."""

from __future__ import annotations

from tonggeo.dsl import parse_problem
from tonggeo.propose.worth import Worth, aux_rank


def test_aux_rank_finds_the_aux_clause() -> None:
    problem = parse_problem("a b c = triangle a b c; d = midpoint d b c | e = midpoint e a b ? para d e a c",
                            "mid")
    rank = aux_rank(problem)
    assert rank is not None and rank >= 1
    aux_free = parse_problem("a b c = triangle a b c; d = midpoint d b c ? coll b c d", "free")
    assert aux_rank(aux_free) is None


def test_score_terms() -> None:
    base = Worth(aux=1, steps=5, points=8, symmetric=False, aux_rank=10)
    assert Worth(2, 5, 8, False, 10).score > base.score
    assert Worth(1, 5, 8, True, 10).score > base.score
    assert Worth(1, 5, 12, False, 10).score < base.score
    assert Worth(1, 5, 8, False, 100).score > base.score > Worth(1, 5, 8, False, None).score
    assert dict(base.terms())["aux rank"] == 10.0
    assert "aux rank 10" in base.text()


def test_goal_form_reads_the_goal() -> None:
    from tonggeo.propose.worth import goal_form

    assert goal_form("perp a b c d") == goal_form("cyclic a b c d") == goal_form("cong a b c d") == 1.0
    assert goal_form("eqangle b a b c e d e f") == 1.0  # angle ABC = angle DEF
    assert goal_form("eqangle a b c d e f g h") == 0.0  # lines with no common point
    assert goal_form("eqangle b a b c e f g h") == 0.0  # one half unrelated
    assert goal_form("eqratio a b b c d e e f") == 0.5  # AB/BC = DE/EF
    assert goal_form("eqratio a b c d e f g h") == 0.0
    assert goal_form("simtri a b c d e f") == 0.0


def test_extra_points_and_goal_form_move_the_worth() -> None:
    from tonggeo.propose.worth import extra_points

    assert extra_points([1, 4, 1]) == 3 and extra_points([]) == 0
    plain = Worth(1, 5, 8, False, 10, goal_form=1.0)
    unrelated = Worth(1, 5, 8, False, 10, goal_form=0.0)
    assert plain.score > unrelated.score
    crowded = Worth(1, 5, 8, False, 10, extra_points=3)
    assert crowded.score < Worth(1, 5, 8, False, 10).score
    assert "goal form 1" in plain.text() and "3 extra aux points" in crowded.text()


def test_proposal_score_prefers_a_plain_goal_and_one_point_aux() -> None:
    from tonggeo.config import DEFAULT_PROPOSE
    from tonggeo.propose.pipeline import score

    args = (1, 12, False, 9, DEFAULT_PROPOSE)
    assert score(*args, goal="cong a b c d") > score(*args, goal="eqratio a b c d e f g h")
    assert score(*args, goal="cong a b c d", extra=3) < score(*args, goal="cong a b c d")
