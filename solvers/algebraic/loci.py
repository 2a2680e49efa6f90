"""How a new point's equations become coordinates: the locus parametrisations of the builder.

A line through a known point P is `P + s d` (s a parameter); a curve through a known point P is
`P + t (1, s)`; a circle about a centre O of radius |PQ| is `O + (Q - P) z^2 / |z|^2` with z = 1 + i tau;
otherwise the coordinates are eliminated one by one. `place_one` / `place_two` choose among these.

Every function here only reads the state (through a `LocusView`) and returns a `Placement` for the
builder to apply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import ChainLink, Role, Variable
from solvers.algebraic.placement import Declare, Link, Placement, Solve, Step, Value, require
from solvers.algebraic.polys import AlgebraUnsupported, Poly, normalize
from solvers.algebraic.records import Equation, Root, RootMap, Vec, X, Y, coeff_xy, degree_xy, eliminate

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from solvers.algebraic.placement import LocusView
    from solvers.algebraic.state import ChainState


# -- free points ------------------------------------------------------------------------------
def free_placement(state: ChainState, name: str, kind: str) -> Placement:
    """`kind`: 'origin' (0, 0), 'unit' (1, 0), 'axis' (u, 0) or 'free' (u, v)."""
    a, b = state.slots[name]
    q = state.numeric[name]
    zero = state.ring.zero
    if kind == "origin":
        return Placement(name, (zero, zero))
    if kind == "unit":
        return Placement(name, (state.ring.one, zero))
    x = Declare(Variable(a, Role.PARAMETER, f"x_{name}"), float(q[0]))
    if kind == "axis":
        return Placement(name, (state.gens[a], zero), (x,))
    y = Declare(Variable(b, Role.PARAMETER, f"y_{name}"), float(q[1]))
    return Placement(name, (state.gens[a], state.gens[b]), (x, y))


# -- anchors: known points on a locus ---------------------------------------------------------
def _anchors(
    view: LocusView, name: str, eq: Equation, others: Sequence[Equation], midpoints: bool
) -> list[tuple[str, Vec]]:
    """Existing points (or midpoints of two) on `eq`, those also on `others` first."""
    state = view.state
    q = state.numeric[name]
    found: list[tuple[int, int, str, Vec]] = []
    candidates: list[tuple[str, Vec, NDArray[np.float64]]] = [
        (p, state.coords[p], state.numeric[p]) for p in state.coords
    ]
    if midpoints:
        names = list(state.coords)
        for i, p in enumerate(names):
            for r in names[i + 1 :]:
                (xp, yp), (xr, yr) = state.coords[p], state.coords[r]
                mid = ((xp + xr) * state.ring.domain(1, 2), (yp + yr) * state.ring.domain(1, 2))
                candidates.append((f"midpoint of {p}{r}", mid, (state.numeric[p] + state.numeric[r]) / 2))
    for order, (label, exact, xy) in enumerate(candidates):
        if float(np.linalg.norm(xy - q)) < 1e-7:
            continue
        on_eq = state.holds_at(eq.poly, xy)
        also = sum(state.holds_at(o.poly, xy) for o in others)
        if on_eq:
            found.append((-also, order, label, exact))
    found.sort(key=lambda item: (item[0], item[1]))
    verified = []
    for _, _, label, exact in found:
        if view.reduces_to_zero(state.at(eq.poly, exact)):
            verified.append((label, exact))
            if len(verified) >= 2:
                break
    return verified


def _roots(
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


# -- one equation -----------------------------------------------------------------------------
def place_one(view: LocusView, name: str, eq: Equation) -> Placement:
    state = view.state
    if degree_xy(eq.poly) == 1:
        anchors = _anchors(view, name, eq, (), midpoints=True)
        if anchors:
            return _line_through(state, name, eq, anchors[0], None)
        return _linear_without_anchor(state, name, eq, None)
    anchors = _anchors(view, name, eq, (), midpoints=False)
    if anchors:
        return _curve_through(state, name, eq, anchors[0], None)
    if eq.circle is not None:
        on_circle = _on_circle_by_angle(state, name, eq.circle)
        if on_circle is not None:
            return on_circle
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


def _on_circle_by_angle(state: ChainState, name: str, circle: tuple[str, str, str]) -> Placement | None:
    """name = O + (Q - P) z^2 / |z|^2 with z = 1 + i tau: the circle about O of radius |PQ| with a
    rational parameter tau; lam = 1 / (1 + tau^2) is a dependent variable (a linear link)."""
    centre, p, q = circle
    if not all(point in state.coords for point in circle):
        return None
    o, pp, qq = state.coords[centre], state.coords[p], state.coords[q]
    z_num = complex(*state.numeric[name]) - complex(*state.numeric[centre])
    z_rad = complex(*state.numeric[q]) - complex(*state.numeric[p])
    if abs(z_rad) == 0.0:
        return None
    turn = z_num / z_rad
    if turn.real < 0:
        pp, qq, turn = qq, pp, -turn
    angle = math.atan2(turn.imag, turn.real)
    tau_value = math.tan(angle / 2)
    a, b = state.slots[name]
    tau, lam = state.gens[a], state.gens[b]
    rx, ry = qq[0] - pp[0], qq[1] - pp[1]
    wx, wy = 1 - tau * tau, 2 * tau
    return Placement(
        name,
        (o[0] + lam * (rx * wx - ry * wy), o[1] + lam * (rx * wy + ry * wx)),
        (
            Declare(Variable(a, Role.PARAMETER, f"tan of half the turn of {name} about {centre}"), tau_value),
            Value(b, 1.0 / (1.0 + tau_value * tau_value)),
            Declare(Variable(b, Role.DEPENDENT, f"1 / (1 + tau^2) for {name}")),
            Link(ChainLink(b, (1 + tau * tau) * lam - 1, name)),
        ),
    )


# -- two equations ----------------------------------------------------------------------------
def place_two(view: LocusView, name: str, first: Equation, second: Equation) -> Placement:
    state = view.state
    prefix: tuple[Step, ...] = ()
    if degree_xy(first.poly) >= 2 and degree_xy(second.poly) >= 2:
        combined = _radical_axis(first, second)
        if combined is not None:
            first, second, prefix = combined[0], first, combined[1]
    placement = _place_two(view, state, name, first, second)
    return replace(placement, steps=prefix + placement.steps) if prefix else placement


def _place_two(view: LocusView, state: ChainState, name: str, first: Equation, second: Equation) -> Placement:
    if degree_xy(second.poly) == 1 and degree_xy(first.poly) > 1:
        first, second = second, first
    if degree_xy(first.poly) == 1:
        anchors = _anchors(view, name, first, (second,), midpoints=True)
        if anchors:
            return _line_through(state, name, first, anchors[0], second)
        return _linear_without_anchor(state, name, first, second)
    anchors = _anchors(view, name, first, (second,), midpoints=False)
    if not anchors:
        anchors = _anchors(view, name, second, (first,), midpoints=False)
        first, second = second, first
    if anchors:
        return _curve_through(state, name, first, anchors[0], second)
    return _generic_pair(state, name, first, second)


def _radical_axis(first: Equation, second: Equation) -> tuple[Equation, tuple[Step, ...]] | None:
    """k2 f1 - k1 f2 when the quadratic parts of f1, f2 are proportional (e.g. two circles), with the
    conditions that k1, k2 do not vanish."""
    k1 = coeff_xy(first.poly, (2, 0))
    k2 = coeff_xy(second.poly, (2, 0))
    if not k1 or not k2:
        return None
    combined = normalize(first.poly * k2 - second.poly * k1)
    if not combined or degree_xy(combined) != 1:
        return None
    steps = (
        require(k1, f"leading coefficient of '{first.source}'"),
        require(k2, f"leading coefficient of '{second.source}'"),
    )
    return Equation(combined, f"{first.source} minus {second.source}"), steps


# -- parametrisations -------------------------------------------------------------------------
def _line_through(
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

    roots = _roots(state, name, (eq, other), root_of)
    solve = Solve(a, (state.at(other.poly, coords),), where, roots)
    return Placement(name, coords, (defined, Value(a, s_value), solve))


def _linear_without_anchor(state: ChainState, name: str, eq: Equation, other: Equation | None) -> Placement:
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
            return Placement(
                name,
                coords,
                (
                    Declare(Variable(a, Role.PARAMETER, f"x_{name}"), float(q[0])),
                    Value(b, float(q[1])),
                    Solve(b, (state.at(eq.poly, coords),), f"y_{name}"),
                ),
            )
        line = state.at(eq.poly, coords)
        eliminated = normalize(state.at(other.poly, coords).prem(line, state.gens[b]))
        roots = _roots(state, name, (eq, other), lambda exact: (exact[0], one))
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
    roots = _roots(state, name, (eq, other), lambda exact: (exact[index], one))
    return Placement(name, coords, (guess, Solve(main, (state.at(other.poly, coords),), label, roots)))


def _curve_through(
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
        roots = () if second is None else _roots(state, name, eqs, slope_root)
        by_slope = Solve(a, (first,), slope, roots)
        if second is None:
            distance = Declare(Variable(b, Role.PARAMETER, f"distance of {name} from {label}"))
            return Placement(name, coords, (*steps, by_slope, distance))
        by_distance = Solve(
            b, (second,), f"distance of {name}", _roots(state, name, eqs, t_root), reduced=True
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
    by_slope = Solve(a, (low,), slope, _roots(state, name, eqs, slope_root))
    by_distance = Solve(
        b, (keep, first, second), f"distance of {name}", _roots(state, name, eqs, t_root), reduced=True
    )
    return Placement(name, coords, (*steps, by_slope, by_distance))


def _divide_power(state: ChainState, poly: Poly, index: int) -> Poly:
    """poly / v^m for the largest m dividing it (v the generator `index`)."""
    lowest = min((m[index] for m in poly.keys()), default=0)
    if lowest == 0:
        return poly
    return poly.exquo(state.gens[index] ** lowest)


def _generic_pair(state: ChainState, name: str, first: Equation, second: Equation) -> Placement:
    a, b = state.slots[name]
    q = state.numeric[name]
    coords = (state.gens[a], state.gens[b])
    f1, f2 = state.at(first.poly, coords), state.at(second.poly, coords)
    low, keep = eliminate(f1, f2, b, state.deadline, state.config.elimination_max_terms)
    if not low:
        raise AlgebraUnsupported(f"the loci of {name} share a component")
    eqs = [first, second]
    one = state.ring.one
    return Placement(
        name,
        coords,
        (
            Value(a, float(q[0])),
            Value(b, float(q[1])),
            Solve(a, (low,), f"x_{name}", _roots(state, name, eqs, lambda e: (e[0], one))),
            Solve(
                b, (keep, f1, f2), f"y_{name}", _roots(state, name, eqs, lambda e: (e[1], one)), reduced=True
            ),
        ),
    )
