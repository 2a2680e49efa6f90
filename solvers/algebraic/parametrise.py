"""The parametrisations of a new point's coordinates once `loci` has chosen how to place it.

A line through a known point P is `P + s d` (s a parameter); a curve through a known point P is
`P + t (1, s)` (t solved from the curve's equation, divided by the power of t it vanishes to at P);
without a known point the coordinates are eliminated one by one. Each returns a `Placement`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import Role, Variable
from solvers.algebraic.placement import Declare, Placement, Solve, Step, Value, require
from solvers.algebraic.polys import AlgebraUnsupported, Poly, normalize
from solvers.algebraic.records import Equation, Root, RootMap, Vec, X, Y, eliminate

if TYPE_CHECKING:
    from solvers.algebraic.state import ChainState


def roots_among(
    state: ChainState, name: str, equations: Sequence[Equation], value_of: RootMap
) -> tuple[Root, ...]:
    """Existing points other than the new one that satisfy all its equations numerically."""
    q = state.numeric[name]
    roots = []
    for p, exact in state.coords.items():
        xy = state.numeric[p]
        if float(np.linalg.norm(xy - q)) < 1e-7:
            continue
        if all(state.holds_at(eq.poly, xy) for eq in equations):
            value = value_of(exact)
            if value is not None:
                roots.append(Root(p, value[0], value[1]))
    return tuple(roots)


def line_through(
    state: ChainState, name: str, eq: Equation, anchor: tuple[str, Vec], other: Equation | None
) -> Placement:
    """name = P + s d on the line eq = 0 through anchor P, d = (-B, A) for eq = A X + B Y + C."""
    label, (px, py) = anchor
    a, _ = state.slots[name]
    coef_x, coef_y = eq.poly.diff(state.gens[X]), eq.poly.diff(state.gens[Y])
    dx, dy = -coef_y, coef_x
    defined = require(dx * dx + dy * dy, f"the line '{eq.source}' is well defined")
    q = state.numeric[name]
    values_dx, values_dy = state.at_value(dx), state.at_value(dy)
    p_num = np.array([state.at_value(px), state.at_value(py)])
    norm = values_dx**2 + values_dy**2
    s_value = float(np.dot(q - p_num, [values_dx, values_dy]) / norm)
    s = state.gens[a]
    coords = (px + s * dx, py + s * dy)
    where = f"position of {name} on '{eq.source}' from {label}"
    if other is None:
        return Placement(name, coords, (defined, Declare(Variable(a, Role.PARAMETER, where), s_value)))

    def root_of(exact: Vec) -> tuple[Poly, Poly]:
        return (exact[0] - px) * dx + (exact[1] - py) * dy, dx * dx + dy * dy

    roots = roots_among(state, name, (eq, other), root_of)
    solve = Solve(a, (state.at(other.poly, coords),), where, roots)
    return Placement(name, coords, (defined, Value(a, s_value), solve))


def linear_without_anchor(state: ChainState, name: str, eq: Equation, other: Equation | None) -> Placement:
    a, b = state.slots[name]
    q = state.numeric[name]
    coef_x, coef_y = eq.poly.diff(state.gens[X]), eq.poly.diff(state.gens[Y])
    rest = state.at(eq.poly, (state.ring.zero, state.ring.zero))
    one = state.ring.one
    coords: Vec
    if coef_y.is_ground and coef_y:
        xa = state.gens[a]
        coords = (xa, -(coef_x * xa + rest) / coef_y.LC)
        main, label = a, f"x_{name}"
    elif coef_x.is_ground and coef_x:
        yb = state.gens[b]
        coords = (-(coef_y * yb + rest) / coef_x.LC, yb)
        main, label = b, f"y_{name}"
    else:
        coords = (state.gens[a], state.gens[b])
        if other is None:
            return x_free_y_solved(state, name, eq)
        line = state.at(eq.poly, coords)
        eliminated = normalize(state.at(other.poly, coords).prem(line, state.gens[b]))
        roots = roots_among(state, name, (eq, other), lambda exact: (exact[0], one))
        return Placement(
            name,
            coords,
            (
                Value(a, float(q[0])),
                Value(b, float(q[1])),
                Solve(a, (eliminated,), f"x_{name}", roots),
                Solve(b, (line,), f"y_{name}"),
            ),
        )
    guess = Value(main, float(q[0] if main == a else q[1]))
    if other is None:
        return Placement(name, coords, (guess, Declare(Variable(main, Role.PARAMETER, label))))
    index = 0 if main == a else 1
    roots = roots_among(state, name, (eq, other), lambda exact: (exact[index], one))
    return Placement(name, coords, (guess, Solve(main, (state.at(other.poly, coords),), label, roots)))


def x_free_y_solved(state: ChainState, name: str, eq: Equation) -> Placement:
    """The point's x a free parameter (at its drawn value), its y solved from `eq` (the drawn root)."""
    a, b = state.slots[name]
    q = state.numeric[name]
    coords = (state.gens[a], state.gens[b])
    return Placement(
        name,
        coords,
        (
            Declare(Variable(a, Role.PARAMETER, f"x_{name}"), float(q[0])),
            Value(b, float(q[1])),
            Solve(b, (state.at(eq.poly, coords),), f"y_{name}"),
        ),
    )


def curve_through(
    state: ChainState, name: str, eq: Equation, anchor: tuple[str, Vec], other: Equation | None
) -> Placement:
    """name = P + t (1, s) (or P + t (s, 1) for steep directions) on the curve eq = 0 through P."""
    label, (px, py) = anchor
    a, b = state.slots[name]
    q = state.numeric[name]
    p_num = np.array([state.at_value(px), state.at_value(py)])
    delta = q - p_num
    s, t = state.gens[a], state.gens[b]
    steep = abs(delta[1]) > abs(delta[0])
    coords: Vec
    if steep:
        guesses = (Value(a, float(delta[0] / delta[1])), Value(b, float(delta[1])))
        coords = (px + t * s, py + t)
    else:
        guesses = (Value(a, float(delta[1] / delta[0])), Value(b, float(delta[0])))
        coords = (px + t, py + t * s)
    slope = f"direction of {label}{name}"
    apart = require(
        coords[1 if steep else 0] - (py if steep else px), f"{name} != {label} (along the chosen axis)"
    )
    steps: tuple[Step, ...] = (*guesses, apart)
    first = _divide_power(state, state.at(eq.poly, coords), b)
    second = None if other is None else _divide_power(state, state.at(other.poly, coords), b)
    eqs = [eq] if other is None else [eq, other]

    def slope_root(exact: Vec) -> tuple[Poly, Poly]:
        if steep:
            return exact[0] - px, exact[1] - py
        return exact[1] - py, exact[0] - px

    def t_root(exact: Vec) -> tuple[Poly, Poly]:
        return (exact[1] - py if steep else exact[0] - px), state.ring.one

    if second is not None and first.degree(b) > 0 and second.degree(b) == 0:
        first, second = second, first
    if first.degree(b) == 0:
        roots = () if second is None else roots_among(state, name, eqs, slope_root)
        by_slope = Solve(a, (first,), slope, roots)
        if second is None:
            distance = Declare(Variable(b, Role.PARAMETER, f"distance of {name} from {label}"))
            return Placement(name, coords, (*steps, by_slope, distance))
        by_distance = Solve(
            b, (second,), f"distance of {name}", roots_among(state, name, eqs, t_root), reduced=True
        )
        return Placement(name, coords, (*steps, by_slope, by_distance))
    if second is None:
        free_slope = Declare(Variable(a, Role.PARAMETER, slope))
        return Placement(
            name, coords, (*steps, free_slope, Solve(b, (first,), f"distance of {name} from {label}"))
        )
    low, keep = eliminate(first, second, b, state.deadline, state.config.elimination_max_terms)
    if not low:
        raise AlgebraUnsupported(f"the loci of {name} share a component")
    by_slope = Solve(a, (low,), slope, roots_among(state, name, eqs, slope_root))
    by_distance = Solve(
        b, (keep, first, second), f"distance of {name}", roots_among(state, name, eqs, t_root), reduced=True
    )
    return Placement(name, coords, (*steps, by_slope, by_distance))


def _divide_power(state: ChainState, poly: Poly, index: int) -> Poly:
    """poly / v^m for the largest m dividing it (v the generator `index`)."""
    lowest = min((m[index] for m in poly.keys()), default=0)
    if lowest == 0:
        return poly
    return poly.exquo(state.gens[index] ** lowest)


def generic_pair(state: ChainState, name: str, first: Equation, second: Equation) -> Placement:
    a, b = state.slots[name]
    q = state.numeric[name]
    coords = (state.gens[a], state.gens[b])
    f1, f2 = state.at(first.poly, coords), state.at(second.poly, coords)
    low, keep = eliminate(f1, f2, b, state.deadline, state.config.elimination_max_terms)
    if not low:
        raise AlgebraUnsupported(f"the loci of {name} share a component")
    eqs = [first, second]
    one = state.ring.one
    x_roots = roots_among(state, name, eqs, lambda e: (e[0], one))
    y_roots = roots_among(state, name, eqs, lambda e: (e[1], one))
    return Placement(
        name,
        coords,
        (
            Value(a, float(q[0])),
            Value(b, float(q[1])),
            Solve(a, (low,), f"x_{name}", x_roots),
            Solve(b, (keep, f1, f2), f"y_{name}", y_roots, reduced=True),
        ),
    )
