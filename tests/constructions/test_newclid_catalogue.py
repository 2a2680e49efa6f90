"""Newclid 3's construction catalogue, written as Newclid writes it: every name is supported, and each
call in Newclid's own argument order parses, draws (three seeds) and satisfies the facts Newclid states.

The facts below are transcribed from the catalogue description (/work/shared/problems/newclid/
CONSTRUCTIONS.md, Tables A and B), independently of tonggeo's definition files, so a definition that
drifts from Newclid's meaning fails here even when it is self-consistent.
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

from tonggeo.constructions import load_catalogue
from tonggeo.diagram import build_diagram, check_predicate
from tonggeo.dsl import parse_problem

CATALOGUE = load_catalogue()

# AlphaGeometry constructions Newclid 3 dropped (or renamed: eq_trapezoid -> iso_trapezoid)
AG_ONLY = frozenset({"eq_trapezoid", "on_aline2", "cc_tangent0", "on_opline"})

# (problem text in Newclid's call form, facts Newclid states for the last clause)
NEWCLID_ONLY: dict[str, tuple[str, tuple[str, ...]]] = {
    "acute_triangle": ("a b c = acute_triangle a b c", ()),
    "between": ("c a b = between c a b", ("coll a b c", "obtuse_angle a c b")),
    "between_bound": ("a b = segment a b; x = between_bound x a b", ("coll x a b", "obtuse_angle a x b")),
    "iso_triangle0": ("a b c = iso_triangle0 a b c", ("cong a b a c",)),
    "iso_trapezoid": ("a b c d = iso_trapezoid a b c d", ("para d c a b", "cong d a b c")),
    "iso_trapezoid2": (
        "a b c = triangle a b c; x = iso_trapezoid2 x a b c",
        ("cong x b a c", "cong x a b c", "para x c a b"),
    ),
    "iso_triangle_vertex": ("b c = segment b c; x = iso_triangle_vertex x b c", ("cong x b x c",)),
    "iso_triangle_vertex_angle": (
        "b c = segment b c; x = iso_triangle_vertex_angle x b c",
        ("eqangle x b b c b c x c",),
    ),
    "on_pline0": ("a b c = triangle a b c; x = on_pline0 x a b c", ("para x a b c",)),
    "on_aline0": (
        "a b c d = quadrangle a b c d; e f g = triangle e f g; x = on_aline0 x a b c d e f g",
        ("eqangle a b c d e f g x",),
    ),
    "aconst": ("a b c = triangle a b c; x = aconst a b c x 2pi/7", ("aconst a b c x 2pi/7",)),
    "rconst": ("a b c = triangle a b c; x = rconst a b c x 3/2", ("rconst a b c x 3/2",)),
    "rconst2": ("a b = segment a b; x = rconst2 x a b 2/3", ("rconst x a x b 2/3",)),
    "r2const": ("a b c = triangle a b c; x = r2const a b c x 2/1", ("r2const a b c x 2/1",)),
    "eqratio": (
        "a b c d = quadrangle a b c d; e f g = triangle e f g; x = eqratio x a b c d e f g",
        ("eqratio a b c d e f g x",),
    ),
    "eqratio6": (
        "a c = segment a c; e f g h = quadrangle e f g h; x = eqratio6 x a c e f g h",
        ("eqratio a x c x e f g h",),
    ),
    "lconst": ("a = free a; x = lconst x a 2", ("lconst x a 2",)),
    "l2const": ("a = free a; x = l2const x a 3", ("l2const x a 3",)),
    "simtri": ("a b c = triangle a b c; p q = segment p q; r = simtri r a b c p q", ("simtri a b c p q r",)),
    "simtrir": (
        "a b c = triangle a b c; p q = segment p q; r = simtrir r a b c p q",
        ("simtrir a b c p q r",),
    ),
    "contri": ("a b c = triangle a b c; p = free p; q r = contri q r a b c p", ("contri a b c p q r",)),
    "contrir": ("a b c = triangle a b c; p = free p; q r = contrir q r a b c p", ("contrir a b c p q r",)),
    "cc_itangent": (
        "o = free o; a = lconst a o 1; w = lconst w o 4; b = lconst b w 2; "
        "x y z i = cc_itangent x y z i o a w b",
        (
            "cong o x o a", "cong w y w b", "perp x o x y", "perp y w y x",
            "cong o z o a", "cong w i w b", "perp z o z i", "perp i w i z",
        ),
    ),
    "test_r20": ("o a b c = test_r20 o a b c", ("circle o a b c", "coll o a c")),
    "test_r25": ("a b c d m = test_r25 a b c d m", ("midp m a b", "midp m c d")),
}

# constructions both systems have, where Newclid's argument order or stated facts differ (Table B)
NEWCLID_CHANGED: dict[str, tuple[str, tuple[str, ...]]] = {
    "parallelogram": (
        "a b c = triangle a b c; x = parallelogram x a b c",
        ("para a b c x", "para a x b c", "cong a b c x", "cong a x b c"),
    ),
    "square": (
        "a b = segment a b; x y = square x y a b",
        ("perp a b b x", "cong a b b x", "para a b x y", "para a y b x", "perp a y y x", "cong b x x y",
         "cong x y y a", "perp a x b y", "cong a x b y"),
    ),
    "s_angle": ("a b = segment a b; x = s_angle a b x 50o", ("aconst a b b x 5pi/18",)),
    "circle": ("a b c = triangle a b c; x = circle x a b c", ("circle x a b c", "cong x a x b")),
    "midpoint": ("a b = segment a b; x = midpoint x a b", ("midp x a b",)),
    "trisegment": (
        "a b = segment a b; x y = trisegment x y a b",
        ("coll x a b", "coll y a b", "cong x a x y", "cong y x y b", "rconst a x a b 1/3"),
    ),
    "ninepoints": (
        "a b c = triangle a b c; x y z i = ninepoints x y z i a b c",
        ("midp x b c", "midp y c a", "midp z a b", "cong i x i y", "cong i x i z"),
    ),
}


def newclid_names() -> set[str]:
    """Newclid 3's registered names: AG's 68 less the four it dropped, plus its 25 additions."""
    ag = {name for name, c in CATALOGUE.items() if c.source == "ag"}
    assert len(ag) == 68
    return (ag - AG_ONLY) | set(NEWCLID_ONLY)


def test_every_newclid_name_is_supported() -> None:
    names = newclid_names()
    assert len(names) == 89  # 88 registered + ninepoints, which Newclid defines but does not register
    assert not names - set(CATALOGUE)
    # iso_trapezoid is AG's eq_trapezoid renamed: same facts
    assert CATALOGUE["iso_trapezoid"].all_facts() == CATALOGUE["eq_trapezoid"].all_facts()


@pytest.mark.parametrize("name", sorted({**NEWCLID_ONLY, **NEWCLID_CHANGED}), ids=str)
def test_newclid_call_form_draws_with_newclid_facts(name: str) -> None:
    text, facts = {**NEWCLID_ONLY, **NEWCLID_CHANGED}[name]
    problem = parse_problem(text, name)
    assert problem.clauses[-1].calls[0].name == name
    for seed in range(3):
        diagram = build_diagram(problem, np.random.default_rng(seed))
        for fact in facts:
            pred, *args = fact.split()
            assert check_predicate(pred, args, diagram.points), f"seed {seed}: {fact}"


def _angles(a: complex, b: complex, c: complex) -> list[float]:
    return [abs(cmath.phase((q - v) / (p - v))) for v, p, q in ((a, b, c), (b, c, a), (c, a, b))]


@pytest.mark.parametrize("seed", range(20))
def test_acute_triangle_is_acute(seed: int) -> None:
    diagram = build_diagram(parse_problem("a b c = acute_triangle a b c"), np.random.default_rng(seed))
    a, b, c = (diagram.complex_points[p] for p in "abc")
    angles = _angles(a, b, c)
    assert max(angles) < math.radians(89) and min(angles) > math.radians(10)
    assert sum(angles) == pytest.approx(math.pi)


def test_iso_trapezoid2_draws_the_trapezoid_not_the_parallelogram() -> None:
    text = "a b c = triangle a b c; x = iso_trapezoid2 x a b c"
    for seed in range(5):
        diagram = build_diagram(parse_problem(text), np.random.default_rng(seed))
        a, b, c, x = (diagram.complex_points[p] for p in "abcx")
        assert abs(x - (a + b - c)) > 1e-3
        assert check_predicate("cyclic", ["a", "b", "c", "x"], diagram.points)

