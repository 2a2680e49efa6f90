"""The proof checker as an independent guard: what it relies on, and proofs it must refuse."""

from __future__ import annotations

import ast
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import tonggeo.ddar  # noqa: F401  (import order: see test_proof_package_imports_on_its_own)
from tonggeo.dsl import parse_problem
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import AlgebraStep, Given
from tonggeo.proof import Proof, check_proof
from tonggeo.proof.model import ProofStep

ROOT = Path(__file__).resolve().parents[2]
# The engine's search machinery: a checker that used it would share its bugs.
ENGINE_MODULES = ("match", "database", "linear", "algebra", "saturate", "relations", "support", "squared",
                  "menelaus", "candidates", "structures", "numeric")


def _f(kind: str, args: str) -> Fact:
    return make_fact(kind, args.split())


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return out


def test_checker_does_not_use_the_engine() -> None:
    """The checker reads the rule file and the fact records, never the matcher, database or tables."""
    for path in sorted((ROOT / "tonggeo" / "proof").glob("*.py")):
        if path.name in ("minimize.py", "__init__.py"):
            continue  # proof post-processing on the engine's side, not part of the replay
        used = [m for m in _imports(path) for e in ENGINE_MODULES if m.startswith(f"tonggeo.ddar.{e}")]
        assert not used, f"{path.name} imports {used}"


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
