"""Facts: canonical forms (every equivalent statement is one record) and DSL round trips."""

from __future__ import annotations

from fractions import Fraction
from itertools import permutations

import pytest

from tonggeo.facts import FactError, fact_text, make_fact, parse_fact


def test_coll_and_cyclic_ignore_order() -> None:
    forms = {make_fact("coll", p) for p in permutations("abc")}
    assert len(forms) == 1
    assert len({make_fact("cyclic", p) for p in permutations("abcd")}) == 1


@pytest.mark.parametrize("kind", ["para", "perp", "cong"])
def test_two_pair_symmetries(kind: str) -> None:
    base = make_fact(kind, "abcd")
    for args in ("bacd", "abdc", "cdab", "dcba"):
        assert make_fact(kind, args) == base


@pytest.mark.parametrize("kind", ["eqangle", "eqratio"])
def test_four_pair_symmetries(kind: str) -> None:
    base = make_fact(kind, "abcdefgh")
    # swap sides, swap the inner pairs, negate both sides: all state the same equation
    for args in ("efghabcd", "abefcdgh", "cdabghef", "badcfehg"):
        assert make_fact(kind, args) == base
    assert make_fact(kind, "abcdghef") != base


def test_triangles_relabel_together() -> None:
    base = make_fact("simtri", "abcpqr")
    assert make_fact("simtri", "bcaqrp") == base
    assert make_fact("simtri", "pqrabc") == base
    assert make_fact("simtri", "abcpqr") != make_fact("simtri", "abcprq")
    assert make_fact("simtrir", "abcpqr").kind == "simtri2"


def test_aconst_and_rconst_flip_their_value() -> None:
    assert make_fact("aconst", "cdab", Fraction(1, 3)) == make_fact("aconst", "abcd", Fraction(2, 3))
    assert make_fact("rconst", "cdab", Fraction(2)) == make_fact("rconst", "abcd", Fraction(1, 2))


@pytest.mark.parametrize(
    "text",
    ["coll a b c", "cyclic a b c d", "para a b c d", "eqangle a b c d e f g h", "midp m a b",
     "circle o a b c", "contri a b c p q r", "aconst a b c d 1pi/3", "rconst a b c d 1/2"],
)
def test_text_round_trip(text: str) -> None:
    name, *tokens = text.split()
    fact = parse_fact(name, tokens)
    again = fact_text(fact)
    name2, *tokens2 = again.split()
    assert parse_fact(name2, tokens2) == fact


def test_dsl_forms_of_constants() -> None:
    assert parse_fact("s_angle", ["a", "b", "x", "30"]) == make_fact("aconst", "babx", Fraction(1, 6))
    assert parse_fact("rconst", ["a", "b", "a", "c", "1", "2"]) == make_fact("rconst", "abac", Fraction(1, 2))
    assert parse_fact("aconst", ["a", "b", "c", "d", "60o"]).value == Fraction(1, 3)  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", [("coll", "aab"), ("para", "aacd"), ("midp", "mm"), ("nonsense", "abc")])
def test_malformed_facts_raise(bad: tuple[str, str]) -> None:
    with pytest.raises(FactError):
        make_fact(bad[0], bad[1])
