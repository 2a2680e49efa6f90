"""Extraction and finishing on a fixed walk, and whole runs: emitted problems parse, build, need their
auxiliary constructions under DDAR and are proved with them; the index deduplicates across runs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from solvers.ddar import solve
from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.constructions import default_catalogue
from tonggeo.diagram import build_diagram, check_goal
from tonggeo.dsl import Problem, load_problems, parse_problem
from tonggeo.facts import fact_text
from tonggeo.propose.deduce import deduce, extend_deduction, restrict
from tonggeo.propose.extract import extract, hard_facts, unlocked
from tonggeo.propose.index import ProblemIndex
from tonggeo.propose.run import RunStats, propose

# found by a walk from a right triangle: the parallelogram point n is needed for the angle equality
STATEMENT = (
    "a b c = r_triangle a b c; d = psquare d a c; e = psquare e a b; f = foot f a b e; g = foot g a c d; "
    "h = nsquare h f d; i = nsquare i g e; k = intersection_lt k a f i f h; l = shift l b h k"
)
AUX = "n = parallelogram d a l n"
GOAL = "eqangle a b a l b c d f"

SMALL = replace(DEFAULT_PROPOSE, depth=4, saturation_seconds=10.0, aux_free_per_walk=2, figures=2,
                max_kind_share=1.0, min_classic_share=0.0)  # quotas: tests/propose/test_quota.py


def test_statement_alone_fails_and_aux_proves() -> None:
    problem = parse_problem(f"{STATEMENT} | {AUX} ? {GOAL}", "fixed")
    alone = solve(problem, timeout=30, rng=np.random.default_rng(0))
    assert alone.status == "unproved"
    helped = solve(problem.with_aux(), timeout=30, rng=np.random.default_rng(0))
    assert helped.status == "proved"


def test_extraction_finds_the_aux_problem_of_a_walk() -> None:
    walk = parse_problem(f"{STATEMENT}; {AUX}", "walk")
    diagram = build_diagram(walk, np.random.default_rng(1))
    full = deduce(diagram, seconds=30)
    found = extract(diagram, full, config=SMALL)
    target = [e for e in found if fact_text(e.goal) == GOAL]
    assert target, "the known aux problem was not extracted"
    (item,) = target
    assert item.needs_aux
    assert [c.to_text() for c in item.aux] == [AUX]
    assert [c.to_text() for c in item.statement] == [c.to_text() for c in walk.clauses[:-1]]
    for e in found:  # everything extracted holds numerically in the walk's diagram
        assert check_goal(diagram, parse_problem(f"{STATEMENT}; {AUX} ? {fact_text(e.goal)}", "g").goals[0])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, RunStats]:
    root = tmp_path_factory.mktemp("propose")
    index = root / "index.sqlite"
    stats = propose(root / "one", seconds=90, seed=5, bases=["r_triangle", "iso_triangle"], index=index,
                    config=SMALL)
    return root, index, stats


def test_run_writes_its_outputs(first_run: tuple[Path, Path, RunStats]) -> None:
    root, _, stats = first_run
    out = root / "one"
    assert stats.unique > 0 and stats.walks > 0
    data = json.loads((out / "stats.json").read_text())
    for key in ("seconds", "cores", "problems", "unique", "with_aux", "symmetric", "drops"):
        assert key in data
    assert data["unique"] == stats.unique == len(load_problems(out / "problems.txt"))
    arms = data["by_walk_kind"]  # where the CPU went: every walk counted once, under its base and symmetry
    assert {name.split()[0] for name in arms} <= {"r_triangle", "iso_triangle"}
    assert sum(a["walks"] for a in arms.values()) == stats.walks
    assert sum(a["aux"] for a in arms.values()) >= stats.with_aux
    assert 0 < sum(a["cpu_seconds"] for a in arms.values()) <= stats.cpu_seconds
    fams = data["by_branch_family"]  # every branch counted under the construction it added
    assert fams and all(0 <= f["unlocked"] <= f["branches"] for f in fams.values())
    assert 0 < sum(f["cpu_seconds"] for f in fams.values()) <= sum(a["cpu_seconds"] for a in arms.values())
    assert set(fams) <= set(default_catalogue().keys())
    assert not (out / ".backlog").exists()  # the run's live backlog file is gone when it ends
    proofs = list((out / "proofs").glob("*.json"))
    assert len(proofs) == stats.unique
    assert list((out / "figures").glob("*.svg"))
    lines = (out / "training.jsonl").read_text().splitlines()
    assert len(lines) == stats.with_aux
    for line in lines:
        record = json.loads(line)
        assert record["aux"] and record["problem"].endswith(record["goal"])
        assert record["goal"] not in record["facts"]  # derived without the aux, the goal is not among them


def test_emitted_problems_parse_build_and_hold(first_run: tuple[Path, Path, RunStats]) -> None:
    root, _, _ = first_run
    problems = load_problems(root / "one" / "problems.txt")
    for problem in problems[:12]:
        assert parse_problem(problem.to_text(), problem.name) == problem
        diagram = build_diagram(problem, np.random.default_rng(3), include_aux=True)
        assert all(check_goal(diagram, g) for g in problem.goals)


def test_emitted_aux_problems_need_their_aux(first_run: tuple[Path, Path, RunStats]) -> None:
    root, _, _ = first_run
    with_aux: list[Problem] = [p for p in load_problems(root / "one" / "problems.txt") if p.aux]
    assert with_aux
    for problem in with_aux[:3]:
        assert solve(problem, timeout=30, rng=np.random.default_rng(4)).status != "proved"
        assert solve(problem.with_aux(), timeout=30, rng=np.random.default_rng(4)).status == "proved"


def test_a_second_run_never_repeats_a_problem(first_run: tuple[Path, Path, RunStats]) -> None:
    root, index, first = first_run
    second = propose(root / "two", seconds=15, seed=5, bases=["r_triangle", "iso_triangle"], index=index,
                     config=SMALL)
    assert second.duplicates > 0  # the same seed walks the same way first, and the index catches it
    one = {p.to_text() for p in load_problems(root / "one" / "problems.txt")}
    two = {p.to_text() for p in load_problems(root / "two" / "problems.txt")}
    assert not one & two
    with ProblemIndex(index) as store:
        assert len(store) == first.unique + second.unique


def test_a_fact_hard_for_its_statement_is_unlocked_by_its_aux() -> None:
    walk = parse_problem(f"{STATEMENT}; {AUX}", "walk")
    diagram = build_diagram(walk, np.random.default_rng(1))
    statement = deduce(restrict(diagram, walk.clauses[:-1]), seconds=30)
    hard = hard_facts(statement, SMALL)
    goal = [f for f in hard if fact_text(f) == GOAL]
    assert goal, "the goal is true in the drawing and not derived from the statement"
    grown = extend_deduction(statement, diagram, seconds=30, goals=goal)
    (found,) = unlocked(grown, goal, statement, SMALL)
    assert [c.to_text() for c in found.aux] == [AUX]
    assert [c.to_text() for c in found.statement] == [c.to_text() for c in walk.clauses[:-1]]
    assert not unlocked(statement, goal, statement, SMALL)  # the statement alone does not derive it


def test_only_facts_with_a_small_statement_are_within_reach() -> None:
    from tonggeo.facts import make_fact
    from tonggeo.propose.extract import within_reach

    walk = parse_problem(f"{STATEMENT}; {AUX}", "walk")
    diagram = build_diagram(walk, np.random.default_rng(1))
    full = deduce(diagram, seconds=30)
    near = make_fact("cong", ("a", "c", "a", "d"))  # r_triangle + psquare: 4 points
    far = make_fact("eqangle", tuple(GOAL.split()[1:]))  # l needs the whole statement: 12 points
    config = replace(SMALL, max_statement_points=6)
    assert within_reach(full, [far, near], config) == [near]
    assert within_reach(full, [far, near], replace(SMALL, max_statement_points=12)) == [far, near]


def test_shared_proof_bases_equal_one_traceback_per_fact() -> None:
    from tonggeo.ddar.support import support
    from tonggeo.facts import make_fact
    from tonggeo.propose.deduce import ProofBases, derived_records, proof_basis

    walk = parse_problem(f"{STATEMENT}; {AUX}", "walk")
    full = deduce(build_diagram(walk, np.random.default_rng(1)), seconds=30)
    bases = ProofBases(full.db)
    derived = [r.fact for r in derived_records(full.db)]
    assert len(derived) > 100
    goal = parse_problem(f"{STATEMENT}; {AUX} ? {GOAL}", "g").goals[0]
    for fact in [make_fact(goal.name, tuple(goal.args)), *derived[::7]]:
        fid = support(full.db, fact)
        assert fid is not None
        assert bases(fid) == proof_basis(full.db, fid)
    assert len(bases.calls) > 1 and any(b.steps > 3 for b in map(bases, list(bases.support)[:50]))
