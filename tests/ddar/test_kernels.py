"""The numeric model's Numba kernels agree with their plain-Python references (random points with
planted collinear triples and midpoints), and the wrappers reject bad input."""

from __future__ import annotations

import numpy as np
import pytest

from tonggeo.config import DdarConfig
from tonggeo.ddar.kernels import collinear_owner, collinear_owner_reference, midpoints, midpoints_reference


def _points(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = list(rng.normal(size=8) + 1j * rng.normal(size=8))
    z.append((z[0] + z[1]) / 2)  # a midpoint
    z.append(z[2] + 0.37 * (z[3] - z[2]))  # a third point on a line
    z.append(z[2] - 1.9 * (z[3] - z[2]))  # and a fourth
    arr = np.array(z)
    return arr.real.copy(), arr.imag.copy()


@pytest.mark.parametrize("seed", range(5))
def test_collinear_owner_matches_reference(seed: int) -> None:
    xs, ys = _points(seed)
    compiled = collinear_owner(xs, ys, 1e-6)
    reference = collinear_owner_reference(xs, ys, 1e-6)
    assert np.array_equal(compiled, reference)
    assert compiled[2, 3] == compiled[2, 9] == compiled[9, 10]  # the planted line


@pytest.mark.parametrize("seed", range(5))
def test_midpoints_match_reference(seed: int) -> None:
    xs, ys = _points(seed)
    compiled = midpoints(xs, ys, 1e-6)
    assert np.array_equal(compiled, midpoints_reference(xs, ys, 1e-6))
    assert [8, 0, 1] in compiled.tolist()


def test_reference_path_when_numba_is_off() -> None:
    xs, ys = _points(0)
    off = DdarConfig(use_numba=False)
    assert np.array_equal(collinear_owner(xs, ys, 1e-6, off), collinear_owner(xs, ys, 1e-6))


def test_wrappers_validate_input() -> None:
    with pytest.raises(ValueError):
        collinear_owner(np.zeros(3), np.zeros(4), 1e-6)
    with pytest.raises(ValueError):
        midpoints(np.array([0.0, np.nan]), np.zeros(2), 1e-6)
    with pytest.raises(ValueError):
        midpoints(np.zeros(2), np.zeros(2), 2.0)
