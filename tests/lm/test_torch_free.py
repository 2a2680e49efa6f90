"""torch is loaded only where a model is: not by `import tonggeo, solvers`, the learned policy's client,
the dataset builder, or `tonggeo solve` with the default policy (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"


def _torch_loaded(code: str) -> bool:
    script = f"{code}\nimport sys\nprint('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300, check=True
    )
    return out.stdout.strip().splitlines()[-1] == "True"


def test_imports_do_not_load_torch() -> None:
    assert not _torch_loaded(
        "import tonggeo, solvers, solvers.search.lm_policy, tonggeo.lm.dataset, tonggeo.lm.serving, "
        "tonggeo.cli"
    )
    assert _torch_loaded("import neural.lm.train")  # the check can fail


def test_solve_with_default_policy_does_not_load_torch(tmp_path: Path) -> None:
    problem = tmp_path / "p.txt"
    problem.write_text(f"midline\n{PROBLEM}\n")
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom tonggeo.cli import main\n"
        f"r = CliRunner().invoke(main, ['solve', {str(problem)!r}, '--timeout', '20'])\n"
        "assert r.exit_code == 0, r.output"
    )
    assert not _torch_loaded(code)


def test_solve_with_a_dead_model_server_goes_on(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tonggeo.cli import main

    problem = tmp_path / "p.txt"
    problem.write_text(f"midline\n{PROBLEM}\n")
    result = CliRunner().invoke(
        main,
        ["solve", str(problem), "--policy", "mixed", "--lm-url", "http://127.0.0.1:9/v1", "--timeout", "20"],
    )
    assert result.exit_code == 0, result.output
    assert "policy mixed:" in result.output and "model calls" in result.output
    bad = CliRunner().invoke(main, ["solve", str(problem), "--policy", "lm", "--solver", "ddar"])
    assert bad.exit_code != 0 and "search solver" in bad.output
