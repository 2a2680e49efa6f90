"""A modular image of a `Basis`, kept in step with it row by row, that feeds the fingerprint kernels.

Only rows the basis marked dirty are re-reduced mod p, so a batch after a few additions costs a few row
conversions, one concatenation and one kernel sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

import numpy as np
from numpy.typing import NDArray

from tonggeo.config import AlgebraTablesConfig
from tonggeo.ddar.algebra.basis import Basis
from tonggeo.ddar.algebra.kernels import Int64Array, column_weights, fingerprints, residues


@dataclass(slots=True)
class _ModRow:
    cols: list[int]
    vals: tuple[list[int], ...]
    inverses: tuple[int, ...]


class ModularImage:
    """Fingerprints of every column of a basis for the configured primes, recomputed on demand."""

    def __init__(self, basis: Basis[object], config: AlgebraTablesConfig) -> None:
        self._basis = basis
        self._config = config
        self._rows: dict[int, _ModRow] = {}
        self._cached: tuple[Int64Array, ...] | None = None
        self._cached_n = -1
        self._singular = False

    def copy(self, basis: Basis[object]) -> ModularImage:
        """The image of `basis`, a copy of this image's basis; converted rows are shared (immutable)."""
        other = ModularImage(basis, self._config)
        other._rows = dict(self._rows)
        other._cached, other._cached_n, other._singular = self._cached, self._cached_n, self._singular
        return other

    @property
    def usable(self) -> bool:
        """False if some pivot value vanishes mod a prime (then callers use exact arithmetic only)."""
        self._sync()
        return not self._singular

    def _sync(self) -> None:
        basis = self._basis
        if not basis.dirty:
            return
        primes = self._config.primes
        for c in basis.dirty:
            row = basis.rows.get(c)
            if row is None:
                self._rows.pop(c, None)
                continue
            items = row.coeffs
            cols = list(items)
            vals = tuple([x % p for x in items.values()] for p in primes)
            d = row.coeffs[c]
            inv = tuple(pow(d, -1, p) if d % p else 0 for p in primes)
            self._rows[c] = _ModRow(cols, vals, inv)
        basis.dirty.clear()
        self._singular = any(0 in r.inverses for r in self._rows.values())
        self._cached = None

    def fingerprints(self, n: int) -> tuple[Int64Array, ...]:
        """One array of length n per prime; a vector q is in the span only if `q . f == 0` for each."""
        self._sync()
        if self._cached is not None and self._cached_n == n:
            return self._cached
        order = sorted(self._rows)
        rows = [self._rows[c] for c in order]
        pivots = np.array(order, dtype=np.int64)
        lengths = np.array([len(r.cols) for r in rows], dtype=np.int64)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        total = int(indptr[-1])
        cols = np.fromiter(chain.from_iterable(r.cols for r in rows), dtype=np.int64, count=total)
        out = []
        for i, p in enumerate(self._config.primes):
            vals = np.fromiter(chain.from_iterable(r.vals[i] for r in rows), dtype=np.int64, count=total)
            inverses = np.array([r.inverses[i] for r in rows], dtype=np.int64)
            weights = column_weights(n, self._config.fingerprint_seed + i, p)
            out.append(fingerprints(n, pivots, inverses, indptr, cols, vals, weights, p, self._config))
        self._cached = tuple(out)
        self._cached_n = n
        return self._cached

    def candidate_mask(
        self, n: int, indptr: Int64Array, cols: Int64Array, coefs: Int64Array
    ) -> NDArray[np.bool_]:
        """True where the candidate rows (CSR, integer coefficients) pass every prime's fingerprint test."""
        fps = self.fingerprints(n)
        mask = np.ones(indptr.shape[0] - 1, dtype=np.bool_)
        for f, p in zip(fps, self._config.primes, strict=True):
            vals = np.mod(coefs, p).astype(np.int64)
            mask &= residues(f, indptr, cols, vals, p, self._config) == 0
        return mask

