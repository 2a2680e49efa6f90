"""The Numba fingerprint kernels against their plain-Python references, and their input checks."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from tonggeo.config import AlgebraTablesConfig
from tonggeo.ddar.algebra import AngleTable, DistanceTable
from tonggeo.ddar.algebra.basis import Basis
from tonggeo.ddar.algebra.constants import LengthSpace
from tonggeo.ddar.algebra.kernels import column_weights, fingerprints, residues
from tonggeo.ddar.algebra.modular import ModularImage
from tonggeo.ddar.algebra.reference import fingerprints_reference, residues_reference

P = 2147483647
COMPILED = AlgebraTablesConfig(use_numba=True)
PLAIN = AlgebraTablesConfig(use_numba=False)


def _random_echelon(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, ...]:
    pivots = np.sort(rng.choice(n, size=m, replace=False)).astype(np.int64)
    cols_list, vals_list, indptr = [], [], [0]
    for c in pivots:
        width = int(rng.integers(0, min(int(c), 6) + 1))
        below = rng.choice(int(c), size=width, replace=False) if width else np.zeros(0, dtype=np.int64)
        row_cols = np.concatenate([below.astype(np.int64), [c]])
        cols_list.append(row_cols)
        vals_list.append(rng.integers(0, P, size=len(row_cols)))
        indptr.append(indptr[-1] + len(row_cols))
    cols = np.concatenate(cols_list).astype(np.int64) if cols_list else np.zeros(0, dtype=np.int64)
    vals = np.concatenate(vals_list).astype(np.int64) if vals_list else np.zeros(0, dtype=np.int64)
    inverses = rng.integers(1, P, size=m).astype(np.int64)
    return pivots, inverses, np.array(indptr, dtype=np.int64), cols, vals


@pytest.mark.parametrize("seed", range(6))
def test_fingerprint_kernel_matches_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 60, 35
    pivots, inverses, indptr, cols, vals = _random_echelon(rng, n, m)
    weights = column_weights(n, seed, P)
    got = fingerprints(n, pivots, inverses, indptr, cols, vals, weights, P, COMPILED)
    plain = fingerprints(n, pivots, inverses, indptr, cols, vals, weights, P, PLAIN)
    ref = fingerprints_reference(n, pivots, inverses, indptr, cols, vals, weights, P)
    assert np.array_equal(got, ref) and np.array_equal(plain, ref)


@pytest.mark.parametrize("seed", range(6))
def test_residue_kernel_matches_reference(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, m = 40, 200
    f = rng.integers(0, P, size=n).astype(np.int64)
    lengths = rng.integers(0, 6, size=m)
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    cols = rng.integers(0, n, size=int(indptr[-1])).astype(np.int64)
    vals = rng.integers(0, P, size=int(indptr[-1])).astype(np.int64)
    got = residues(f, indptr, cols, vals, P, COMPILED)
    assert np.array_equal(got, residues_reference(f, indptr, cols, vals, P))
    assert np.array_equal(residues(f, indptr, cols, vals, P, PLAIN), got)


@pytest.mark.parametrize("seed", range(4))
def test_fingerprints_vanish_on_the_basis(seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    basis: Basis[object] = Basis(LengthSpace())  # type: ignore[arg-type]
    n = 30
    for fact in range(40):
        cols = rng.choice(n, size=int(rng.integers(1, 5)), replace=False)
        basis.insert({int(c): int(rng.integers(-3, 4)) or 1 for c in cols}, Fraction(0), fact)
    image = ModularImage(basis, COMPILED)
    for f, p in zip(image.fingerprints(n), COMPILED.primes, strict=True):
        for row in basis.rows.values():
            assert sum(x * int(f[c]) for c, x in row.coeffs.items()) % p == 0


def test_inputs_are_checked() -> None:
    rng = np.random.default_rng(7)
    pivots, inverses, indptr, cols, vals = _random_echelon(rng, 20, 8)
    weights = column_weights(20, 1, P)
    with pytest.raises(TypeError):
        fingerprints(20, pivots.astype(np.int32), inverses, indptr, cols, vals, weights, P)
    with pytest.raises(ValueError):
        fingerprints(20, pivots[::-1].copy(), inverses, indptr, cols, vals, weights, P)
    with pytest.raises(ValueError):
        fingerprints(20, pivots, inverses, indptr, cols, vals + P, weights, P)
    with pytest.raises(ValueError):
        fingerprints(10, pivots, inverses, indptr, cols, vals, weights[:10].copy(), P)
    with pytest.raises(ValueError):
        residues(weights, indptr[:-1].copy(), cols, vals, P)
    with pytest.raises(ValueError):
        residues(weights, indptr, cols, vals, 2**31 + 11)


def test_weights_are_deterministic_and_in_range() -> None:
    w = column_weights(1000, 5, P)
    assert np.array_equal(w, column_weights(1000, 5, P))
    assert w.min() >= 1 and w.max() < P
    assert len(np.unique(w)) == 1000


Candidates = list[tuple[dict[int, int], Fraction]]


def _random_table(seed: int, config: AlgebraTablesConfig) -> tuple[DistanceTable | AngleTable, Candidates]:
    rng = np.random.default_rng(300 + seed)
    n = 40
    angle = seed % 2 == 0
    table: DistanceTable | AngleTable = AngleTable(config) if angle else DistanceTable(config)
    hidden = [Fraction(int(h), 12) for h in rng.integers(0, 24, size=n)]

    def value(coeffs: dict[int, int]) -> Fraction:
        total = sum((c * hidden[v] for v, c in coeffs.items()), Fraction(0))
        return total % 1 if angle else total

    facts = []
    for fact in range(25):
        cols = rng.choice(n, size=int(rng.integers(2, 5)), replace=False)
        coeffs = {int(c): int(rng.integers(1, 5)) * int(rng.choice([-1, 1])) for c in cols}
        table.add(coeffs, value(coeffs), fact)
        facts.append(coeffs)
    cands = []
    for _ in range(300):
        i, j = (int(x) for x in rng.integers(0, len(facts), size=2))
        combo: dict[int, int] = {}
        for v, c in list(facts[i].items()) + [(v, -c) for v, c in facts[j].items()]:
            combo[v] = combo.get(v, 0) + c
        combo = {v: c for v, c in combo.items() if c}
        if combo:
            cands.append((combo, value(combo)))
            cands.append((combo, value(combo) + Fraction(1, 3)))
        cols = rng.choice(n, size=3, replace=False)
        rand = {int(c): int(rng.integers(-2, 3)) or 1 for c in cols}
        cands.append((rand, value(rand)))
    return table, cands


@pytest.mark.parametrize(
    "primes", [(2147483647, 2147483629), (11, 13), (3, 5)], ids=["large", "small", "tiny"]
)
@pytest.mark.parametrize("seed", range(4))
def test_batch_agrees_with_exact_answers(seed: int, primes: tuple[int, int]) -> None:
    config = AlgebraTablesConfig(primes=primes, check_numeric=False)
    table, cands = _random_table(seed, config)
    got = table.implied_equalities(cands)
    want = [table.implied(c, k) for c, k in cands]
    assert got == want
    assert any(want) and not all(want)
