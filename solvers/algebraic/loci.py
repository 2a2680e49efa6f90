"""How a new point's equations become coordinates: the locus parametrisations of the builder.

A line through a known point P is `P + s d` (s a parameter); a curve through a known point P is
`P + t (1, s)`; a circle about a centre O of radius |PQ| is `O + (Q - P) z^2 / |z|^2` with z = 1 + i tau;
otherwise the coordinates are eliminated one by one. `place_one` / `place_two` choose among these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import ChainLink, Role, Variable
from solvers.algebraic.polys import AlgebraUnsupported, Poly, normalize
from solvers.algebraic.records import Equation, Root, RootMap, Vec, X, Y, coeff_xy, degree_xy, eliminate

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from solvers.algebraic.builder import ChainBuilder


# -- anchors: known points on a locus ---------------------------------------------------------
def _anchors(
    builder: ChainBuilder, eq: Equation, others: Sequence[Equation], midpoints: bool
) -> list[tuple[str, Vec]]:
    """Existing points (or midpoints of two) on `eq`, those also on `others` first."""
    q = builder.numeric[builder.current or ""]
    found: list[tuple[int, int, str, Vec]] = []
    candidates: list[tuple[str, Vec, NDArray[np.float64]]] = [
        (p, builder.coords[p], builder.numeric[p]) for p in builder.coords
    ]
    if midpoints:
        names = list(builder.coords)
        for i, p in enumerate(names):
            for r in names[i + 1 :]:
                (xp, yp), (xr, yr) = builder.coords[p], builder.coords[r]
                mid = ((xp + xr) * builder.ring.domain(1, 2), (yp + yr) * builder.ring.domain(1, 2))
                candidates.append((f"midpoint of {p}{r}", mid, (builder.numeric[p] + builder.numeric[r]) / 2))
    for order, (label, exact, xy) in enumerate(candidates):
        if float(np.linalg.norm(xy - q)) < 1e-7:
            continue
        builder.set_placeholders(xy)
        on_eq = builder.is_zero_at(eq.poly)
        also = sum(builder.is_zero_at(o.poly) for o in others)
        builder.set_placeholders(q)
        if on_eq:
            found.append((-also, order, label, exact))
    found.sort(key=lambda item: (item[0], item[1]))
    verified = []
    for _, _, label, exact in found:
        if builder.reduces_to_zero(builder.at(eq.poly, exact)):
            verified.append((label, exact))
            if len(verified) >= 2:
                break
    return verified


def _roots(builder: ChainBuilder, name: str, equations: Sequence[Equation], value_of: RootMap) -> list[Root]:
    """Existing points other than the new one that satisfy all its equations numerically."""
    q = builder.numeric[name]
    roots = []
    for p, exact in builder.coords.items():
        xy = builder.numeric[p]
        if float(np.linalg.norm(xy - q)) < 1e-7:
            continue
        builder.set_placeholders(xy)
        on_all = all(builder.is_zero_at(eq.poly) for eq in equations)
        builder.set_placeholders(q)
        if on_all:
            value = value_of(exact)
            if value is not None:
                roots.append(Root(p, value[0], value[1]))
    return roots


# -- one equation -----------------------------------------------------------------------------
def place_one(builder: ChainBuilder, name: str, eq: Equation) -> None:
    if degree_xy(eq.poly) == 1:
        anchors = _anchors(builder, eq, (), midpoints=True)
        if anchors:
            _line_through(builder, name, eq, anchors[0], None)
            return
        _linear_without_anchor(builder, name, eq, None)
        return
    anchors = _anchors(builder, eq, (), midpoints=False)
    if anchors:
        _curve_through(builder, name, eq, anchors[0], None)
        return
    if eq.circle is not None and _on_circle_by_angle(builder, name, eq.circle):
        return
    a, b = builder.slots[name]
    q = builder.numeric[name]
    xa = builder.variable(a, Role.PARAMETER, float(q[0]), f"x_{name}")
    builder.coords[name] = (xa, builder.gens[b])
    builder.values[b] = float(q[1])
    poly = builder.at(eq.poly, builder.coords[name])
    builder.solve_for(name, b, poly, [], f"y_{name}", [eq])


def _on_circle_by_angle(builder: ChainBuilder, name: str, circle: tuple[str, str, str]) -> bool:
    """name = O + (Q - P) z^2 / |z|^2 with z = 1 + i tau: the circle about O of radius |PQ| with a
    rational parameter tau; lam = 1 / (1 + tau^2) is a dependent variable (a linear link)."""
    centre, p, q = circle
    if not all(point in builder.coords for point in circle):
        return False
    o, pp, qq = builder.coords[centre], builder.coords[p], builder.coords[q]
    z_num = complex(*builder.numeric[name]) - complex(*builder.numeric[centre])
    z_rad = complex(*builder.numeric[q]) - complex(*builder.numeric[p])
    if abs(z_rad) == 0.0:
        return False
    turn = z_num / z_rad
    if turn.real < 0:
        pp, qq, turn = qq, pp, -turn
    angle = math.atan2(turn.imag, turn.real)
    tau_value = math.tan(angle / 2)
    a, b = builder.slots[name]
    tau = builder.variable(a, Role.PARAMETER, tau_value, f"tan of half the turn of {name} about {centre}")
    builder.values[b] = 1.0 / (1.0 + tau_value * tau_value)
    lam = builder.gens[b]
    link = ChainLink(b, (1 + tau * tau) * lam - 1, name)
    builder.variables.append(Variable(b, Role.DEPENDENT, f"1 / (1 + tau^2) for {name}"))
    builder.chain.append(link)
    rx, ry = qq[0] - pp[0], qq[1] - pp[1]
    wx, wy = 1 - tau * tau, 2 * tau
    builder.coords[name] = (o[0] + lam * (rx * wx - ry * wy), o[1] + lam * (rx * wy + ry * wx))
    return True


# -- two equations ----------------------------------------------------------------------------
def place_two(builder: ChainBuilder, name: str, first: Equation, second: Equation) -> None:
    if degree_xy(first.poly) >= 2 and degree_xy(second.poly) >= 2:
        combined = _radical_axis(builder, first, second)
        if combined is not None:
            first, second = combined, first
    if degree_xy(second.poly) == 1 and degree_xy(first.poly) > 1:
        first, second = second, first
    if degree_xy(first.poly) == 1:
        anchors = _anchors(builder, first, (second,), midpoints=True)
        if anchors:
            _line_through(builder, name, first, anchors[0], second)
        else:
            _linear_without_anchor(builder, name, first, second)
        return
    anchors = _anchors(builder, first, (second,), midpoints=False)
    if not anchors:
        anchors = [(label, exact) for label, exact in _anchors(builder, second, (first,), midpoints=False)]
        first, second = second, first
    if anchors:
        _curve_through(builder, name, first, anchors[0], second)
        return
    _generic_pair(builder, name, first, second)


def _radical_axis(builder: ChainBuilder, first: Equation, second: Equation) -> Equation | None:
    """k2 f1 - k1 f2 when the quadratic parts of f1, f2 are proportional (e.g. two circles)."""
    k1 = coeff_xy(first.poly, (2, 0))
    k2 = coeff_xy(second.poly, (2, 0))
    if not k1 or not k2:
        return None
    combined = normalize(first.poly * k2 - second.poly * k1)
    if not combined or degree_xy(combined) != 1:
        return None
    builder.condition(k1, f"leading coefficient of '{first.source}'")
    builder.condition(k2, f"leading coefficient of '{second.source}'")
    return Equation(combined, f"{first.source} minus {second.source}")


# -- parametrisations -------------------------------------------------------------------------
def _line_through(
    builder: ChainBuilder, name: str, eq: Equation, anchor: tuple[str, Vec], other: Equation | None
) -> None:
    """name = P + s d on the line eq = 0 through anchor P, d = (-B, A) for eq = A X + B Y + C."""
    label, (px, py) = anchor
    a, _ = builder.slots[name]
    coef_x, coef_y = eq.poly.diff(builder.gens[X]), eq.poly.diff(builder.gens[Y])
    dx, dy = -coef_y, coef_x
    builder.condition(dx * dx + dy * dy, f"the line '{eq.source}' is well defined")
    q = builder.numeric[name]
    values_dx, values_dy = builder.at_value(dx), builder.at_value(dy)
    p_num = np.array([builder.at_value(px), builder.at_value(py)])
    norm = values_dx**2 + values_dy**2
    s_value = float(np.dot(q - p_num, [values_dx, values_dy]) / norm)
    if other is None:
        s = builder.variable(a, Role.PARAMETER, s_value, f"position of {name} on '{eq.source}' from {label}")
        builder.coords[name] = (px + s * dx, py + s * dy)
        return
    builder.values[a] = s_value
    s = builder.gens[a]
    builder.coords[name] = (px + s * dx, py + s * dy)

    def root_of(exact: Vec) -> tuple[Poly, Poly]:
        return (exact[0] - px) * dx + (exact[1] - py) * dy, dx * dx + dy * dy

    roots = _roots(builder, name, (eq, other), root_of)
    poly = builder.at(other.poly, builder.coords[name])
    builder.solve_for(name, a, poly, roots, f"position of {name} on '{eq.source}' from {label}", [eq, other])


def _linear_without_anchor(builder: ChainBuilder, name: str, eq: Equation, other: Equation | None) -> None:
    a, b = builder.slots[name]
    q = builder.numeric[name]
    coef_x, coef_y = eq.poly.diff(builder.gens[X]), eq.poly.diff(builder.gens[Y])
    rest = builder.at(eq.poly, (builder.ring.zero, builder.ring.zero))
    if coef_y.is_ground and coef_y:
        xa = builder.gens[a]
        builder.coords[name] = (xa, -(coef_x * xa + rest) / coef_y.LC)
        main, label = a, f"x_{name}"
    elif coef_x.is_ground and coef_x:
        yb = builder.gens[b]
        builder.coords[name] = (-(coef_y * yb + rest) / coef_x.LC, yb)
        main, label = b, f"y_{name}"
    else:
        if other is None:
            xa = builder.variable(a, Role.PARAMETER, float(q[0]), f"x_{name}")
            builder.coords[name] = (xa, builder.gens[b])
            builder.values[b] = float(q[1])
            builder.solve_for(name, b, builder.at(eq.poly, builder.coords[name]), [], f"y_{name}", [eq])
            return
        builder.values[a], builder.values[b] = float(q[0]), float(q[1])
        builder.coords[name] = (builder.gens[a], builder.gens[b])
        line = builder.at(eq.poly, builder.coords[name])
        eliminated = normalize(builder.at(other.poly, builder.coords[name]).prem(line, builder.gens[b]))
        roots = _roots(builder, name, (eq, other), lambda exact: (exact[0], builder.ring.one))
        builder.solve_for(name, a, eliminated, roots, f"x_{name}", [eq, other])
        builder.solve_for(name, b, builder.at(eq.poly, builder.coords[name]), [], f"y_{name}", [eq, other])
        return
    builder.values[main] = float(q[0] if main == a else q[1])
    if other is None:
        builder.variables.append(Variable(main, Role.PARAMETER, label))
        return
    index = 0 if main == a else 1
    roots = _roots(builder, name, (eq, other), lambda exact: (exact[index], builder.ring.one))
    builder.solve_for(name, main, builder.at(other.poly, builder.coords[name]), roots, label, [eq, other])


def _curve_through(
    builder: ChainBuilder, name: str, eq: Equation, anchor: tuple[str, Vec], other: Equation | None
) -> None:
    """name = P + t (1, s) (or P + t (s, 1) for steep directions) on the curve eq = 0 through P."""
    label, (px, py) = anchor
    a, b = builder.slots[name]
    q = builder.numeric[name]
    p_num = np.array([builder.at_value(px), builder.at_value(py)])
    delta = q - p_num
    s, t = builder.gens[a], builder.gens[b]
    steep = abs(delta[1]) > abs(delta[0])
    if steep:
        builder.values[a], builder.values[b] = float(delta[0] / delta[1]), float(delta[1])
        builder.coords[name] = (px + t * s, py + t)
    else:
        builder.values[a], builder.values[b] = float(delta[1] / delta[0]), float(delta[0])
        builder.coords[name] = (px + t, py + t * s)
    slope = f"direction of {label}{name}"
    builder.condition(
        builder.coords[name][1 if steep else 0] - (py if steep else px),
        f"{name} != {label} (along the chosen axis)",
    )
    first = _divide_power(builder, builder.at(eq.poly, builder.coords[name]), b)
    second = (
        None if other is None else _divide_power(builder, builder.at(other.poly, builder.coords[name]), b)
    )
    eqs = [eq] if other is None else [eq, other]

    def slope_root(exact: Vec) -> tuple[Poly, Poly]:
        if steep:
            return exact[0] - px, exact[1] - py
        return exact[1] - py, exact[0] - px

    def t_root(exact: Vec) -> tuple[Poly, Poly]:
        return (exact[1] - py if steep else exact[0] - px), builder.ring.one

    if second is not None and first.degree(b) > 0 and second.degree(b) == 0:
        first, second = second, first
    if first.degree(b) == 0:
        roots = [] if second is None else _roots(builder, name, eqs, slope_root)
        substituted = builder.solve_for(name, a, first, roots, slope, eqs)
        if second is None:
            builder.variables.append(Variable(b, Role.PARAMETER, f"distance of {name} from {label}"))
            return
        if substituted is not None:
            second = second.compose(s, substituted)
        second = _with_variable(builder, [second], b)
        builder.solve_for(name, b, second, _roots(builder, name, eqs, t_root), f"distance of {name}", eqs)
        return
    if second is None:
        builder.variables.append(Variable(a, Role.PARAMETER, slope))
        builder.solve_for(name, b, first, [], f"distance of {name} from {label}", eqs)
        return
    low, keep = eliminate(first, second, b, builder.deadline, builder.config.elimination_max_terms)
    if not low:
        raise AlgebraUnsupported(f"the loci of {name} share a component")
    substituted = builder.solve_for(name, a, low, _roots(builder, name, eqs, slope_root), slope, eqs)
    options = [keep, first, second]
    if substituted is not None:
        options = [option.compose(s, substituted) for option in options]
    usable = _with_variable(builder, options, b)
    builder.solve_for(name, b, usable, _roots(builder, name, eqs, t_root), f"distance of {name}", eqs)


def _with_variable(builder: ChainBuilder, options: Sequence[Poly], index: int) -> Poly:
    """The first option that still involves generator `index` once reduced by the chain (the others
    may vanish identically on the component just chosen)."""
    for option in options:
        try:
            reduced = builder.numerator(option)
        except (OverflowError, ZeroDivisionError):
            continue
        if reduced.degree(index) >= 1:
            return reduced
    raise AlgebraUnsupported("no equation is left to fix the last coordinate")


def _divide_power(builder: ChainBuilder, poly: Poly, index: int) -> Poly:
    """poly / v^m for the largest m dividing it (v the generator `index`)."""
    lowest = min((m[index] for m in poly.keys()), default=0)
    if lowest == 0:
        return poly
    return poly.exquo(builder.gens[index] ** lowest)


def _generic_pair(builder: ChainBuilder, name: str, first: Equation, second: Equation) -> None:
    a, b = builder.slots[name]
    q = builder.numeric[name]
    builder.values[a], builder.values[b] = float(q[0]), float(q[1])
    builder.coords[name] = (builder.gens[a], builder.gens[b])
    f1, f2 = builder.at(first.poly, builder.coords[name]), builder.at(second.poly, builder.coords[name])
    low, keep = eliminate(f1, f2, b, builder.deadline, builder.config.elimination_max_terms)
    if not low:
        raise AlgebraUnsupported(f"the loci of {name} share a component")
    eqs = [first, second]
    substituted = builder.solve_for(
        name, a, low, _roots(builder, name, eqs, lambda e: (e[0], builder.ring.one)), f"x_{name}", eqs
    )
    if substituted is not None:
        keep, f1, f2 = (p.compose(builder.gens[a], substituted) for p in (keep, f1, f2))
    keep = _with_variable(builder, [keep, f1, f2], b)
    builder.solve_for(
        name, b, keep, _roots(builder, name, eqs, lambda e: (e[1], builder.ring.one)), f"y_{name}", eqs
    )
