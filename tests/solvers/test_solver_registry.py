"""The registry of strategies by name."""

from __future__ import annotations

import json

import numpy as np
import pytest

from solvers import Budget, Solver, SolveStatus, available_solvers, get_solver
from solvers.registry import SOLVERS, UnknownSolver
from tonggeo.dsl.parser import parse_problem


def test_algebraic_and_ddar_are_registered() -> None:
    assert {"algebraic", "ddar"} <= set(available_solvers())
    assert list(available_solvers()) == sorted(SOLVERS)


@pytest.mark.parametrize("name", sorted(SOLVERS))
def test_each_solver_names_itself_and_follows_the_protocol(name: str) -> None:
    solver = get_solver(name)
    assert isinstance(solver, Solver)
    assert solver.name == name


def test_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(UnknownSolver, match="algebraic"):
        get_solver("algebriac")


def test_ddar_adapter_returns_a_checked_proof() -> None:
    problem = parse_problem("a b c = triangle a b c; h = orthocenter h a b c ? perp a h b c", "orthocenter")
    result = get_solver("ddar").solve(problem, Budget(seconds=60.0), np.random.default_rng(0))
    assert result.status == SolveStatus.PROVED, result.message
    assert result.proof_text and result.proof_json
    assert json.loads(result.to_json())["proof"] is not None


def test_ddar_adapter_does_not_prove_a_false_goal() -> None:
    problem = parse_problem("a b c = triangle a b c; h = orthocenter h a b c ? perp a h a c", "false")
    result = get_solver("ddar").solve(problem, Budget(seconds=30.0), np.random.default_rng(0))
    assert not result.solved
