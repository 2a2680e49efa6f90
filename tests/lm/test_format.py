"""The text format shared by training records and live prompts: states print and parse back, samples
parse against a state (renamed when they reuse a name, cut at the first bad clause), value labels."""

from __future__ import annotations

import pytest

from tonggeo.dsl import parse_problem
from tonggeo.lm.format import (
    VALUE_LABELS,
    clause_completion,
    clause_key,
    parse_clauses,
    parse_value,
    prompt,
    state_text,
    value_completion,
)

STATEMENT = "a b c = triangle a b c; d = midpoint d b c ? perp a d b c"


def test_state_and_prompt_text() -> None:
    problem = parse_problem(STATEMENT)
    aux = parse_problem("a b c = triangle a b c | d = midpoint d b c").aux
    assert state_text(problem) == STATEMENT
    assert prompt("next", state_text(problem)) == f"next: {STATEMENT} =>"
    assert (
        state_text(
            parse_problem("a b c = triangle a b c ? perp a d b c".replace("perp a d b c", "cong a b a c")),
            aux,
        )
        == "a b c = triangle a b c | d = midpoint d b c ? cong a b a c"
    )


def test_completion_round_trip() -> None:
    problem = parse_problem(STATEMENT)
    full = parse_problem(
        "a b c = triangle a b c; d = midpoint d b c | e = foot e a b c; f = midpoint f a e ? perp a d b c"
    )
    text = clause_completion(full.aux)
    assert text == " e = foot e a b c; f = midpoint f a e"
    assert [c.to_text() for c in parse_clauses(text, problem)] == [c.to_text() for c in full.aux]


def test_clashing_names_are_renamed_in_later_clauses_too() -> None:
    problem = parse_problem(STATEMENT)
    clauses = parse_clauses(" d = foot d a b c; x = midpoint x a d", problem)
    assert [c.to_text() for c in clauses] == ["e = foot e a b c", "x = midpoint x a e"]


@pytest.mark.parametrize("garbage", ["", "hello", " e = nonsense e a", " e = midpoint e a q", "=;=;", " 3"])
def test_garbage_gives_no_clause(garbage: str) -> None:
    assert parse_clauses(garbage, parse_problem(STATEMENT)) == []


def test_a_bad_clause_stops_the_rest() -> None:
    clauses = parse_clauses(" e = midpoint e a b; f = bogus f; g = midpoint g a c", parse_problem(STATEMENT))
    assert [c.to_text() for c in clauses] == ["e = midpoint e a b"]


def test_clause_key_ignores_new_names_and_call_order() -> None:
    one = parse_problem("a b c = triangle a b c | x = on_line x a b, on_circle x c a").aux[0]
    two = parse_problem("a b c = triangle a b c | y = on_circle y c a, on_line y a b").aux[0]
    other = parse_problem("a b c = triangle a b c | y = midpoint y a b").aux[0]
    assert clause_key(one) == clause_key(two) != clause_key(other)


def test_value_labels() -> None:
    assert [value_completion(k) for k in range(7)] == [*VALUE_LABELS, " 4", " 4"]
    assert value_completion(-1) == " 0"
    assert [parse_value(v) for v in VALUE_LABELS] == [0, 1, 2, 3, 4]
    assert parse_value(" 7") is None and parse_value("x") is None
