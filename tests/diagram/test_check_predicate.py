"""check_predicate on hand-made coordinates: a true and a false case for every goal predicate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tonggeo.diagram import PredicateError, check_predicate
from tonggeo.dsl import GOAL_PREDICATES

S3 = math.sqrt(3)

# named points: a unit square, an equilateral triangle, a 3-4-5 right triangle, and a few extras
POINTS = {
    name: np.array(xy, dtype=np.float64)
    for name, xy in {
        "a": (0, 0), "b": (1, 0), "c": (1, 1), "d": (0, 1),  # square abcd (counterclockwise)
        "m": (0.5, 0), "n": (2, 0), "o": (0.5, 0.5),  # m midpoint of ab, n on line ab, o centre of abcd
        "e": (0.5, S3 / 2),  # abe equilateral
        "p": (0, 0), "q": (3, 0), "r": (0, 4),  # right triangle at p, legs 3 and 4
        "u": (3, 3), "v": (5, 3), "w": (5, 5),  # square-corner triangle, scaled x2 of a b c, shifted
        "x": (3, -3), "y": (5, -3), "z": (5, -5),  # mirror image of u v w in the x-axis
        "k": (2, 2), "h": (4, 2), "g": (4, 4),  # translate of u v w: congruent, same orientation
    }.items()
}

# (predicate, args that make it true, args that make it false)
CASES: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("coll", ("a", "m", "b", "n"), ("a", "b", "c")),
    ("ncoll", ("a", "b", "c"), ("a", "m", "n")),
    ("cyclic", ("a", "b", "c", "d"), ("a", "b", "c", "e")),
    ("cyclic", ("a", "b", "c", "d", "a"), ("a", "b", "c", "d", "e")),
    ("para", ("a", "b", "d", "c"), ("a", "b", "a", "c")),
    ("npara", ("a", "b", "a", "c"), ("a", "b", "c", "d")),
    ("perp", ("a", "b", "b", "c"), ("a", "b", "a", "c")),
    ("nperp", ("a", "b", "a", "c"), ("a", "b", "a", "d")),
    ("cong", ("a", "b", "b", "c"), ("a", "b", "a", "c")),
    # angle(AB, AC) = 45 = angle(AC, AD); directed: angle(AB, AD) = 90 but angle(AC, AB) = -45
    ("eqangle", ("a", "b", "a", "c", "a", "c", "a", "d"), ("a", "b", "a", "c", "a", "c", "a", "b")),
    ("eqangle", ("a", "b", "a", "e", "e", "a", "e", "b"), ("a", "b", "a", "e", "e", "b", "e", "a")),
    ("eqratio", ("a", "b", "a", "c", "u", "v", "u", "w"), ("a", "b", "a", "c", "a", "b", "a", "d")),
    ("midp", ("m", "a", "b"), ("m", "a", "n")),
    ("circle", ("o", "a", "b", "c"), ("o", "a", "b", "n")),
    ("simtri", ("a", "b", "c", "u", "v", "w"), ("a", "b", "c", "x", "y", "z")),
    ("simtri2", ("a", "b", "c", "x", "y", "z"), ("a", "b", "c", "u", "v", "w")),
    ("simtrir", ("a", "b", "c", "x", "y", "z"), ("a", "b", "c", "u", "v", "w")),
    ("contri", ("u", "v", "w", "k", "h", "g"), ("a", "b", "c", "u", "v", "w")),
    ("contri2", ("u", "v", "w", "x", "y", "z"), ("u", "v", "w", "k", "h", "g")),
    ("contrir", ("u", "v", "w", "x", "y", "z"), ("u", "v", "w", "k", "h", "g")),
    ("aconst", ("a", "b", "a", "e", "1pi/3"), ("a", "b", "a", "e", "2pi/3")),
    ("aconst", ("a", "e", "a", "b", "120o"), ("a", "e", "a", "b", "60o")),
    ("aconst", ("a", "b", "a", "c", "45o"), ("a", "b", "a", "c", "5o")),
    ("rconst", ("a", "m", "a", "b", "1/2"), ("a", "m", "a", "b", "2/1")),
    ("r2const", ("a", "c", "a", "b", "2/1"), ("a", "c", "a", "b", "1/2")),
    ("lconst", ("q", "r", "5"), ("q", "r", "4")),
    ("l2const", ("q", "r", "25"), ("q", "r", "5")),
    ("sameclock", ("a", "b", "c", "u", "v", "w"), ("a", "b", "c", "x", "y", "z")),
    # m lies between a and b (inside), n outside segment ab
    ("sameside", ("n", "a", "b", "c", "a", "b"), ("n", "a", "b", "m", "a", "b")),
    ("nsameside", ("m", "a", "b", "n", "a", "b"), ("n", "a", "b", "c", "a", "b")),
    ("obtuse_angle", ("a", "m", "c"), ("a", "b", "c")),
    ("diff", ("a", "b"), ("a", "p")),
    # a c + c b = a b (here: a m + m b = a b), and the converse fails for n
    ("lequation", ("1/1", "a", "m", "1/1", "m", "b", "-1/1", "a", "b", "0/1"),
     ("1/1", "a", "n", "1/1", "n", "b", "-1/1", "a", "b", "0/1")),
    # Pythagoras with uppercase names: PQ^2 + PR^2 = QR^2
    ("lequation", tuple("1/1 P Q * P Q 1/1 P R * P R -1/1 Q R * Q R 0".split()),
     tuple("1/1 P Q * P Q -1/1 Q R * Q R 0".split())),
    ("lequation", ("1/1", "q", "r", "5"), ("1/1", "q", "r", "4")),
    # angle(AB, AE) + angle(EA, EB) = 60 + 60 = 120 degrees
    ("aequation", ("1/1", "a", "b", "a", "e", "1/1", "e", "a", "e", "b", "2pi/3"),
     ("1/1", "a", "b", "a", "e", "1/1", "e", "a", "e", "b", "90o")),
    ("aequation", ("2/1", "a", "b", "a", "c", "90o"), ("1/1", "a", "b", "a", "c", "90o")),
]


@pytest.mark.parametrize(("name", "true_args", "false_args"), CASES, ids=[c[0] for c in CASES])
def test_true_and_false(name: str, true_args: tuple[str, ...], false_args: tuple[str, ...]) -> None:
    assert check_predicate(name, true_args, POINTS)
    assert not check_predicate(name, false_args, POINTS)


@pytest.mark.parametrize("name", ["acompute", "rcompute", "lcompute"])
def test_compute_goals_always_hold(name: str) -> None:
    args = ("a", "b") if name == "lcompute" else ("a", "b", "a", "c")
    assert check_predicate(name, args, POINTS)


def test_every_goal_predicate_has_a_case() -> None:
    covered = {c[0] for c in CASES} | {"acompute", "rcompute", "lcompute"}
    assert covered == set(GOAL_PREDICATES)


def test_checks_are_scale_invariant() -> None:
    for factor in (1e-3, 1e3):
        scaled = {k: v * factor + 7.0 for k, v in POINTS.items()}
        for name, true_args, false_args in CASES:
            if name in ("lconst", "l2const", "lequation") and true_args[-1] not in ("0", "0/1"):
                continue  # absolute lengths change with the scale
            assert check_predicate(name, true_args, scaled), (factor, name, true_args)
            assert not check_predicate(name, false_args, scaled), (factor, name, false_args)


def test_small_perturbation_is_detected() -> None:
    moved = dict(POINTS)
    moved["c"] = POINTS["c"] + np.array([1e-4, 0.0])
    assert not check_predicate("perp", ("a", "b", "b", "c"), moved)
    assert not check_predicate("cyclic", ("a", "b", "c", "d"), moved)
    assert not check_predicate("cong", ("a", "b", "b", "c"), {**moved, "c": POINTS["c"] * (1 + 1e-4)})


def test_degenerate_lines_are_not_parallel_or_perpendicular() -> None:
    assert not check_predicate("para", ("a", "p", "a", "b"), POINTS)
    assert not check_predicate("perp", ("a", "p", "a", "b"), POINTS)
    assert not check_predicate("eqangle", ("a", "p", "a", "b", "a", "b", "a", "c"), POINTS)


def test_unknown_predicate_or_point_raises() -> None:
    with pytest.raises(PredicateError):
        check_predicate("parallel", ("a", "b", "c", "d"), POINTS)
    with pytest.raises(PredicateError):
        check_predicate("coll", ("a", "b", "nowhere"), POINTS)
    with pytest.raises(PredicateError):
        check_predicate("aconst", ("a", "b", "a", "c", "deg"), POINTS)
