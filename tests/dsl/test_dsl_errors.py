"""Bad problem text gives a DslError naming file, problem, line and column, with a caret under the
offending text; a bad problem never hides the good ones around it."""

from __future__ import annotations

import pytest

from tonggeo.dsl import DslError, Problem, iter_problems, parse_text

GOOD = "a b c = triangle a b c; d = midpoint d b c ? cong d b d c"


def _error_of(body: str) -> DslError:
    """The error of `body` written as the second problem (line 4) of a three-problem file."""
    text = f"first\n{GOOD}\n  second\n{body}\nthird\n{GOOD}\n"
    entries = list(iter_problems(text, "bad.txt"))
    assert len(entries) == 3
    assert isinstance(entries[0], Problem) and isinstance(entries[2], Problem)
    error = entries[1]
    assert isinstance(error, DslError)
    assert error.span.file == "bad.txt"
    assert error.span.line == 4
    assert error.problem == "second"
    return error


def _caret_column(error: DslError) -> int:
    caret_line = str(error).splitlines()[-1]
    return caret_line.index("^") - 3  # the display indents by 4 spaces; columns are 1-based


TRI = "a b c = triangle a b c; "  # 24 characters
CASES = {
    "unknown_construction": (
        TRI + "d = midpont d b c ? cong d b d c",
        "unknown construction 'midpont'",
        29,
    ),
    "wrong_arity": (TRI + "d = midpoint d b ? cong d b d c", "takes 3 arguments", 29),
    "undefined_point": (TRI + "d = midpoint d b e ? cong d b d c", "'e' is used before", 42),
    "undefined_goal_point": (TRI + "d = midpoint d b c ? cong d b d x", "undefined point 'x'", 57),
    "bad_character": (TRI + "d = midpoint d b c ? cong d b d c!", "unexpected character '!'", 58),
    "missing_equals": (TRI + "d midpoint d b c ? cong d b d c", "expected '='", 42),
    "missing_equals_only_clause": ("a b c triangle a b c ? ncoll a b c", "expected '='", 22),
    "unknown_goal": (TRI + "d = midpoint d b c ? congg d b d c", "unknown goal predicate", 46),
    "goal_arity": (TRI + "d = midpoint d b c ? cong d b d", "goal 'cong' takes 4 points", 46),
    "point_redefined": (TRI + "b = midpoint b a c ? cong a b a c", "'b' is already defined", 25),
    "undeclared_output": (TRI + "d = midpoint e b c ? cong a b a c", "none of the arguments", 29),
    "number_expected": ("a b = segment a b; c = s_angle b a c x ? cong a b a c", "expects a number", 38),
    "truncated": (TRI + "d =", "unexpected end of problem", 28),
}


@pytest.mark.parametrize(("body", "message", "column"), CASES.values(), ids=list(CASES))
def test_error_names_file_problem_line_column(body: str, message: str, column: int) -> None:
    error = _error_of(body)
    assert message in str(error)
    assert error.span.column == column
    text = str(error)
    assert text.startswith(f"bad.txt:4:{column}: error in problem 'second'")
    assert body in text  # the offending line is shown ...
    assert _caret_column(error) == column  # ... with a caret under the column


def test_unknown_construction_suggests_close_names() -> None:
    error = _error_of("a b c = triangle a b c; d = midpont d b c ? cong d b d c")
    assert "midpoint" in error.suggestions
    assert "did you mean 'midpoint'" in str(error)


def test_unknown_goal_suggests_close_names() -> None:
    error = _error_of("a b c = triangle a b c; d = midpoint d b c ? perpp a d b c")
    assert "perp" in error.suggestions


def test_indented_body_keeps_file_columns() -> None:
    entries = list(iter_problems("p\n    a b = segment a b; c = midpoint c a x ? cong a c c b\n", "f.txt"))
    (error,) = entries
    assert isinstance(error, DslError)
    assert (error.span.line, error.span.column) == (2, 41)
    assert _caret_column(error) == 41


def test_name_without_body_is_reported_and_the_next_problem_survives() -> None:
    entries = list(iter_problems(f"lonely\nnext\n{GOOD}\n", "f.txt"))
    assert isinstance(entries[0], DslError)
    assert entries[0].problem == "lonely" and entries[0].span.line == 1
    assert isinstance(entries[1], Problem) and entries[1].name == "next"


def test_parse_text_raises_the_first_error() -> None:
    with pytest.raises(DslError, match="unknown construction"):
        parse_text(f"ok\n{GOOD}\nbad\na = nonsense a\n", "f.txt")
