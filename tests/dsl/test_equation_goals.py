"""Free-form equation goals (lequation, aequation): Newclid writes their points in capitals."""

from __future__ import annotations

import pytest

from tonggeo.dsl import DslError, parse_problem


def test_capital_points_of_an_equation_are_the_problem_points() -> None:
    problem = parse_problem(
        "a b c = triangle a b c; m = midpoint m a b ? lequation 1/1 A M * A M -1/1 b M * b M 0", "caps"
    )
    assert problem.goals[0].args == ("1/1", "a", "m", "*", "a", "m", "-1/1", "b", "m", "*", "b", "m", "0")


def test_an_undefined_point_of_an_equation_is_reported_with_its_column() -> None:
    text = "a b c = triangle a b c ? aequation 1/1 a b b X 90o"
    with pytest.raises(DslError) as info:
        parse_problem(text, "undefined")
    assert "undefined point 'X'" in str(info.value)
    assert info.value.span is not None and info.value.span.column == text.index("X") + 1
