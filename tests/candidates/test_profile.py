"""Construction profiles: kind (point / locus / shape) and argument symmetries, found numerically."""

from __future__ import annotations

import pytest

from tonggeo.candidates.profile import LOCUS, OTHER, POINT, SHAPE, profile_of
from tonggeo.dsl.parser import default_catalogue

# (construction, kind, symmetry group order, one non-trivial symmetry as the permuted argument names)
EXPECTED = [
    ("midpoint", POINT, 2, "x b a"),
    ("mirror", POINT, 1, None),
    ("foot", POINT, 2, "x a c b"),
    ("circumcenter", POINT, 6, "x b c a"),
    ("incenter", POINT, 6, "x c a b"),
    ("excenter", POINT, 2, "x a c b"),
    ("orthocenter", POINT, 6, "x c b a"),
    ("eq_triangle", POINT, 2, "x c b"),
    ("intersection_ll", POINT, 8, "x c d a b"),
    ("intersection_cc", POINT, 2, "x w o a"),
    ("intersection_lc", POINT, 1, None),
    ("parallelogram", POINT, 2, "c b a x"),
    ("centroid", POINT, 6, "y x z i b a c"),
    ("tangent", POINT, 2, "y x a o b"),
    ("on_line", LOCUS, 2, "x b a"),
    ("on_circle", LOCUS, 1, None),
    ("on_circum", LOCUS, 6, "x c a b"),
    ("on_tline", LOCUS, 2, "x a c b"),
    ("angle_bisector", LOCUS, 2, "x c b a"),
    ("segment", SHAPE, 2, "b a"),
    ("triangle", SHAPE, 6, "c a b"),
    ("iso_triangle", SHAPE, 2, "a c b"),
    ("r_triangle", SHAPE, 2, "a c b"),
    ("rectangle", SHAPE, 8, "b c d a"),
    ("trapezoid", SHAPE, 8, "d c b a"),
    ("quadrangle", SHAPE, 24, "d a c b"),
    ("s_angle", OTHER, 1, None),
]


@pytest.mark.parametrize(("name", "kind", "order", "example"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_profile(name: str, kind: str, order: int, example: str | None) -> None:
    profile = profile_of(name)
    construction = default_catalogue()[name]
    assert profile.kind == kind
    assert profile.order == order
    assert profile.symmetries[0] == tuple(range(construction.arity))
    images = {" ".join(construction.args[i] for i in s) for s in profile.symmetries}
    if example is not None:
        assert example in images


@pytest.mark.parametrize("name", [n for n, *_ in EXPECTED], ids=[n for n, *_ in EXPECTED])
def test_symmetries_form_a_group(name: str) -> None:
    group = set(profile_of(name).symmetries)
    for s in group:
        for t in group:
            assert tuple(s[i] for i in t) in group


def test_canonical_args_is_the_least_image() -> None:
    profile = profile_of("intersection_ll")
    assert profile.canonical_args(("x", "d", "c", "b", "a")) == ("x", "a", "b", "c", "d")
    rank = {"d": 0, "c": 1, "b": 2, "a": 3, "x": -1}
    assert profile.canonical_args(("x", "a", "b", "c", "d"), rank) == ("x", "d", "c", "b", "a")
