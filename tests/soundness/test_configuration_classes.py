"""The soundness benchmark's classification of false configuration-dependent facts: a fact false in a
fresh drawing counts as "another configuration" only when a step of its derivation reads that drawing
differently (and, for a halved angle, k times its equation still holds); otherwise it is a bug."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import BENCHMARKS
from tonggeo.dsl import parse_problem

BENCH = BENCHMARKS / "ddar_bench.py"
# Not a benchmark problem: c is on either side of b, so fresh drawings realise both configurations.
SIDES = (
    "a b = segment a b; c = on_tline c b a b, on_circle c b a; e = s_angle a b e 60, on_circle e b a; "
    "f = on_line f b e, on_line f a c ? cong b c b a"
)
SEEDS = [1, 2, 3, 4, 5, 6]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ddar_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ddar_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_false_facts_of_another_configuration_are_told_apart() -> None:
    bench = _bench()
    result = bench.soundness(parse_problem(SIDES, "sides"), SEEDS, 20.0)
    assert result.false == 0  # facts that hold in every figure stay true
    assert result.dep_false > 0  # the other side of b makes some configuration-dependent facts false
    assert result.other == result.dep_false and result.same == 0, result


def test_a_step_that_reads_nothing_differently_counts_as_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the k-fold check the halved-angle steps cannot be attributed to another configuration:
    the classifier must then report them as false in the same configuration."""
    bench = _bench()
    monkeypatch.setattr(bench, "angle_residual", lambda kind, args, points: None)
    result = bench.soundness(parse_problem(SIDES, "sides"), SEEDS, 20.0)
    assert result.dep_false > 0 and result.same > 0 and result.same_examples


def test_angle_residual_and_multiples() -> None:
    bench = _bench()
    pi = 3.141592653589793
    points = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (0.0, 1.0), "d": (1.0, 1.0)}
    assert bench._is_multiple(bench.angle_residual("para", ("a", "b", "c", "d"), points), pi)
    assert bench._is_multiple(bench.angle_residual("perp", ("a", "b", "a", "c"), points), pi)
    assert not bench._is_multiple(bench.angle_residual("para", ("a", "b", "a", "d"), points), pi)
    # the diagonal makes a quarter of pi with ab: ab // ad holds 4-fold, not 2-fold
    assert bench._is_multiple(4 * bench.angle_residual("para", ("a", "b", "a", "d"), points), pi)
    assert not bench._is_multiple(2 * bench.angle_residual("para", ("a", "b", "a", "d"), points), pi)
    assert bench.angle_residual("cong", ("a", "b", "c", "d"), points) is None
