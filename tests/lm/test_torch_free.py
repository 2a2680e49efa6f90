"""torch is loaded only where a model is: not by `import tonggeo, solvers`, the learned policy's client,
the dataset builder, or `tonggeo solve` with the default policy (checked in a fresh interpreter)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PROBLEM = "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"
ONE_AUX = (  # JGEX L058-9: DDAR alone leaves it open, one auxiliary point settles it (the search ranks)
    "a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
    " ? cong e c c d"
)


def _torch_loaded(code: str) -> bool:
    script = f"{code}\nimport sys\nprint('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300, check=True
    )
    return out.stdout.strip().splitlines()[-1] == "True"


def test_imports_do_not_load_torch() -> None:
    assert not _torch_loaded(
        "import tonggeo, solvers, solvers.search.lm_policy, solvers.search.expand, tonggeo.lm.dataset, "
        "tonggeo.lm.serving, tonggeo.lm.proposer, tonggeo.lm.ranker, tonggeo.cli"
    )
    assert _torch_loaded("import neural.lm.train")  # the check can fail


@pytest.mark.parametrize("policy", [None, "heuristic"])
def test_solve_with_default_policy_does_not_load_torch(tmp_path: Path, policy: str | None) -> None:
    problem = tmp_path / "p.txt"
    problem.write_text(f"midline\n{PROBLEM}\nL058-9\n{ONE_AUX}\n")
    args = ["solve", str(problem), "--timeout", "60", "--jobs", "1"]
    args += ["--policy", policy] if policy else []
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom tonggeo.cli import main\n"
        f"r = CliRunner().invoke(main, {args!r})\n"
        "assert r.exit_code == 0, r.output\n"
        "assert '2/2 proved' in r.output, r.output"
    )
    assert not _torch_loaded(code)
    assert _torch_loaded("import neural.lm.configs\n" + code)  # the same check sees torch when it loads


def test_solve_with_a_dead_model_server_goes_on(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tonggeo.cli import main

    problem = tmp_path / "p.txt"
    problem.write_text(f"L058-9\n{ONE_AUX}\n")
    result = CliRunner().invoke(
        main,
        ["solve", str(problem), "--policy", "mixed", "--lm-url", "http://127.0.0.1:9/v1", "--timeout", "60",
         "--jobs", "1"],
    )
    assert result.exit_code == 0, result.output  # proved with the heuristic's candidates
    found = re.search(r"policy mixed: (\d+) model calls, (\d+) failed, (\d+) unusable", result.output)
    assert found is not None, result.output
    calls, failed, unusable = map(int, found.groups())
    assert calls >= 1 and failed == calls and unusable == 0
    bad = CliRunner().invoke(main, ["solve", str(problem), "--policy", "lm", "--solver", "ddar"])
    assert bad.exit_code != 0 and "search solver" in bad.output
