"""Plain-Python references of the batch kernels (same inputs, same outputs), used when Numba is off and in
the tests that check the compiled kernels.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Int64Array = NDArray[np.int64]


def fingerprints_reference(
    n: int,
    pivots: Int64Array,
    pivot_inverses: Int64Array,
    indptr: Int64Array,
    cols: Int64Array,
    vals: Int64Array,
    weights: Int64Array,
    p: int,
) -> Int64Array:
    """A linear functional mod p vanishing on every row, given per column.

    Rows are visited by increasing pivot; a free column keeps its weight, and the pivot column of a row
    with entries `a_j` and pivot value `d` gets `-(sum a_j f_j) / d`, which makes the row sum to zero.
    """
    f = [int(w) for w in weights]
    for r in range(len(pivots)):
        c = int(pivots[r])
        s = 0
        for k in range(int(indptr[r]), int(indptr[r + 1])):
            j = int(cols[k])
            if j != c:
                s += int(vals[k]) * f[j]
        f[c] = (-s * int(pivot_inverses[r])) % p
    return np.array(f, dtype=np.int64)


def residues_reference(
    f: Int64Array, indptr: Int64Array, cols: Int64Array, vals: Int64Array, p: int
) -> Int64Array:
    """`sum(vals * f[cols]) mod p` for each CSR row (a candidate equation)."""
    out = []
    for r in range(len(indptr) - 1):
        s = 0
        for k in range(int(indptr[r]), int(indptr[r + 1])):
            s += int(vals[k]) * int(f[int(cols[k])])
        out.append(s % p)
    return np.array(out, dtype=np.int64)
