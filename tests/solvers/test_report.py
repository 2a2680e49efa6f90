"""solvers.report: one problem solved by a named strategy, reported as plain data (the unit `tonggeo solve`
runs per problem and Ray runs as a task)."""

from __future__ import annotations

import json
import pickle

from solvers.report import SolveReport, solve_one
from tonggeo.dsl import parse_problem

ORTHOCENTER = "a b c = triangle a b c; h = on_tline h b a c, on_tline h c a b ? perp a h b c"


def test_ddar_proves_and_reports_the_proof() -> None:
    report = solve_one(parse_problem(ORTHOCENTER, "orthocenter"), "ddar", 30.0, 0, False)
    assert report.name == "orthocenter" and report.status == "proved" and report.error is None
    assert report.steps > 0 and report.proof_text and report.proof_json is not None
    assert json.loads(report.proof_json)["steps"]
    assert json.loads(report.to_json())["status"] == "proved"
    assert pickle.loads(pickle.dumps(report)) == report  # crosses process and Ray boundaries


def test_unknown_solver_is_an_error_report_not_an_exception() -> None:
    report = solve_one(parse_problem(ORTHOCENTER, "p"), "no_such_solver", 1.0, 0, False)
    assert report == SolveReport("p", "error", 0.0, 0, (), "unknown solver 'no_such_solver'")
