"""Numba kernels of the numeric model (imported on first use; see `kernels.py` for the checked wrappers
and the plain-Python references they are tested against)."""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import njit

DISABLE_JIT = bool(numba.config.DISABLE_JIT)  # type: ignore[attr-defined]

__all__ = ["DISABLE_JIT", "collinear_owner_kernel", "midpoints_kernel"]


@njit(cache=True)
def _angle_gap(x: float) -> float:
    x = x % math.pi
    return min(x, math.pi - x)


@njit(cache=True)
def _collinear(xs: np.ndarray, ys: np.ndarray, i: int, j: int, k: int, rtol: float) -> bool:
    dj = math.hypot(xs[j] - xs[i], ys[j] - ys[i])
    dk = math.hypot(xs[k] - xs[i], ys[k] - ys[i])
    far, near, span, d = j, k, dj, dk
    if dk > dj:
        far, near, span, d = k, j, dk, dj
    if span == 0.0:
        return True
    base = math.atan2(ys[far] - ys[i], xs[far] - xs[i])
    other = math.atan2(ys[near] - ys[i], xs[near] - xs[i])
    return not (d > rtol * span and _angle_gap(other - base) * d > rtol * span)


@njit(cache=True)
def collinear_owner_kernel(xs: np.ndarray, ys: np.ndarray, rtol: float) -> np.ndarray:
    n = xs.shape[0]
    owner = -np.ones((n, n), dtype=np.int64)
    members = np.empty(n, dtype=np.int64)
    line = 0
    for i in range(n):
        for j in range(i + 1, n):
            if owner[i, j] >= 0:
                continue
            count = 0
            for k in range(n):
                if k == i or k == j or _collinear(xs, ys, i, j, k, rtol):
                    members[count] = k
                    count += 1
            for a in range(count):
                for b in range(a + 1, count):
                    owner[members[a], members[b]] = line
                    owner[members[b], members[a]] = line
            line += 1
    return owner


@njit(cache=True)
def midpoints_kernel(xs: np.ndarray, ys: np.ndarray, rtol: float) -> np.ndarray:
    n = xs.shape[0]
    out = np.empty((max(n * n * n // 6, 1), 3), dtype=np.int64)
    count = 0
    for a in range(n):
        for b in range(a + 1, n):
            cx, cy = (xs[a] + xs[b]) / 2, (ys[a] + ys[b]) / 2
            ab = math.hypot(xs[b] - xs[a], ys[b] - ys[a])
            for m in range(n):
                if m != a and m != b and math.hypot(xs[m] - cx, ys[m] - cy) <= rtol * ab:
                    out[count, 0] = m
                    out[count, 1] = a
                    out[count, 2] = b
                    count += 1
    return out[:count]
