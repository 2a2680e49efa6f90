"""Base figures (tonggeo.constructions.bases): data below the DSL, parsed by proposing and read by the
symmetry detector's training walks."""

from __future__ import annotations

import pytest

from tonggeo.constructions.bases import BASES
from tonggeo.propose import bases as propose_bases
from tonggeo.symmetry import dataset


@pytest.mark.parametrize("name", sorted(BASES))
def test_every_base_parses_without_goals(name: str) -> None:
    problem = propose_bases.base_problem(name)
    assert problem.name == name and problem.clauses and not problem.goals


def test_one_table() -> None:
    assert propose_bases.BASES is BASES and dataset.BASES is BASES
