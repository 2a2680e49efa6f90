"""Half-angle coordinates for a free triangle vertex, so that angle bisectors are rational.

A bisector is a root of a quadratic whose two roots (internal, external) are conjugate over the field
of the usual coordinates: no polynomial method can tell them apart. Writing the third vertex c of a
triangle (a, b, c) through the tangents of the half-angles at a and b,

    c = a + lam (b - a) (1 + i ta)^2 = b + mu (a - b) (1 + i tb)^2,     lam, mu > 0,

makes the bisectors at a, b and c rational in (ta, tb): the quadratic splits and the diagram picks the
internal or external factor. lam is a dependent variable: (tb - ta)(1 + ta tb) lam = tb.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from solvers.algebraic.chain import ChainLink, Role, Variable
from solvers.algebraic.placement import Declare, Link, Placement, Value, require
from solvers.algebraic.polys import AlgebraUnsupported, evaluate, relative_value

if TYPE_CHECKING:
    from solvers.algebraic.state import ChainState


def bisector_sides(name: str, args: tuple[str, ...]) -> tuple[str, str, str] | None:
    """(vertex, side, side) when `name args` says a line through the vertex bisects an angle:
    eqangle v p v x v x v q (angle(VP, VX) = angle(VX, VQ))."""
    if name != "eqangle" or len(args) != 8:
        return None
    v, p, v2, x, v3, x2, v4, q = args
    if not (v == v2 == v3 == v4 and x == x2) or len({v, p, q, x}) != 4:
        return None
    return v, p, q


def place_half_angle(state: ChainState, name: str, first: str, second: str, slot: int) -> Placement:
    """Place free point `name` as the third vertex of the triangle (first, second, name)."""
    a, b = state.coords[first], state.coords[second]
    za = complex(*state.numeric[first])
    zb = complex(*state.numeric[second])
    zc = complex(*state.numeric[name])
    span = zb - za
    angle_a = math.atan2(((zc - za) / span).imag, ((zc - za) / span).real)
    angle_b = math.atan2(((zc - zb) / -span).imag, ((zc - zb) / -span).real)
    if max(abs(angle_a), abs(angle_b)) > math.pi - 1e-6:
        raise AlgebraUnsupported(f"{name} lies on line {first}{second} in the diagram")
    ta_value, tb_value = math.tan(angle_a / 2), math.tan(angle_b / 2)
    index_a, index_b = state.slots[name]
    ta, tb, lam = state.gens[index_a], state.gens[index_b], state.gens[slot]
    lam_value = tb_value / ((tb_value - ta_value) * (1 + ta_value * tb_value))
    link = ChainLink(slot, (tb - ta) * (1 + ta * tb) * lam - tb, name)
    steps = (
        Declare(
            Variable(index_a, Role.PARAMETER, f"tan of half the angle at {first} in {first}{second}{name}"),
            ta_value,
        ),
        Declare(
            Variable(index_b, Role.PARAMETER, f"tan of half the angle at {second} in {first}{second}{name}"),
            tb_value,
        ),
        Value(slot, lam_value),
        Declare(Variable(slot, Role.DEPENDENT, f"scale of {first}{name} ({name} from half-angles)")),
        Link(link),
        require(link.initial, f"{name} is not at infinity"),
    )
    wa = (1 - ta * ta, 2 * ta)
    dx, dy = b[0] - a[0], b[1] - a[1]
    ex, ey = dx * wa[0] - dy * wa[1], dx * wa[1] + dy * wa[0]
    x, y = a[0] + lam * ex, a[1] + lam * ey
    values = state.values.copy()
    values[index_a], values[index_b], values[slot] = ta_value, tb_value, lam_value
    if relative_value(link.poly, values) > state.config.zero_tolerance:
        raise AlgebraUnsupported(f"half-angle coordinates of {name} disagree with the diagram")
    check = [evaluate(x, values)[0] - zc.real, evaluate(y, values)[0] - zc.imag]
    if max(abs(v) for v in check) > 1e-6 * (1 + abs(zc)):
        raise AlgebraUnsupported(f"half-angle coordinates of {name} disagree with the diagram")
    return Placement(name, (x, y), steps)
