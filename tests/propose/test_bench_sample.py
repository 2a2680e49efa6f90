"""The proposing benchmark validates a uniform random sample of the aux problems, not the first N."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import BENCHMARKS
from tonggeo.dsl import Problem, parse_problem

BENCH = BENCHMARKS / "propose_bench.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("propose_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["propose_bench"] = module
    spec.loader.exec_module(module)
    return module


def _problems(n: int) -> list[Problem]:
    out = []
    for i in range(n):
        aux = " | d = midpoint d a b" if i % 2 == 0 else ""
        out.append(parse_problem(f"a b c = triangle a b c{aux} ? cong a b a b", f"p{i}"))
    return out


def test_sample_is_random_seeded_and_only_aux() -> None:
    bench = _bench()
    problems = _problems(200)
    first = bench.sample_aux(problems, 20, 3)
    assert len(first) == 20 and all(p.aux for p in first)
    assert [p.name for p in first] == [p.name for p in bench.sample_aux(problems, 20, 3)]
    assert [p.name for p in first] != [p.name for p in bench.sample_aux(problems, 20, 4)]
    head = [p.name for p in problems if p.aux][:20]
    assert [p.name for p in first] != head  # not the first N of the ranked file
    assert len({p.name for p in first}) == 20
    assert len(bench.sample_aux(problems, 0, 3)) == 100  # 0: every aux problem
    assert len(bench.sample_aux(problems, 500, 3)) == 100
