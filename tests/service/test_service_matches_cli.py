"""A job's proof is what `tonggeo solve` gives for the same problem, seed and budget (both build the
strategy through `solvers.registry`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from service_helpers import AUX, EASY, Server

from tonggeo.cli import main


@pytest.mark.parametrize("text", [EASY, AUX], ids=["ddar_at_root", "one_aux_point"])
def test_job_proof_equals_the_command_line_proof(live_server: Server, tmp_path: Path, text: str) -> None:
    name = text.splitlines()[0]
    status, accepted = live_server.request("POST", "/v1/solve", {"problem": text, "timeout": 60, "seed": 3})
    assert status == 202 and accepted["status"] == "queued"
    job = live_server.wait_final(accepted["id"])
    assert job["status"] == "proved", job["result"]

    path = tmp_path / "one.txt"
    path.write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(path), "--json", "--timeout", "60", "--seed", "3",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert row["status"] == "proved"
    assert job["result"]["aux"] == row["aux"]
    assert job["result"]["proof_text"] == (out / f"{name}.proof.txt").read_text(encoding="utf-8")
    assert job["result"]["proof"] == json.loads((out / f"{name}.proof.json").read_text(encoding="utf-8"))
