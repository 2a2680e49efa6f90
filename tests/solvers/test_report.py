"""solvers.report: one problem solved by a named strategy, reported as plain data (the unit `tonggeo solve`
runs per problem and Ray runs as a task)."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

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


def test_one_result_from_the_engine_to_the_registry() -> None:
    """`solvers.ddar.solve` returns the registry's `SolveResult` (proof object, text and JSON built there);
    the `ddar` strategy returns the same record, and `solve_one` reports its steps and proof unchanged."""
    import numpy as np

    from solvers import Budget, SolveResult, SolveStatus, get_solver
    from solvers.ddar import solve
    from tonggeo.proof import proof_from_json

    problem = parse_problem(ORTHOCENTER, "orthocenter")
    engine = solve(problem, timeout=30, rng=np.random.default_rng(0))
    assert isinstance(engine, SolveResult) and engine.status is SolveStatus.PROVED and engine.solver == "ddar"
    assert engine.proof is not None and engine.proof_json is not None and engine.proof_text
    assert proof_from_json(json.loads(engine.proof_json)) == engine.proof
    assert engine.steps == engine.proof.rule_steps > 0 and engine.facts > 0
    strategy = get_solver("ddar").solve(problem, Budget(seconds=30), np.random.default_rng(0))
    timing = {"seconds": 0.0, "saturation_seconds": 0.0}
    assert replace(strategy, **timing) == replace(engine, **timing)
    assert strategy.proof == engine.proof  # outside equality: checked apart
    assert pickle.loads(pickle.dumps(strategy)) == strategy
    report = solve_one(problem, "ddar", 30.0, 0, False)
    assert (report.steps, report.proof_text, report.proof_json) == (engine.steps, engine.proof_text,
                                                                    engine.proof_json)


def test_an_unproved_ddar_result_says_how_far_it_got() -> None:
    import numpy as np

    from solvers import SolveStatus
    from solvers.ddar import solve

    text = ("a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
            " ? cong e c c d")
    problem = parse_problem(text, "L058-9")  # DDAR alone leaves it open (tests/solvers/test_search.py)
    result = solve(problem, timeout=30, rng=np.random.default_rng(0))
    assert result.status is SolveStatus.UNPROVED and result.proof is None and result.proof_json is None
    assert result.message == f"unproved after {result.facts} facts" and result.facts > 0
