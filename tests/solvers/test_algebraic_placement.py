"""The Wu builder's split: locus parametrisations only read the state and return a `Placement`; the
builder applies it, and the applied coordinates agree with the diagram."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.algebraic.builder import ChainBuilder
from solvers.algebraic.loci import place_one, place_two
from solvers.algebraic.placement import Declare, Placement, Solve, Value
from solvers.algebraic.polys import Deadline, evaluate
from solvers.algebraic.predicates import equations
from solvers.algebraic.records import Equation
from solvers.algebraic.state import ChainState
from solvers.algebraic.translate import Frame
from tonggeo.config import AlgebraicSolverConfig
from tonggeo.diagram import build_diagram
from tonggeo.dsl.parser import parse_problem

CONFIG = AlgebraicSolverConfig(subprocess=False)

# (problem, the new point, its facts): one equation (a line, a circle) or two (lines, line and circle)
CASES = {
    "line_through_anchor": ("a b c = triangle a b c; d = on_line d a b", "d", [("coll", ("d", "a", "b"))]),
    "circle_through_anchor": (
        "a b c = triangle a b c; d = on_circle d a b",
        "d",
        [("cong", ("a", "d", "a", "b"))],
    ),
    "two_lines": (
        "a b c = triangle a b c; h = orthocenter h a b c",
        "h",
        [("perp", ("h", "a", "b", "c")), ("perp", ("h", "b", "a", "c"))],
    ),
    "line_and_circle": (
        "a b c = triangle a b c; d = on_line d a b, on_circle d c a",
        "d",
        [("coll", ("d", "a", "b")), ("cong", ("c", "d", "c", "a"))],
    ),
}


def _builder(text: str, new: str) -> ChainBuilder:
    """A builder of `text` with the triangle a b c placed (a at the origin, b at (1, 0))."""
    problem = parse_problem(text)
    diagram = build_diagram(problem, np.random.default_rng(0))
    order = ["a", "b", "c", new]
    numeric = Frame("a", "b", scaled=True).apply({n: diagram.points[n] for n in order})
    builder = ChainBuilder(ChainState.empty(order, numeric, CONFIG, Deadline.after(60.0)))
    builder.place_free("a", "origin")
    builder.place_free("b", "unit")
    builder.place_free("c", "free")
    return builder


def _snapshot(state: ChainState) -> tuple[object, ...]:
    return (
        state.values.copy().tolist(),
        dict(state.coords),
        list(state.chain.links),
        state.chain.version,
        list(state.variables),
        list(state.conditions),
        list(state.choices),
        list(state.notes),
        state.tangencies,
    )


@pytest.mark.parametrize(("text", "new", "facts"), CASES.values(), ids=list(CASES))
def test_loci_return_a_placement_and_leave_the_state_alone(
    text: str, new: str, facts: list[tuple[str, tuple[str, ...]]]
) -> None:
    builder = _builder(text, new)
    state = builder.state
    state.current = new
    eqs = [
        Equation(p, f"{name} {' '.join(args)}") for name, args in facts for p in equations(state, name, args)
    ]
    state.set_placeholders(state.numeric[new])
    before = _snapshot(state)
    placement = place_one(builder, new, eqs[0]) if len(eqs) == 1 else place_two(builder, new, eqs[0], eqs[1])
    assert isinstance(placement, Placement) and placement.point == new
    assert _snapshot(state) == before  # reading only: nothing written
    assert placement.coords is not None
    assert any(isinstance(s, Declare | Value | Solve) for s in placement.steps)
    builder.apply(placement)
    state.current = None
    x, y = state.coords[new]
    drawn = state.numeric[new]
    assert evaluate(x, state.values)[0] == pytest.approx(float(drawn[0]), abs=1e-7)
    assert evaluate(y, state.values)[0] == pytest.approx(float(drawn[1]), abs=1e-7)
    for eq in eqs:  # the hypotheses vanish on the new coordinates, exactly, once reduced by the chain
        assert not builder.numerator(state.at(eq.poly, state.coords[new]))
