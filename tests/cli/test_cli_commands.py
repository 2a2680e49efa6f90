"""`tonggeo check` / `draw` / `--version` through click's CliRunner: outputs, JSON lines, exit codes,
and bad input (missing files, unknown names, unparsable problems) reported without tracebacks."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import PROBLEMS
from tonggeo import __version__
from tonggeo.cli import main

EXAMPLES = PROBLEMS / "examples.txt"
IMO = PROBLEMS / "imo_ag_30.txt"


def _has_diagram() -> bool:
    try:
        return hasattr(importlib.import_module("tonggeo.diagram"), "build_diagram")
    except ImportError:
        return False


needs_diagram = pytest.mark.skipif(not _has_diagram(), reason="tonggeo.diagram is not there yet")
GOOD = "a b c = triangle a b c; d = midpoint d b c ? cong d b d c"
FALSE_GOAL = "a b c = triangle a b c; d = midpoint d b c ? cong a b a c"


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def mixed_file(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.txt"
    path.write_text(
        f"good_one\n{GOOD}\nbroken\na b c = triangle a b c; d = midpont d b c ? cong d b d c\n"
        f"false_goal\n{FALSE_GOAL}\ngood_two\n{GOOD}\n",
        encoding="utf-8",
    )
    return path


def test_version() -> None:
    result = _run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_subcommands() -> None:
    result = _run("--help")
    assert result.exit_code == 0
    assert "check" in result.output and "draw" in result.output


@pytest.mark.parametrize("command", ["check", "draw"])
def test_missing_file_is_a_usage_error(command: str, tmp_path: Path) -> None:
    extra = ["-o", tmp_path / "x.svg"] if command == "draw" else []
    result = _run(command, tmp_path / "nope.txt", *extra)
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_unknown_name_lists_closest(tmp_path: Path) -> None:
    result = _run("check", EXAMPLES, "--name", "orthocentre")
    assert result.exit_code == 2
    assert "no problem named 'orthocentre'" in result.output
    assert "orthocenter" in result.output


def test_draw_rejects_other_suffixes(tmp_path: Path) -> None:
    result = _run("draw", EXAMPLES, "--name", "euler", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert ".svg or .png" in result.output


def test_draw_needs_a_name_when_the_file_has_several(tmp_path: Path) -> None:
    result = _run("draw", EXAMPLES, "-o", tmp_path / "x.svg")
    assert result.exit_code == 2
    assert "--name" in result.output and "orthocenter" in result.output


def test_draw_reports_parse_errors(mixed_file: Path, tmp_path: Path) -> None:
    result = _run("draw", mixed_file, "--name", "broken", "-o", tmp_path / "x.svg")
    assert result.exit_code == 1
    assert "mixed.txt:4:29" in result.output and "did you mean 'midpoint'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.svg").exists()


@needs_diagram
def test_check_real_problems_ok() -> None:
    result = _run("check", EXAMPLES)
    assert result.exit_code == 0, result.output
    assert "4/4 ok" in result.output
    for name in ("translated_imo_2000_p1", "translated_imo_2004_p1"):
        result = _run("check", IMO, "--name", name, "--seed", "3")
        assert result.exit_code == 0, result.output
        assert name in result.output and "1/1 ok" in result.output
    result = _run("check", PROBLEMS / "newclid" / "imo.txt", "--name", "2000_p6", "--with-aux")
    assert result.exit_code == 0, result.output


@needs_diagram
def test_check_json_lines(mixed_file: Path) -> None:
    result = _run("check", mixed_file, "--json")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["name"] for r in records] == ["good_one", "broken", "false_goal", "good_two"]
    assert all(set(r) == {"name", "ok", "error"} for r in records)
    assert [r["ok"] for r in records] == [True, False, False, True]
    assert records[0]["error"] is None
    assert "mixed.txt:4:29" in records[1]["error"] and "unknown construction 'midpont'" in records[1]["error"]
    assert "cong a b a c" in records[2]["error"]


@needs_diagram
def test_check_table_keeps_going_after_bad_problems(mixed_file: Path) -> None:
    result = _run("check", mixed_file)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "2/4 ok" in result.output
    assert "good_two" in result.output
    assert "^" in result.output  # the parse error is shown with its caret line


@needs_diagram
def test_check_with_aux_builds_aux_points(tmp_path: Path) -> None:
    path = tmp_path / "aux.txt"
    path.write_text("aux\na b c = triangle a b c | e = on_line e a b, on_tline e c a b ? perp c e a b\n")
    result = _run("check", path, "--with-aux")
    assert result.exit_code == 0, result.output
    # without --with-aux the goal names a point that is never built
    result = _run("check", path, "--json")
    assert result.exit_code == 1
    error = json.loads(result.output)["error"]
    assert "auxiliary point(s) e" in error and "--with-aux" in error


@needs_diagram
@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_draw_writes_a_figure(suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"euler{suffix}"
    result = _run("draw", EXAMPLES, "--name", "euler", "-o", out, "--seed", "1")
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert len(data) > 1000
    if suffix == ".svg":
        assert b"<svg" in data[:2000]
    else:
        assert data.startswith(b"\x89PNG")
