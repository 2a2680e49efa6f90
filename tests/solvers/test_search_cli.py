"""`tonggeo solve --solver search`: the strategy is reachable from the command line, its proofs list the
auxiliary constructions first, and `--out` draws the auxiliary points' objects dashed."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from solvers import available_solvers
from tonggeo.cli import main
from tonggeo.cli.solve import SOLVERS

PROBLEM = """\
L058-9
a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b ? cong e c c d
"""


def test_command_line_names_every_registered_strategy() -> None:
    assert set(SOLVERS) == {"ddar", *available_solvers()}


def test_search_is_the_default_and_writes_aux_first_and_dashed(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(PROBLEM, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "--json", "--timeout", "60", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert row["status"] == "proved" and len(row["aux"]) == 1
    text = (out / "L058-9.proof.txt").read_text()
    lines = text.splitlines()
    assert lines[1] == "Auxiliary constructions:" and lines[2].strip() == row["aux"][0]
    assert json.loads((out / "L058-9.proof.json").read_text())["aux"] == row["aux"]
    svg = (out / "L058-9.svg").read_text()
    assert "stroke-dasharray" in svg


def test_ddar_alone_leaves_it_open(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(PROBLEM, encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path), "--json", "--solver", "ddar"])
    assert result.exit_code == 1
    assert json.loads(result.output)["status"] == "unproved"
