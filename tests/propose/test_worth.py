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
