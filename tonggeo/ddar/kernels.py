"""Checked entry points of the numeric model's hot loops: all-pairs collinearity (which numeric line
each point pair lies on) and midpoints.  Each validates its input and runs a Numba kernel from
`_compiled.py` (imported on first use), or the plain-Python reference below when Numba is off
(`DdarConfig.use_numba`, or NUMBA_DISABLE_JIT=1); the tests hold the two to the same answers."""

from __future__ import annotations

import math
import os
from types import ModuleType

import numpy as np
from numpy.typing import NDArray

from tonggeo.config import DEFAULT_DDAR, DdarConfig

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def _compiled() -> ModuleType:
    from tonggeo.ddar import _compiled as module

    return module


def use_compiled(config: DdarConfig) -> bool:
    if not config.use_numba or os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        return False
    return not _compiled().DISABLE_JIT


def _check(xs: object, ys: object, rtol: float) -> tuple[FloatArray, FloatArray]:
    x = np.ascontiguousarray(xs, dtype=np.float64)
    y = np.ascontiguousarray(ys, dtype=np.float64)
    if x.ndim != 1 or y.shape != x.shape:
        raise ValueError("xs and ys must be 1-d arrays of one length")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("coordinates must be finite")
    if not 0 < rtol < 1:
        raise ValueError("rtol must be in (0, 1)")
    return x, y


# ---------------------------------------------------------------------- plain-Python references
def _angle_gap(x: float) -> float:
    x %= math.pi
    return min(x, math.pi - x)


def _collinear_reference(xs: FloatArray, ys: FloatArray, i: int, j: int, k: int, rtol: float) -> bool:
    dj = math.hypot(xs[j] - xs[i], ys[j] - ys[i])
    dk = math.hypot(xs[k] - xs[i], ys[k] - ys[i])
    far, near, span, d = (k, j, dk, dj) if dk > dj else (j, k, dj, dk)
    if span == 0.0:
        return True
    base = math.atan2(ys[far] - ys[i], xs[far] - xs[i])
    other = math.atan2(ys[near] - ys[i], xs[near] - xs[i])
    return not (d > rtol * span and _angle_gap(other - base) * d > rtol * span)


def collinear_owner_reference(xs: FloatArray, ys: FloatArray, rtol: float) -> IntArray:
    n = len(xs)
    owner = -np.ones((n, n), dtype=np.int64)
    line = 0
    for i in range(n):
        for j in range(i + 1, n):
            if owner[i, j] >= 0:
                continue
            members = [k for k in range(n) if k in (i, j) or _collinear_reference(xs, ys, i, j, k, rtol)]
            for a in members:
                for b in members:
                    if a != b:
                        owner[a, b] = line
            line += 1
    return owner


def midpoints_reference(xs: FloatArray, ys: FloatArray, rtol: float) -> IntArray:
    n = len(xs)
    found = []
    for a in range(n):
        for b in range(a + 1, n):
            cx, cy = (xs[a] + xs[b]) / 2, (ys[a] + ys[b]) / 2
            ab = math.hypot(xs[b] - xs[a], ys[b] - ys[a])
            for m in range(n):
                if m not in (a, b) and math.hypot(xs[m] - cx, ys[m] - cy) <= rtol * ab:
                    found.append((m, a, b))
    return np.array(found, dtype=np.int64).reshape(-1, 3)


# ---------------------------------------------------------------------- checked entry points
def collinear_owner(xs: object, ys: object, rtol: float, config: DdarConfig = DEFAULT_DDAR) -> IntArray:
    """`owner[a, b]`: the index of the numeric line through points a and b (-1 on the diagonal); lines
    are numbered in order of their first pair (i < j), each the maximal set collinear with that pair."""
    x, y = _check(xs, ys, rtol)
    if use_compiled(config):
        return np.asarray(_compiled().collinear_owner_kernel(x, y, rtol))
    return collinear_owner_reference(x, y, rtol)


def midpoints(xs: object, ys: object, rtol: float, config: DdarConfig = DEFAULT_DDAR) -> IntArray:
    """Rows (m, a, b), a < b, with M within rtol * |AB| of the midpoint of AB."""
    x, y = _check(xs, ys, rtol)
    if use_compiled(config):
        return np.asarray(_compiled().midpoints_kernel(x, y, rtol))
    return midpoints_reference(x, y, rtol)
