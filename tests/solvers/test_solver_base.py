"""The solver interface records: Budget validation, SolveResult serialisation, statuses."""

from __future__ import annotations

import json

import pytest

from solvers import Budget, SolveResult, SolveStatus


def test_budget_defaults_and_frozen() -> None:
    budget = Budget()
    assert budget.seconds > 0 and budget.jobs == 1 and budget.max_nodes is None
    with pytest.raises(AttributeError):
        budget.seconds = 3.0  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs", [{"seconds": 0.0}, {"seconds": -1.0}, {"jobs": 0}, {"max_nodes": -5}], ids=str
)
def test_budget_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Budget(**kwargs)  # type: ignore[arg-type]


def test_only_checked_proofs_count_as_solved() -> None:
    solved = {s for s in SolveStatus if SolveResult(s, 1.0).solved}
    assert solved == {SolveStatus.PROVED}
    holds = {s for s in SolveStatus if s.holds_algebraically}
    assert holds == {SolveStatus.HOLDS_GENERICALLY, SolveStatus.HOLDS_ON_DRAWN_COMPONENT}


def test_result_json_round_trip() -> None:
    result = SolveResult(
        SolveStatus.HOLDS_GENERICALLY,
        2.5,
        solver="algebraic",
        conditions=("diff a b", "ncoll a b c"),
        message="holds generically",
        choices=("d: root of a quadratic",),
        proof_json=json.dumps({"steps": []}),
    )
    payload = json.loads(result.to_json())
    assert payload["status"] == "holds_generically"
    assert payload["conditions"] == ["diff a b", "ncoll a b c"]
    assert payload["choices"] == ["d: root of a quadratic"]
    assert payload["proof"] == {"steps": []}
    assert payload["proof_text"] is None
