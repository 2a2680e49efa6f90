"""Vectorised survivors of the prefix plans (r58, r59: six points of one circle under side conditions;
r80, r81 stay with the direct loop) against the direct loop over permutations, on circles of 4 to 9
points in several arrangements (regular ones included, where signs and perpendiculars tie)."""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np
import pytest

from tonggeo.config import DEFAULT_DDAR
from tonggeo.ddar.match import condition_test
from tonggeo.ddar.numeric import NumericModel
from tonggeo.ddar.prefix import survivors
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import plans_for


def _prefix_plans() -> list[object]:
    return [p for p in plans_for(load_rules(), DEFAULT_DDAR) if p.prefix]


def _circle(count: int, seed: int, regular: bool) -> NumericModel:
    rng = np.random.default_rng(seed)
    angles = (np.arange(count) * 2 * math.pi / count if regular
              else np.sort(rng.uniform(0, 2 * math.pi, count)))
    points = [complex(math.cos(a), math.sin(a)) for a in angles] + [0j, complex(0.3, -0.2)]
    names = [f"p{i}" for i in range(len(points))]
    return NumericModel(names, {n: (z.real, z.imag) for n, z in zip(names, points, strict=True)})


def _direct(model: NumericModel, pts: tuple[int, ...], plan: object) -> list[tuple[int, ...]]:
    first = plan.steps[0]  # type: ignore[attr-defined]
    head = plan.steps[1 : 1 + plan.prefix]  # type: ignore[attr-defined]
    out = []
    for values in permutations(pts, len(first.slots)):
        binding = dict(zip(first.slots, values, strict=True))
        if all(condition_test(step.literal)(model, [binding[s] for s in step.slots]) for step in head):
            out.append(values)
    return out


def test_the_prefix_plans_are_the_circle_rules() -> None:
    assert sorted(p.rule.id for p in _prefix_plans()) == ["r58", "r59", "r80", "r81"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("count", [4, 6, 7, 9])
@pytest.mark.parametrize("regular", [False, True])
def test_vectorised_survivors_equal_the_direct_loop(count: int, regular: bool) -> None:
    model = _circle(count, seed=count, regular=regular)
    pts = tuple(range(count))  # the circle's points (the centre and the inner point are off it)
    for plan in _prefix_plans():
        first = plan.steps[0]  # type: ignore[attr-defined]
        head = plan.steps[1 : 1 + plan.prefix]  # type: ignore[attr-defined]
        tests = [(s.literal.name, s.slots, condition_test(s.literal)) for s in head]
        found = survivors(model, pts, first.slots, tests)
        expected = _direct(model, pts, plan)
        if plan.rule.id in ("r80", "r81"):  # type: ignore[attr-defined]
            # npara on four distinct points is not tabulated: the caller runs the direct loop
            assert found is None
            continue
        assert found == expected, plan.rule.id  # type: ignore[attr-defined]
        if count >= 6:
            assert expected


def test_conditions_it_cannot_split_fall_back() -> None:
    model = _circle(5, seed=1, regular=False)
    wide = [("eqangle", (0, 1, 2, 3, 4, 0, 1, 2), condition_test(_prefix_plans()[0].steps[1].literal))]  # type: ignore[attr-defined]
    assert survivors(model, tuple(range(5)), (0, 1, 2, 3, 4), wide) is None
