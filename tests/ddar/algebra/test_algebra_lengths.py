"""Ratio chasing (log-lengths with exact prime-power constants) and distance chasing along lines."""

from __future__ import annotations

from fractions import Fraction

import pytest

from tonggeo.ddar.algebra import (
    DistanceTable,
    InconsistentFact,
    NumericMismatch,
    PowerProduct,
    RatioTable,
    collinear_equations,
    verify_certificate,
)


def test_cong_and_rconst_chains() -> None:
    table = RatioTable()
    table.add({1: 1, 2: -1}, 1, fact=1)  # |s1| = |s2|
    table.add({2: 1, 3: -1}, Fraction(1, 2), fact=2)  # |s2| / |s3| = 1/2
    table.add({3: 1, 4: -1}, 3, fact=3)  # |s3| / |s4| = 3
    assert table.constant({1: 1, 4: -1}) == PowerProduct.of(Fraction(3, 2))
    assert table.implied({4: 1, 1: -1}, Fraction(2, 3))
    assert not table.implied({4: 1, 1: -1}, Fraction(3, 2))
    cert = table.explain({1: 1, 4: -1}, Fraction(3, 2))
    assert cert is not None and dict(cert.terms) == {1: 1, 2: 1, 3: 1}
    assert verify_certificate(cert, table.facts)


def test_eqratio_transitivity() -> None:
    table = RatioTable()
    table.add({1: 1, 2: -1, 3: -1, 4: 1}, 1, fact=1)  # s1/s2 = s3/s4
    table.add({3: 1, 4: -1, 5: -1, 6: 1}, 1, fact=2)  # s3/s4 = s5/s6
    assert table.implied({1: 1, 2: -1, 5: -1, 6: 1}, 1)
    assert table.constant({1: 1, 2: -1}) is None


def test_r2const_gives_an_exact_root() -> None:
    table = RatioTable()
    table.add({1: 2, 2: -2}, 3, fact=1)  # s1^2 / s2^2 = 3
    root3 = table.constant({1: 1, 2: -1})
    assert root3 is not None and root3.as_fraction() is None
    assert abs(float(root3) - 3**0.5) < 1e-12
    table.add({2: 1, 3: -1}, 2, fact=2)
    value = table.constant({1: 2, 3: -2})
    assert value == PowerProduct.of(12)
    cert = table.explain({1: 1, 2: -1}, root3)
    assert cert is not None and dict(cert.terms) == {1: Fraction(1, 2)}
    assert verify_certificate(cert, table.facts)


def test_ratio_numeric_check_and_contradiction() -> None:
    table = RatioTable()
    table.add_variable(1, 2.0)
    table.add_variable(2, 1.0)
    table.add({1: 1, 2: -1}, 2, fact=1)
    with pytest.raises(NumericMismatch):
        table.add({1: 1, 2: -1}, 3, fact=2)
    with pytest.raises(ValueError):
        table.add_variable(3, 0.0)
    other = RatioTable()
    other.add({1: 1, 2: -1}, 2, fact=1)
    with pytest.raises(InconsistentFact):
        other.add({2: 1, 1: -1}, 2, fact=2)


def test_sums_along_a_line() -> None:
    # points 0 < 1 < 2 < 3 on a line at positions 0, 1, 3, 6
    pos = {0: 0.0, 1: 1.0, 2: 3.0, 3: 6.0}
    ids: dict[tuple[int, int], int] = {}

    def segment(a: int, b: int) -> int:
        return ids.setdefault((min(a, b), max(a, b)), len(ids))

    table = DistanceTable()
    for fact, (coeffs, triple) in enumerate(collinear_equations([0, 1, 2, 3], segment)):
        assert triple[0] < triple[1] < triple[2]
        table.add(coeffs, 0, fact=fact)
    for (a, b), s in ids.items():
        table.add_variable(s, abs(pos[b] - pos[a]))
    assert len(ids) == 6
    # AD = AB + BC + CD
    assert table.implied({segment(0, 3): 1, segment(0, 1): -1, segment(1, 2): -1, segment(2, 3): -1}, 0)
    table.add({segment(0, 1): 1}, 1, fact=100)  # lconst
    table.add({segment(1, 2): 1}, 2, fact=101)
    table.add({segment(2, 3): 1}, 3, fact=102)
    assert table.constant({segment(0, 3): 1}) == 6
    assert table.constant({segment(1, 3): 1}) == 5
    cert = table.explain({segment(0, 2): 1}, 3)
    assert cert is not None and verify_certificate(cert, table.facts)
    with pytest.raises(NumericMismatch):
        table.add({segment(0, 2): 1}, 4, fact=103)


def test_midpoints() -> None:
    # M midpoint of AB, N midpoint of AM: AN = NM, AM = MB; so AB = 4 AN
    am, mb, an, nm, ab = 1, 2, 3, 4, 5
    table = DistanceTable()
    table.add({am: 1, mb: -1}, 0, fact=1)
    table.add({an: 1, nm: -1}, 0, fact=2)
    table.add({am: 1, mb: 1, ab: -1}, 0, fact=3)  # M between A and B
    table.add({an: 1, nm: 1, am: -1}, 0, fact=4)  # N between A and M
    assert table.implied({ab: 1, an: -4}, 0)
    assert table.constant({ab: 1, an: -1}) is None
    cert = table.explain({ab: 1, an: -4}, 0)
    assert cert is not None and verify_certificate(cert, table.facts)
    classes = table.classes()
    assert any({v for v, _ in group} >= {am, mb} for group in classes)
