"""The checker's own derivation of the diagram from the constructions."""

from __future__ import annotations

from tonggeo.dsl import parse_problem
from tonggeo.proof.check.coordinates import rederive

TOL = 1e-6


def _errors(text: str, points: dict[str, tuple[float, float]]) -> list[str]:
    return rederive(parse_problem(text, "t"), points, TOL, TOL).errors


def test_a_determined_point_is_recomputed() -> None:
    text = "a b = segment a b; m = midpoint m a b"
    assert _errors(text, {"a": (0, 0), "b": (2, 0), "m": (1, 0)}) == []
    errors = _errors(text, {"a": (0, 0), "b": (2, 0), "m": (1, 0.01)})
    assert len(errors) == 1 and errors[0].startswith("point m")


def test_a_point_on_a_line_is_free_along_it_only() -> None:
    text = "a b = segment a b; c = on_line c a b"
    assert _errors(text, {"a": (0, 0), "b": (2, 0), "c": (5, 0)}) == []
    assert _errors(text, {"a": (0, 0), "b": (2, 0), "c": (5, 0.1)})


def test_the_proof_picks_which_intersection() -> None:
    """Both meets of two circles satisfy the construction: the proof's coordinates choose one."""
    text = "a b = segment a b; c = on_circle c a b, on_circle c b a"
    h = 3**0.5
    for y in (h, -h):
        assert _errors(text, {"a": (0, 0), "b": (2, 0), "c": (1, y)}) == []
    assert _errors(text, {"a": (0, 0), "b": (2, 0), "c": (1, 1.5)})


def test_a_failing_precondition_is_reported() -> None:
    text = "a b = segment a b; c = on_line c a b; d = foot d c a b"
    errors = _errors(text, {"a": (0, 0), "b": (2, 0), "c": (1, 0), "d": (1, 0)})
    assert any("precondition ncoll" in e for e in errors)


def test_later_points_are_built_on_the_checkers_own_points() -> None:
    """A constructed point that is off moves everything built on it: each is reported."""
    text = "a b = segment a b; m = midpoint m a b; n = midpoint n a m"
    errors = _errors(text, {"a": (0, 0), "b": (4, 0), "m": (2.5, 0), "n": (1.25, 0)})
    assert [e.split(":")[0] for e in errors] == ["point m", "point n"]


def test_a_missing_point_is_reported() -> None:
    assert _errors("a b = segment a b; m = midpoint m a b", {"a": (0, 0), "b": (2, 0)}) == [
        "no coordinates for m"
    ]
