"""Fixtures of the language-model tests: two small proposing folders (real `tonggeo propose` output,
plus one hand-written two-aux record and one aux-free problem) and the dataset built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tonggeo.lm.dataset import build

DATA = Path(__file__).parent / "data"
RUN_A = DATA / "run_a"
"""Training folder: 5 distinct aux problems (one line repeated) and an aux-free problem."""
RUN_B = DATA / "run_b"
"""Test folder: 4 aux problems from another seed."""


@pytest.fixture(scope="session")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lmdata")
    build([RUN_A], [RUN_B], out, valid_share=0.3)
    return out
