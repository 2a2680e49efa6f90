"""`tonggeo solve`: JSON lines, proofs and figures written by --out, process-pool --jobs, aux handling."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tonggeo.cli import main

PROBLEMS = """\
midline
a b c = triangle a b c; e = midpoint e a b; f = midpoint f a c ? para e f b c
thales
a b c = triangle a b c; o = midpoint o a c; d = on_circle d o a, on_line d a b ? perp a b c d
unprovable
a b c = triangle a b c; d = on_line d a b ? cong a d d b
"""


def _file(tmp_path: Path, text: str = PROBLEMS) -> Path:
    path = tmp_path / "problems.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_lines_one_per_problem(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["solve", str(_file(tmp_path)), "--json", "--timeout", "20"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["name"] for r in rows] == ["midline", "thales", "unprovable"]
    assert set(rows[0]) == {"name", "status", "seconds", "steps", "aux", "error"}
    assert [r["status"] for r in rows[:2]] == ["proved", "proved"]
    assert rows[2]["status"] == "error"  # its goal is false in the diagram
    assert result.exit_code == 1


def test_out_writes_proofs_and_figures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(_file(tmp_path)), "--name", "midline", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["midline.proof.json", "midline.proof.txt", "midline.svg"]
    proof = json.loads((out / "midline.proof.json").read_text())
    assert proof["goals"] == ["para b c e f"]
    assert "Steps:" in (out / "midline.proof.txt").read_text()


def test_jobs_give_the_same_statuses(tmp_path: Path) -> None:
    path = _file(tmp_path)
    one = CliRunner().invoke(main, ["solve", str(path), "--json"])
    two = CliRunner().invoke(main, ["solve", str(path), "--json", "--jobs", "2"])
    status = lambda text: {json.loads(x)["name"]: json.loads(x)["status"] for x in text.splitlines()}  # noqa: E731
    assert status(one.output) == status(two.output)


def test_aux_clauses_only_with_flag(tmp_path: Path) -> None:
    # the goal names the auxiliary point, so without --with-aux it cannot even be set up
    text = "aux\na b c = triangle a b c; d = midpoint d a b | m = midpoint m b c ? para d m a c\n"
    path = _file(tmp_path, text)
    plain = json.loads(CliRunner().invoke(main, ["solve", str(path), "--json"]).output)
    with_aux = json.loads(CliRunner().invoke(main, ["solve", str(path), "--json", "--with-aux"]).output)
    assert plain["status"] == "error" and plain["aux"] == []
    assert with_aux["status"] == "proved" and with_aux["aux"] == ["m = midpoint m b c"]
