"""The compiled bodies of the batch kernels (see `kernels.py` for the checking wrappers)."""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from tonggeo.config import DEFAULT_ALGEBRA

Int64Array = NDArray[np.int64]
DISABLE_JIT = bool(numba.config.DISABLE_JIT)  # type: ignore[attr-defined]

_CACHE = DEFAULT_ALGEBRA.numba_cache


@numba.njit(cache=_CACHE, nogil=True)
def fingerprints_kernel(
    pivots: Int64Array,
    pivot_inverses: Int64Array,
    indptr: Int64Array,
    cols: Int64Array,
    vals: Int64Array,
    weights: Int64Array,
    p: np.int64,
) -> Int64Array:  # pragma: no cover - compiled
    f = weights.copy()
    for r in range(pivots.shape[0]):
        c = pivots[r]
        s = np.int64(0)
        for k in range(indptr[r], indptr[r + 1]):
            j = cols[k]
            if j != c:
                s = (s + vals[k] * f[j]) % p
        f[c] = ((p - s) % p) * pivot_inverses[r] % p
    return f


@numba.njit(cache=_CACHE, nogil=True)
def residues_kernel(
    f: Int64Array, indptr: Int64Array, cols: Int64Array, vals: Int64Array, p: np.int64
) -> Int64Array:  # pragma: no cover - compiled
    m = indptr.shape[0] - 1
    out = np.empty(m, dtype=np.int64)
    for r in range(m):
        s = np.int64(0)
        for k in range(indptr[r], indptr[r + 1]):
            s = (s + vals[k] * f[cols[k]]) % p
        out[r] = s
    return out
