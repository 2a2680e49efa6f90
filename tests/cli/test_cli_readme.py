"""The README's commands are the ones CI runs, and its worked example and error sample are real."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tonggeo.dsl import DslError, iter_problems, parse_text

README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _code_blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", README, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    match = re.search(r'^TEST_COMMAND="(.*)"$', CI_RUN, flags=re.M)
    assert match, "TEST_COMMAND line missing from .ci/run"
    command = match.group(1)
    first_blocks = _code_blocks("bash")[:2]
    assert first_blocks[1].strip() == command
    assert "set -euo pipefail" in CI_RUN and "python3 -m venv .venv" in CI_RUN
    assert 'eval "$TEST_COMMAND"' in CI_RUN


def test_readme_starts_with_install_and_run() -> None:
    first = _code_blocks("bash")[0].strip()
    assert first.startswith("pip install -e . && tonggeo ")
    assert first.endswith("problems/imo_ag_30.txt")
    assert README.index(first) < README.index("## ")


def test_worked_example_parses_with_aux_and_goal() -> None:
    (problem,) = parse_text(_code_blocks("text")[0])
    assert problem.points == ("a", "b", "c", "d")
    assert [c.point_names for c in problem.aux] == [("e",)]
    assert [g.to_text() for g in problem.goals] == ["perp a d b c"]


def test_error_sample_is_what_the_parser_prints() -> None:
    sample = _code_blocks("text")[1].rstrip("\n")
    body = sample.splitlines()[1].strip()
    text = f"first\n{body.replace('midpont', 'midpoint')}\nsecond\n{body}\n"
    errors = [e for e in iter_problems(text, "problems/mine.txt") if isinstance(e, DslError)]
    assert [str(e) for e in errors] == [sample]
