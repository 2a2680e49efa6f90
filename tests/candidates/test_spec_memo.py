"""The candidate enumeration's memo tables (generic specs per point list, orbit representatives per point
count, figure specs per point list) never change an answer: the same specs come back from a cold call,
a warm one, one after the tables were cut back, and with `must_use` (which bypasses the orbit table)."""

from __future__ import annotations

import numpy as np

import tonggeo.candidates.enumerate as enumerate_module
from tonggeo.candidates.enumerate import candidate_specs
from tonggeo.ddar import initial_state
from tonggeo.dsl import parse_problem

TEXT = "a b c = triangle a b c; d = midpoint d a b; e = circle e a b c; f = foot f c a b ? perp c f a b"


def _clear() -> None:
    enumerate_module._GENERIC_CACHE.clear()
    enumerate_module._FIGURE_MEMO.clear()
    enumerate_module._ORBITS.clear()


def test_memo_tables_return_the_cold_answer() -> None:
    diagram = initial_state(parse_problem(TEXT, "memo"), np.random.default_rng(0)).diagram
    _clear()
    cold = candidate_specs(diagram)
    warm = candidate_specs(diagram)
    assert warm == cold and len(cold) > 500
    assert enumerate_module._GENERIC_CACHE and enumerate_module._ORBITS and enumerate_module._FIGURE_MEMO
    _clear()
    assert candidate_specs(diagram) == cold


def test_must_use_keeps_only_calls_on_those_points() -> None:
    diagram = initial_state(parse_problem(TEXT, "memo"), np.random.default_rng(0)).diagram
    every = candidate_specs(diagram)
    some = candidate_specs(diagram, must_use=["f"])
    assert some and len(some) < len(every)
    assert all(any("f" in call.args for call in spec.calls) for spec in some)
    generic = [s for s in some if s.family == "construction"]
    assert [s.key for s in generic] == [s.key for s in every if s.family == "construction"
                                        and any("f" in c.args for c in s.calls)]


def test_the_tables_stay_bounded() -> None:
    _clear()
    for count in range(3, 3 + enumerate_module._GENERIC_CACHE_SIZE + 3):
        points = tuple(f"p{i}" for i in range(count))
        enumerate_module.generic_specs(points, None, enumerate_module.DEFAULT_CANDIDATES)
    assert len(enumerate_module._GENERIC_CACHE) <= enumerate_module._GENERIC_CACHE_SIZE
    assert len({n for _, n in enumerate_module._ORBITS}) <= enumerate_module._ORBIT_SIZES
