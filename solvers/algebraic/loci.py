"""How a new point's equations become coordinates: the locus parametrisations of the builder.

A line through a known point P is `P + s d` (s a parameter); a curve through a known point P is
`P + t (1, s)`; a circle about a centre O of radius |PQ| is `O + (Q - P) z^2 / |z|^2` with z = 1 + i tau;
otherwise the coordinates are eliminated one by one. `place_one` / `place_two` choose among these.

Every function here only reads the state (through a `LocusView`) and returns a `Placement` for the
builder to apply; the line, curve and elimination parametrisations themselves are in `parametrise`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import ChainLink, Role, Variable
from solvers.algebraic.parametrise import (
    curve_through,
    generic_pair,
    line_through,
    linear_without_anchor,
    x_free_y_solved,
)
from solvers.algebraic.placement import Declare, Link, Placement, Step, Value, require
from solvers.algebraic.polys import normalize
from solvers.algebraic.records import Equation, Vec, coeff_xy, degree_xy

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


# -- one equation -----------------------------------------------------------------------------
def place_one(view: LocusView, name: str, eq: Equation) -> Placement:
    state = view.state
    if degree_xy(eq.poly) == 1:
        anchors = _anchors(view, name, eq, (), midpoints=True)
        if anchors:
            return line_through(state, name, eq, anchors[0], None)
        return linear_without_anchor(state, name, eq, None)
    anchors = _anchors(view, name, eq, (), midpoints=False)
    if anchors:
        return curve_through(state, name, eq, anchors[0], None)
    if eq.circle is not None:
        on_circle = _on_circle_by_angle(state, name, eq.circle)
        if on_circle is not None:
            return on_circle
    return x_free_y_solved(state, name, eq)


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
            return line_through(state, name, first, anchors[0], second)
        return linear_without_anchor(state, name, first, second)
    anchors = _anchors(view, name, first, (second,), midpoints=False)
    if not anchors:
        anchors = _anchors(view, name, second, (first,), midpoints=False)
        first, second = second, first
    if anchors:
        return curve_through(state, name, first, anchors[0], second)
    return generic_pair(state, name, first, second)


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
