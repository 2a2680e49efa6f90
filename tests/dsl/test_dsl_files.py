"""Every shipped problem file parses, prints back to text that parses to the same problem, and the
AlphaGeometry and Newclid spellings of the same problems normalise to the same clauses."""

from __future__ import annotations

import pytest

from tests.conftest import PROBLEMS
from tonggeo.dsl import DslError, Problem, iter_problems, load_problems, parse_problem

AG_FILES = {"imo_ag_30.txt": 30, "jgex_ag_231.txt": 231, "examples.txt": 4}
NEWCLID_FILES = {
    "newclid/imo_ag_30.txt": 30,
    "newclid/imo.txt": 34,
    "newclid/jgex_ag_231.txt": 231,
    "newclid/examples.txt": 74,
    "newclid/large_examples.txt": 37,
    "newclid/new_problems.txt": 8,
    "newclid/testing_minimal_rules.txt": 89,
}


def _entries(relative: str) -> list[Problem | DslError]:
    path = PROBLEMS / relative
    return list(iter_problems(path.read_text(encoding="utf-8"), str(path)))


def _assert_all_parse(relative: str, count: int) -> list[Problem]:
    entries = _entries(relative)
    errors = [str(e) for e in entries if isinstance(e, DslError)]
    assert not errors, "\n".join(errors[:5])
    assert len(entries) == count
    return [e for e in entries if isinstance(e, Problem)]


@pytest.mark.parametrize(("relative", "count"), AG_FILES.items(), ids=list(AG_FILES))
def test_alphageometry_files_parse(relative: str, count: int) -> None:
    problems = _assert_all_parse(relative, count)
    assert len({p.name for p in problems}) == count
    assert all(p.goals for p in problems)


@pytest.mark.parametrize(("relative", "count"), NEWCLID_FILES.items(), ids=list(NEWCLID_FILES))
def test_newclid_files_parse(relative: str, count: int) -> None:
    _assert_all_parse(relative, count)


@pytest.mark.parametrize("relative", [*AG_FILES, "newclid/imo.txt", "newclid/imo_ag_30.txt"])
def test_round_trip_through_text(relative: str) -> None:
    for problem in load_problems(PROBLEMS / relative):
        again = parse_problem(problem.to_text(), problem.name)
        assert again == problem, problem.name
        assert again.to_text() == problem.to_text()


def test_dialects_normalise_to_the_same_clauses() -> None:
    ag = {p.name.removeprefix("translated_imo_"): p for p in load_problems(PROBLEMS / "imo_ag_30.txt")}
    newclid = {p.name: p for p in load_problems(PROBLEMS / "newclid/imo_ag_30.txt")}
    assert ag.keys() == newclid.keys()
    for name, problem in ag.items():
        # Newclid's 2000_p1 defines e after p and q; same clauses, other order
        assert set(problem.clauses) == set(newclid[name].clauses), name
    same_goals = [name for name in ag if ag[name].goals == newclid[name].goals]
    assert len(same_goals) == 29  # 2008_p1b: Newclid states the 6-point cyclic goal


def test_short_and_explicit_forms_agree() -> None:
    short = parse_problem("a b c = triangle; h = on_tline b a c, on_tline c a b ? perp a h b c")
    explicit = parse_problem("a b c = triangle a b c; h = on_tline h b a c, on_tline h c a b ? perp a h b c")
    assert short == explicit
    assert short.clauses[1].calls[0].args == ("h", "b", "a", "c")


def test_aux_and_goals_are_separated() -> None:
    problem = parse_problem(
        "a b c = triangle a b c; o = circle o a b c | m = midpoint m b c ? cong o a o b; perp o m b c"
    )
    assert problem.points == ("a", "b", "c", "o")
    assert [c.point_names for c in problem.aux] == [("m",)]
    assert [g.name for g in problem.goals] == ["cong", "perp"]
    assert problem.with_aux().points == ("a", "b", "c", "o", "m")
    assert problem.with_aux().aux == ()


def test_explicit_coordinates_are_kept() -> None:
    problem = parse_problem("a@0_0 b@4.5_-1 = segment a b ? cong a b b a")
    assert [p.coord for p in problem.clauses[0].points] == [(0.0, 0.0), (4.5, -1.0)]
    assert parse_problem(problem.to_text()) == problem
