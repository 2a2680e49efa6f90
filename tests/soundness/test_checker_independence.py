"""The proof checker as an independent guard: what it relies on, and proofs it must refuse."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import tonggeo.ddar  # noqa: F401  (import order: see test_proof_package_imports_on_its_own)
from tests.conftest import ROOT
from tonggeo.dsl import parse_problem
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import AlgebraStep, Given
from tonggeo.proof import Proof, check_proof
from tonggeo.proof.model import ProofStep

CHECKER = [ROOT / "tonggeo" / "proof" / "checker.py",
           *sorted((ROOT / "tonggeo" / "proof" / "check").glob("*.py"))]
# What the checker may take from the fact package: the proof's justification records, nothing that
# normalises or parses facts (the checker has its own reading, `tonggeo.proof.check.facts`).
ALLOWED_FROM_FACTS = {"tonggeo.facts.justification": {"AlgebraStep", "Given", "MergeStep", "RuleStep"}}


def _f(kind: str, args: str) -> Fact:
    return make_fact(kind, args.split())


def _imports(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, imported names) of every import statement in the file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base]) if base else ".".join(parts)
            out.append((base, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Import):
            out.extend((alias.name, ()) for alias in node.names)
    return out


def _module_file(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _closure(start: list[Path]) -> dict[Path, list[str]]:
    """Every tonggeo module the files import, transitively, with the import chain that reaches it; an
    import of `package.name` also runs every parent package's `__init__`."""
    chains = {path: [str(path.relative_to(ROOT))] for path in start}
    queue = list(start)
    while queue:
        path = queue.pop()
        for module, names in _imports(path):
            if not module.startswith("tonggeo"):
                continue
            parts = module.split(".")
            targets = [".".join(parts[:k]) for k in range(1, len(parts) + 1)]
            targets += [f"{module}.{name}" for name in names]  # `from package import module`
            for target in targets:
                found = _module_file(target)
                if found is not None and found not in chains:
                    chains[found] = [*chains[path], target]
                    queue.append(found)
    return chains


def test_checker_imports_nothing_from_the_engine() -> None:
    """No module the checker imports, directly or through others, is part of `tonggeo.ddar`."""
    assert len(CHECKER) >= 6
    engine = ROOT / "tonggeo" / "ddar"
    reached = _closure(CHECKER)
    bad = {str(p.relative_to(ROOT)): " -> ".join(c) for p, c in reached.items() if engine in p.parents}
    assert not bad, bad


def test_the_import_walk_would_see_the_engine() -> None:
    """The walk itself finds an engine import (so the test above can fail)."""
    reached = _closure([ROOT / "solvers" / "ddar.py"])
    assert ROOT / "tonggeo" / "ddar" / "saturate.py" in reached
    assert ROOT / "tonggeo" / "proof" / "checker.py" in reached


def test_checker_has_its_own_fact_reading() -> None:
    """From tonggeo.facts the checker's modules take only the justification records."""
    for path in CHECKER:
        for module, names in _imports(path):
            if module.startswith("tonggeo.facts"):
                allowed = ALLOWED_FROM_FACTS.get(module, set())
                assert set(names) <= allowed, f"{path.name} imports {names} from {module}"


def test_checker_runs_with_the_engine_unimportable(tmp_path: Path) -> None:
    """A real proof, written as JSON, is checked in a process where `tonggeo.ddar` cannot be imported."""
    import numpy as np

    from solvers.ddar import solve
    from tonggeo.proof import proof_to_json

    text = "a b c = triangle a b c; m = midpoint m a b; n = midpoint n a c ? para m n b c"
    result = solve(parse_problem(text, "midline"), timeout=30, rng=np.random.default_rng(0))
    assert result.proof is not None, result.message
    (tmp_path / "proof.json").write_text(json.dumps(proof_to_json(result.proof)), encoding="utf-8")
    script = (
        "import json, sys\n"
        "sys.modules['tonggeo.ddar'] = None\n"
        "from tonggeo.dsl import parse_problem\n"
        "from tonggeo.proof.checker import check_proof\n"
        "from tonggeo.proof.model import proof_from_json\n"
        f"problem = parse_problem({text!r}, 'midline')\n"
        "proof = proof_from_json(json.loads(open(sys.argv[1]).read()))\n"
        "report = check_proof(proof, problem)\n"
        "print('ok' if report.ok else report.errors)\n"
        "print(sorted(m for m in sys.modules if m.startswith('tonggeo.ddar.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "proof.json")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr.splitlines()[-3:]
    assert done.stdout.splitlines() == ["ok", "[]"]


def test_proof_package_imports_on_its_own() -> None:
    done = subprocess.run([sys.executable, "-c", "import tonggeo.proof"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr.splitlines()[-1:]


GOAL_FALSE = "a b = segment a b; m = midpoint m a b; c = on_line c a b; d = on_line d a b ? midp m c d"
POINTS = {"a": (0.0, 0.0), "b": (4.0, 0.0), "m": (2.0, 0.0), "c": (1.0, 0.0), "d": (3.0, 0.0)}


def test_checker_wants_the_problems_goal() -> None:
    """A proof that states only a premise, claiming that premise as its goal, does not prove the problem."""
    problem = parse_problem(GOAL_FALSE, "false_midpoint")
    steps = (ProofStep(1, _f("coll", "c a b"), Given("on_line c a b")),)
    report = check_proof(Proof(problem.name, (_f("coll", "c a b"),), steps, POINTS), problem)
    assert not report.ok


def test_checker_refuses_a_power_of_a_point_without_a_centre() -> None:
    """`power P X Y` needs a cong O X O Y with one common centre: `cong o x o x` would give the false
    equation OP^2 = OX^2 + PX^2 and 'prove' a right angle at X for a free point P."""
    problem = parse_problem("o x = segment o x; p = free p; q = on_line q p x ? perp o x x p", "bogus_power")
    steps = (
        ProofStep(1, _f("coll", "q p x"), Given("on_line q p x")),
        ProofStep(2, _f("cong", "o x o x"), AlgebraStep("ratio", ())),
        ProofStep(3, _f("perp", "o x x p"),
                  AlgebraStep("squared", ((2, Fraction(1)),), (1,), 1, ("power p x x",))),
    )
    points = {"o": (0.0, 0.0), "x": (1.0, 0.0), "p": (1.0, 1.0), "q": (1.0, 2.0)}
    report = check_proof(Proof(problem.name, (_f("perp", "o x x p"),), steps, points), problem)
    assert not report.ok


BISECTORS = "a b c = triangle a b c; x = angle_bisector x b a c; y = angle_bisector y b a c ? para a x a y"
# x on the internal bisector of angle BAC, y on the external one: both satisfy the directed-angle fact
# eqangle a b a x a x a c (2 AX = AB + AC mod pi), so together they give only 2 (AX - AY) = 0.
BISECTOR_POINTS = {"a": (0.0, 0.0), "b": (2.0, 0.0), "c": (0.0, 3.0), "x": (1.0, 1.0), "y": (1.0, -1.0)}


@pytest.mark.parametrize(("kind", "accepted"), [("perp", True), ("para", False)])
def test_a_multiplier_takes_the_diagrams_branch(kind: str, accepted: bool) -> None:
    """2x = 0 (mod pi) leaves x in {0, 1/2}: a step with multiplier 2 is accepted for the branch the
    drawing shows (perp here) and refused for the other one."""
    problem = parse_problem(BISECTORS.replace("? para", f"? {kind}"), "two_bisectors")
    half = Fraction(1, 2)
    steps = (
        ProofStep(1, _f("eqangle", "a b a x a x a c"), Given("angle_bisector x b a c")),
        ProofStep(2, _f("eqangle", "a b a y a y a c"), Given("angle_bisector y b a c")),
        ProofStep(3, _f(kind, "a x a y"), AlgebraStep("angle", ((1, half), (2, -half)), (), 2)),
    )
    report = check_proof(Proof(problem.name, (_f(kind, "a x a y"),), steps, BISECTOR_POINTS), problem)
    assert report.ok is accepted, report.errors
