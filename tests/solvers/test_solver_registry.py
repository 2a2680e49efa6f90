"""The registry of strategies by name."""

from __future__ import annotations

import pytest

from solvers import Solver, available_solvers, get_solver
from solvers.registry import SOLVERS, UnknownSolver


def test_algebraic_is_registered() -> None:
    assert "algebraic" in available_solvers()
    assert list(available_solvers()) == sorted(SOLVERS)


@pytest.mark.parametrize("name", sorted(SOLVERS))
def test_each_solver_names_itself_and_follows_the_protocol(name: str) -> None:
    solver = get_solver(name)
    assert isinstance(solver, Solver)
    assert solver.name == name


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(UnknownSolver, match="algebraic"):
        get_solver("algebriac")
