"""Base figures (tonggeo.constructions.bases): data below the DSL, parsed by proposing and read by the
symmetry detector's training walks."""

from __future__ import annotations

import pytest

from tonggeo.constructions.bases import BASES
from tonggeo.propose import bases as propose_bases


@pytest.mark.parametrize("name", sorted(BASES))
def test_every_base_parses_without_goals(name: str) -> None:
    problem = propose_bases.base_problem(name)
    assert problem.name == name and problem.clauses and not problem.goals


def test_one_table() -> None:
    """Proposing re-exports the one table; the symmetry data set's walks (tonggeo train symmetry-data)
    start from its names."""
    import inspect

    from tonggeo.cli import train_symmetry

    assert propose_bases.BASES is BASES
    assert "tonggeo.constructions.bases import BASES" in inspect.getsource(train_symmetry)
