"""Shared test settings: the repository's paths, and the benchmark problem sets as session fixtures.

Test modules import the paths (`from tests.conftest import ROOT`) since they often need them at
collection time (in `parametrize`); fixtures serve tests that load a problem set inside the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tonggeo.dsl.ast import Problem
from tonggeo.dsl.parser import load_problems

ROOT = Path(__file__).resolve().parents[1]
"""The repository root."""
PROBLEMS = ROOT / "problems"
BENCHMARKS = ROOT / "benchmarks"
IMO_FILE = PROBLEMS / "imo_ag_30.txt"
JGEX_FILE = PROBLEMS / "jgex_ag_231.txt"


@pytest.fixture(scope="session")
def imo_problems() -> dict[str, Problem]:
    """IMO-AG-30 by problem name."""
    return {p.name: p for p in load_problems(IMO_FILE)}


@pytest.fixture(scope="session")
def jgex_problems() -> dict[str, Problem]:
    """JGEX-AG-231 by problem name."""
    return {p.name: p for p in load_problems(JGEX_FILE)}
