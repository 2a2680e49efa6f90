"""One minimal problem per construction: its declared facts and preconditions hold numerically."""

from __future__ import annotations

import numpy as np
import pytest

from tonggeo.constructions import Construction, load_catalogue
from tonggeo.constructions.sketch import PRIMITIVES
from tonggeo.diagram import build_diagram, check_predicate
from tonggeo.dsl import parse_problem

CATALOGUE = load_catalogue()

# numeric parameters for constructions that take one (by construction name)
PARAMS: dict[str, tuple[str, ...]] = {
    "lconst": ("3",),
    "l2const": ("5",),
    "rconst": ("2/1",),
    "rconst2": ("1/3",),
    "r2const": ("2/1",),
    "aconst": ("1pi/3",),
    "s_angle": ("40",),
}

# constructions whose inputs need a particular configuration
SPECIAL: dict[str, str] = {
    "2l1c": "a b c = triangle a b c; o = circle o a b c; e = midpoint e b c; x y z i = 2l1c x y z i a b e o",
    "e5128": "b c = segment b c; a = on_tline a b b c; d = on_circle d c b; x y = e5128 x y a b c d",
    "cc_itangent": "o = free o; a = lconst a o 1; w = lconst w o 4; b = lconst b w 2; "
    "x y z i = cc_itangent x y z i o a w b",
    "cc_tangent": "o = free o; a = lconst a o 1; w = lconst w o 3; b = lconst b w 2; "
    "x y z i = cc_tangent x y z i o a w b",
    "cc_tangent0": "o = free o; a = lconst a o 1; w = lconst w o 3; b = lconst b w 2; "
    "x y = cc_tangent0 x y o a w b",
}


def minimal_problem(construction: Construction) -> str:
    """Free points for the inputs (named as the definition's variables), then one call."""
    if construction.name in SPECIAL:
        return SPECIAL[construction.name]
    values = iter(PARAMS.get(construction.name, ()))
    args = [next(values) if a in construction.params else a for a in construction.args]
    clauses = [f"{p} = free {p}" for p in construction.inputs]
    clauses.append(f"{' '.join(construction.outputs)} = {construction.name} {' '.join(args)}")
    return "; ".join(clauses)


def test_every_sketch_primitive_exists() -> None:
    missing = {
        (c.name, step.primitive)
        for c in CATALOGUE.values()
        for step in c.sketch
        if step.primitive not in PRIMITIVES
    }
    assert not missing


def test_every_primitive_is_used() -> None:
    used = {step.primitive for c in CATALOGUE.values() for step in c.sketch}
    assert set(PRIMITIVES) == used


@pytest.mark.parametrize("name", sorted(CATALOGUE), ids=str)
def test_construction_facts_hold(name: str) -> None:
    construction = CATALOGUE[name]
    problem = parse_problem(minimal_problem(construction), name)
    call = problem.clauses[-1].calls[0]
    mapping = dict(zip(construction.args, call.args, strict=True))
    facts = [t.bind(mapping) for t in construction.all_facts()]
    preconditions = [t.bind(mapping) for t in construction.preconditions]
    for seed in range(3):
        diagram = build_diagram(problem, np.random.default_rng(seed))
        for pred, args in preconditions + facts:
            assert check_predicate(pred, args, diagram.points), f"seed {seed}: {pred} {' '.join(args)}"
        for point in construction.outputs:
            assert np.all(np.isfinite(diagram.coords(mapping[point])))
