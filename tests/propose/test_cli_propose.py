"""`tonggeo propose` on the command line: options, outputs, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tonggeo.cli import main
from tonggeo.dsl import load_problems


def test_propose_writes_a_run(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["propose", "--seconds", "6", "--base", "iso_triangle", "--seed", "2",
                                       "--depth", "3", "--figures", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "new problems" in result.output
    stats = json.loads((out / "stats.json").read_text())
    assert stats["cores"] == 1 and stats["bases"] == ["iso_triangle"]
    assert len(load_problems(out / "problems.txt")) == stats["unique"]
    assert (out / "index.sqlite").exists()


def test_list_bases() -> None:
    result = CliRunner().invoke(main, ["propose", "--list-bases"])
    assert result.exit_code == 0
    assert "iso_triangle" in result.output and "a b c = iso_triangle a b c" in result.output


def test_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_base = runner.invoke(main, ["propose", "--base", "hexagon", "--out", str(tmp_path)])
    assert bad_base.exit_code == 2 and "unknown base 'hexagon'" in bad_base.output
    no_out = runner.invoke(main, ["propose", "--seconds", "1"])
    assert no_out.exit_code == 2 and "--out" in no_out.output
    bad_jobs = runner.invoke(main, ["propose", "--jobs", "0", "--out", str(tmp_path)])
    assert bad_jobs.exit_code == 2
    bad_choice = runner.invoke(main, ["propose", "--base-choice", "best", "--out", str(tmp_path)])
    assert bad_choice.exit_code == 2 and "--base-choice" in bad_choice.output


def test_base_choice_turns_walks_the_bases_in_turn(tmp_path: Path) -> None:
    out = tmp_path / "turns"
    result = CliRunner().invoke(main, ["propose", "--seconds", "4", "--base", "triangle", "--base", "segment",
                                       "--depth", "1", "--figures", "0", "--symmetric-share", "0",
                                       "--base-choice", "turns", "--out", str(out)])
    assert result.exit_code == 0, result.output
    walks = [k["walks"] for k in json.loads((out / "stats.json").read_text())["by_walk_kind"].values()]
    assert len(walks) == 2 and abs(walks[0] - walks[1]) <= 1


def test_symmetric_share(tmp_path: Path) -> None:
    out = tmp_path / "plain"
    result = CliRunner().invoke(main, ["propose", "--seconds", "4", "--base", "triangle", "--depth", "2",
                                       "--figures", "0", "--symmetric-share", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    kinds = json.loads((out / "stats.json").read_text())["by_walk_kind"]
    assert kinds and all("symmetric" not in k for k in kinds)
    bad = CliRunner().invoke(main, ["propose", "--symmetric-share", "1.5", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--symmetric-share" in bad.output


def test_scratch_share(tmp_path: Path) -> None:
    out = tmp_path / "none"
    result = CliRunner().invoke(main, ["propose", "--seconds", "4", "--base", "iso_triangle", "--depth", "2",
                                       "--figures", "0", "--scratch-share", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    stats = json.loads((out / "stats.json").read_text())
    assert stats["scratch_seconds"] == 0.0 and stats["engine_gaps"] == 0
    bad = CliRunner().invoke(main, ["propose", "--scratch-share", "-0.1", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "--scratch-share" in bad.output
