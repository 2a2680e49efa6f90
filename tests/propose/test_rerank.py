"""`benchmarks/propose_rerank.py` reads back what a run wrote and ranks it under today's worth."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import BENCHMARKS
from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.dsl import parse_problem
from tonggeo.propose.output import Emitted, OutputWriter
from tonggeo.propose.pipeline import Proposal

# the aux completes the twin by a <-> b (g, the twin of f), draws a circle and its copy (i repeats h)
TWIN = ("a b c = triangle a b c; d = foot d a b c; e = foot e b c a; f = midpoint f a d | "
        "g = midpoint g b e; h = circle h c d f; i = circle i c e g ? perp a d b c")

PLAIN = "a b c = triangle a b c; d = midpoint d a b ? cong a d b d"


def _rerank() -> ModuleType:
    spec = importlib.util.spec_from_file_location("propose_rerank", BENCHMARKS / "propose_rerank.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["propose_rerank"] = module
    spec.loader.exec_module(module)
    return module


def _proposal(name: str, text: str, aux: tuple[str, ...], score: float, symmetric: bool) -> Proposal:
    return Proposal(name=name, key=name, text=text, goal=text.split(" ? ")[1], aux=aux, steps=12,
                    symmetric=symmetric, points=10, base="triangle", score=score, proof_text="",
                    proof_json="{}", facts=())


def test_problems_read_back_and_rescored(tmp_path: Path) -> None:
    rerank = _rerank()
    writer = OutputWriter(tmp_path)
    aux = tuple(TWIN.split(" | ")[1].split(" ? ")[0].split("; "))
    writer.add(_proposal("p_twin", TWIN, aux, 30.0, False))
    writer.add(_proposal("p_plain", PLAIN, (), 2.5, True))
    writer.close({}, figures=0, seed=0)
    emitted = rerank.read_problems(tmp_path / "problems.txt")
    assert emitted == [Emitted("p_twin", TWIN, 30.0, False, 3, 12),
                       Emitted("p_plain", PLAIN, 2.5, True, 0, 12)]
    twin = parse_problem(TWIN, "p_twin")
    assert rerank.drawing(twin, 0) is not None
    now = rerank.rescored(emitted[0], twin, rerank.drawing(twin, 0))
    # aux credit 2 (g for the twin, h; i repeats h), against 3 (the cap) when the copies are not read
    blind = rerank.rescored(emitted[0], twin, None)
    assert now.score == pytest.approx(blind.score - DEFAULT_PROPOSE.rank_aux)
    assert rerank.rescored(emitted[1], parse_problem(emitted[1].text, "p"), None) == emitted[1]


def test_a_bad_tag_line_is_named(tmp_path: Path) -> None:
    text = "# nonsense\np\na b = segment a b ? cong a b a b\n"
    (tmp_path / "problems.txt").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"problems.txt:1: not a problem's tag line"):
        _rerank().read_problems(tmp_path / "problems.txt")
