"""The DSL's less common error paths: each names file, problem, line and the column of the culprit."""

from __future__ import annotations

import pytest

from tonggeo.dsl import DslError, Problem, iter_problems

TRI = "a b c = triangle a b c; "
GOOD = TRI + "d = midpoint d b c ? cong d b d c"

# body, expected message fragment, the text the column points at (its last occurrence in the body)
CASES = {
    "declared_not_made": (TRI + "d e = midpoint d b c ? cong d b d c", "e declared but not made", "d e ="),
    "bad_point_name": (TRI + "1d = midpoint 1d b c ? cong a b a c", "bad point name '1d'", "1d ="),
    "goal_number_expected": (
        TRI + "d = midpoint d b c ? rconst d b d c half",
        "expects a number, got 'half'",
        "half",
    ),
    "free_form_undefined_point": (
        TRI + "d = midpoint d b c ? lequation 1 d b - 1 Q c",
        "undefined point 'Q'",
        "Q",
    ),
    "unexpected_token": (TRI + "d = = midpoint d b c ? cong d b d c", "unexpected '='", "= midpoint"),
    "construction_number_expected": (
        TRI + "d = s_angle b a d x ? cong a b a c",
        "expects a number for",
        "x ?",
    ),
}


@pytest.mark.parametrize(("body", "message", "culprit"), CASES.values(), ids=list(CASES))
def test_error_path_names_file_line_and_column(body: str, message: str, culprit: str) -> None:
    text = f"first\n{GOOD}\nsecond\n{body}\nthird\n{GOOD}\n"
    first, error, third = iter_problems(text, "paths.txt")
    assert isinstance(first, Problem) and isinstance(third, Problem)
    assert isinstance(error, DslError)
    column = body.rindex(culprit) + 1
    assert message in str(error)
    assert (error.span.file, error.span.line, error.span.column, error.problem) == (
        "paths.txt",
        4,
        column,
        "second",
    )
    assert str(error).startswith(f"paths.txt:4:{column}: error in problem 'second'")
