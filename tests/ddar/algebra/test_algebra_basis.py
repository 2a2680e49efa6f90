"""The exact basis alone: echelon invariants after every insertion, in both modes."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from tonggeo.ddar.algebra.basis import Basis, xgcd
from tonggeo.ddar.algebra.constants import AngleSpace, LengthSpace


def _check_invariants(basis: Basis[Fraction]) -> None:
    rows = basis.rows
    for c, row in rows.items():
        d = row.coeffs[c]
        assert d > 0
        assert max(row.coeffs) == c
        assert (c in basis.big) == (d > 1)
        for k, x in row.coeffs.items():
            if k != c and k in rows:
                assert 0 <= x < rows[k].coeffs[k]
        assert all(isinstance(x, int) for x in row.coeffs.values())


@pytest.mark.parametrize("lattice", [True, False], ids=["angle", "length"])
@pytest.mark.parametrize("seed", range(5))
def test_invariants_hold_after_every_insertion(seed: int, lattice: bool) -> None:
    rng = np.random.default_rng(seed)
    basis: Basis[Fraction] = Basis(AngleSpace() if lattice else LengthSpace())
    hidden = [Fraction(int(h), 12) for h in rng.integers(0, 12, size=12)]
    inserted: list[dict[int, int]] = []
    for source in range(30):
        cols = rng.choice(12, size=int(rng.integers(1, 4)), replace=False)
        coeffs = {int(c): int(rng.integers(1, 5)) * int(rng.choice([-1, 1])) for c in cols}
        const = sum((x * hidden[c] for c, x in coeffs.items()), Fraction(0))
        basis.insert(coeffs, const % 1 if lattice else const, source)
        inserted.append(coeffs)
        _check_invariants(basis)
        for row in basis.rows.values():
            # the row holds in the hidden solution ...
            value = sum((x * hidden[c] for c, x in row.coeffs.items()), Fraction(0))
            assert (value - row.const) % 1 == 0 if lattice else value == row.const
            # ... and is exactly the combination its provenance states (integral in lattice mode)
            combo: dict[int, Fraction] = {}
            for src, coef in row.prov.items():
                assert not lattice or isinstance(coef, int)
                for c, x in inserted[src].items():
                    combo[c] = combo.get(c, Fraction(0)) + coef * x
            assert {c: x for c, x in combo.items() if x} == row.coeffs


def test_rational_mode_redundancy_with_non_divisible_pivots() -> None:
    basis: Basis[Fraction] = Basis(LengthSpace())
    assert basis.insert({0: 2, 1: 3}, Fraction(5), 0)
    assert not basis.insert({0: 4, 1: 6}, Fraction(10), 1)
    assert not basis.insert({0: -6, 1: -9}, Fraction(-15), 2)
    assert basis.insert({0: 1}, Fraction(1), 3)
    red = basis.reduce({1: 1})
    assert red.in_span and basis.value(red) == (1, Fraction(1))


@pytest.mark.parametrize(("a", "b"), [(12, 18), (-7, 3), (5, -10), (0, 4), (4, 0), (-6, -4)])
def test_xgcd(a: int, b: int) -> None:
    g, s, t = xgcd(a, b)
    assert g > 0 and s * a + t * b == g
    assert a % g == 0 and b % g == 0
