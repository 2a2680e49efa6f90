"""Fuzzing: any text, and real problems with random damage, either parse or raise DslError -- never
anything else -- and every error points inside the text it complains about."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PROBLEMS
from tonggeo.dsl import DslError, Problem, iter_problems, parse_problem

BODIES = [
    line.strip()
    for name in ("imo_ag_30.txt", "jgex_ag_231.txt", "newclid/imo.txt", "newclid/examples.txt")
    for line in (PROBLEMS / name).read_text(encoding="utf-8").splitlines()
    if "=" in line
]
TOKENS = sorted({token for body in BODIES for token in body.split()} | {"@1_2", "@-0.5_3e2", "@x_y", "1pi/3"})
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DSL_CHARS = st.sampled_from([*"abcdxyz' =;,?|@_-.0123456789/+*\t", "é", "!", "#", "\x00", "\n"])


def _check_error(error: DslError, text: str) -> None:
    lines = text.splitlines()
    assert 1 <= error.span.line <= max(len(lines), 1)
    line = lines[error.span.line - 1] if lines else ""
    assert 1 <= error.span.column <= len(line) + 1, (error, line)
    assert str(error)  # the message renders


def _check_entries(text: str) -> None:
    for entry in iter_problems(text, "fuzz.txt"):
        if isinstance(entry, DslError):
            _check_error(entry, text)
        else:
            assert isinstance(entry, Problem)
            assert parse_problem(entry.to_text(), entry.name) == entry


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    _check_entries(text)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(DSL_CHARS, max_size=4)), max_size=30))
def test_token_soup(tokens: list[str]) -> None:
    _check_entries("soup\n" + " ".join(tokens))


@st.composite
def damaged(draw: st.DrawFn) -> str:
    body = draw(st.sampled_from(BODIES))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "replace_token", "duplicate_token"]))
        tokens = body.split(" ")
        if kind == "delete" and body:
            start = draw(st.integers(0, len(body) - 1))
            body = body[:start] + body[start + draw(st.integers(1, 6)) :]
        elif kind == "insert":
            at = draw(st.integers(0, len(body)))
            body = body[:at] + draw(st.text(DSL_CHARS, min_size=1, max_size=3)) + body[at:]
        elif kind == "swap" and len(tokens) > 1:
            i, j = draw(st.integers(0, len(tokens) - 1)), draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
            body = " ".join(tokens)
        elif kind == "replace_token":
            tokens[draw(st.integers(0, len(tokens) - 1))] = draw(st.sampled_from(TOKENS))
            body = " ".join(tokens)
        elif kind == "duplicate_token":
            i = draw(st.integers(0, len(tokens) - 1))
            tokens.insert(i, tokens[i])
            body = " ".join(tokens)
    return body


@FUZZ
@given(damaged())
def test_damaged_real_problems(body: str) -> None:
    _check_entries("damaged\n" + body + "\nintact\n" + BODIES[0] + "\n")
    entries = list(iter_problems("damaged\n" + body + "\nintact\n" + BODIES[0] + "\n"))
    assert isinstance(entries[-1], Problem) and entries[-1].name == "intact"  # nothing lost after bad input
