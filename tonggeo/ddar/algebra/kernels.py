"""Numba kernels for the batch queries: modular fingerprints of the quotient by the span of a basis.

A fingerprint is a linear functional f mod p that vanishes on every basis row; with pseudo-random
weights on the free columns, `f . q == 0 (mod p)` for two primes says that q is (almost surely) in the
span. A member of the span always passes (no false negatives while every pivot value is invertible
mod p), and callers re-check every positive in exact arithmetic, so a modular accident never makes a
wrong fact. The public functions validate their inputs and run the compiled kernel, or the plain-Python
reference in `reference.py` when Numba is disabled. The kernels themselves live in `_compiled.py`,
imported on first use so that importing the engine does not import Numba.
"""

from __future__ import annotations

import os
from types import ModuleType

import numpy as np
from numpy.typing import NDArray

from tonggeo.config import DEFAULT_ALGEBRA, AlgebraTablesConfig
from tonggeo.ddar.algebra.reference import fingerprints_reference, residues_reference

Int64Array = NDArray[np.int64]

def use_compiled(config: AlgebraTablesConfig) -> bool:
    """Whether to run the compiled kernels (Numba is imported on first use, not with this module)."""
    if not config.use_numba or os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        return False
    return not _compiled().DISABLE_JIT


def _compiled() -> ModuleType:
    from tonggeo.ddar.algebra import _compiled as module

    return module


def column_weights(n: int, seed: int, p: int) -> Int64Array:
    """Deterministic pseudo-random weights in [1, p) for columns 0..n-1 (splitmix64 of seed and column)."""
    with np.errstate(over="ignore"):
        z = np.arange(n, dtype=np.uint64) + np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
        z = z * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z % np.uint64(p - 1)).astype(np.int64) + 1


def _check_array(name: str, a: object, length: int | None = None) -> None:
    if not isinstance(a, np.ndarray) or a.dtype != np.int64 or a.ndim != 1 or not a.flags.c_contiguous:
        raise TypeError(f"{name} must be a contiguous 1-d int64 array")
    if length is not None and a.shape[0] != length:
        raise ValueError(f"{name} has length {a.shape[0]}, expected {length}")


def _check_csr(indptr: Int64Array, cols: Int64Array, vals: Int64Array, n: int, p: int) -> None:
    _check_array("indptr", indptr)
    _check_array("cols", cols)
    _check_array("vals", vals, cols.shape[0])
    if indptr.shape[0] < 1 or indptr[0] != 0 or indptr[-1] != cols.shape[0]:
        raise ValueError("indptr must start at 0 and end at len(cols)")
    if np.any(np.diff(indptr) < 0):
        raise ValueError("indptr must be non-decreasing")
    if cols.shape[0] and (cols.min() < 0 or cols.max() >= n):
        raise ValueError("column index out of range")
    if vals.shape[0] and (vals.min() < 0 or vals.max() >= p):
        raise ValueError("values must be reduced mod p")


def _check_prime(p: int) -> None:
    if not 2 < p < 2**31:
        raise ValueError("p must be a prime below 2**31 so products fit in int64")


def fingerprints(
    n: int,
    pivots: Int64Array,
    pivot_inverses: Int64Array,
    indptr: Int64Array,
    cols: Int64Array,
    vals: Int64Array,
    weights: Int64Array,
    p: int,
    config: AlgebraTablesConfig = DEFAULT_ALGEBRA,
) -> Int64Array:
    """Per-column fingerprint of the basis given as CSR rows sorted by increasing pivot column."""
    _check_prime(p)
    _check_array("pivots", pivots)
    _check_array("pivot_inverses", pivot_inverses, pivots.shape[0])
    _check_array("weights", weights, n)
    _check_csr(indptr, cols, vals, n, p)
    if indptr.shape[0] != pivots.shape[0] + 1:
        raise ValueError("one CSR row per pivot")
    if pivots.shape[0] and (np.any(np.diff(pivots) <= 0) or pivots[0] < 0 or pivots[-1] >= n):
        raise ValueError("pivots must be increasing column indices")
    if pivots.shape[0] and (pivot_inverses.min() <= 0 or pivot_inverses.max() >= p):
        raise ValueError("pivot inverses must lie in [1, p)")
    if not use_compiled(config):
        return fingerprints_reference(n, pivots, pivot_inverses, indptr, cols, vals, weights, p)
    return _compiled().fingerprints_kernel(pivots, pivot_inverses, indptr, cols, vals, weights, np.int64(p))


def residues(
    f: Int64Array,
    indptr: Int64Array,
    cols: Int64Array,
    vals: Int64Array,
    p: int,
    config: AlgebraTablesConfig = DEFAULT_ALGEBRA,
) -> Int64Array:
    """`f . q mod p` for each candidate row q of a CSR matrix (zero means: probably in the span)."""
    _check_prime(p)
    _check_array("f", f)
    _check_csr(indptr, cols, vals, f.shape[0], p)
    if not use_compiled(config):
        return residues_reference(f, indptr, cols, vals, p)
    return _compiled().residues_kernel(f, indptr, cols, vals, np.int64(p))
