"""Builds a problem's triangular set point by point, in construction order, guided by the numeric diagram.

Each new point gets two coordinates in terms of fresh variables. A line through a known point becomes
`P + s d` (one parameter, no new equation); a curve through a known point P becomes `P + t (1, s)` (the
slope s a parameter, t a root of a linear polynomial); intersections reduce to one polynomial in one
variable, from which roots at existing points are divided out and the factor the diagram lies on is
kept. Every such choice is recorded as a non-degeneracy condition.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import Chain, ChainLink, Condition, Role, Variable
from solvers.algebraic.polys import (
    AlgebraUnsupported,
    Deadline,
    Poly,
    coefficients,
    content_in,
    evaluate,
    make_ring,
    normalize,
    pseudo_divide,
    relative_value,
)
from solvers.algebraic.rational import RationalChain

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from solvers.algebraic.translate import Fact
    from tonggeo.config import AlgebraicConfig

X, Y = 0, 1
RADICAL_SLOTS = (2, 3, 4, 5)
FIRST_POINT_SLOT = 6
Vec = tuple[Poly, Poly]
RootMap = Callable[[Vec], tuple[Poly, Poly] | None]


class InconsistentDiagram(Exception):
    """The numeric diagram does not satisfy a hypothesis as the prover reads it."""


@dataclass(frozen=True, slots=True)
class Equation:
    """A hypothesis polynomial in the placeholders (X, Y) of the point being placed."""

    poly: Poly
    source: str
    circle: tuple[str, str, str] | None = None
    """(centre, p, q) when the equation says the point is on the circle about centre of radius |pq|."""


@dataclass(frozen=True, slots=True)
class Root:
    """An existing point known to satisfy the new point's equations, as a value var = num / den."""

    point: str
    num: Poly
    den: Poly


def _degree_xy(poly: Poly) -> int:
    return max((m[X] + m[Y] for m in poly.keys()), default=0)


class ChainBuilder:
    """Mutable state while translating one problem: coordinates, chain, variables, conditions."""

    def __init__(
        self,
        order: Sequence[str],
        numeric: Mapping[str, NDArray[np.float64]],
        config: AlgebraicConfig,
        deadline: Deadline,
        extra_slots: int = 0,
    ) -> None:
        self.ring, self.gens = make_ring(FIRST_POINT_SLOT + 2 * len(order) + extra_slots)
        self.values = np.zeros(len(self.gens), dtype=np.float64)
        self.slots = {
            name: (FIRST_POINT_SLOT + 2 * i, FIRST_POINT_SLOT + 1 + 2 * i) for i, name in enumerate(order)
        }
        self.radicals: dict[int, int] = {}
        self.extra_slots = list(range(FIRST_POINT_SLOT + 2 * len(order), len(self.gens)))
        self.numeric = numeric
        self.config = config
        self.deadline = deadline
        self.coords: dict[str, Vec] = {}
        self.chain = Chain()
        self.variables: list[Variable] = []
        self.conditions: list[Condition] = []
        self.notes: list[str] = []
        self.current: str | None = None
        self._rational: RationalChain | None = None
        self.hypotheses: tuple[Fact, ...] = ()
        """The facts translated (set by `translate`), for the dimension check."""
        self.frame_fixed = 0
        self.tangencies = 0
        """Equations that fixed a parameter only to second order (tangent loci at the diagram)."""
        """Degrees of freedom the coordinate frame removes (origin 2, axis direction 1, unit length 1)."""

    # -- CoordinateSource -------------------------------------------------------------------------
    def point(self, name: str) -> Vec:
        if name == self.current:
            return self.gens[X], self.gens[Y]
        if name not in self.coords:
            raise AlgebraUnsupported(f"point {name} is used before it is constructed")
        return self.coords[name]

    def sqrt3(self) -> Poly:
        return self.radical(3)

    def radical(self, n: int) -> Poly:
        """The positive square root of the square-free integer n > 1, as a variable r with r^2 = n."""
        if n not in self.radicals:
            if len(self.radicals) == len(RADICAL_SLOTS):
                raise AlgebraUnsupported(f"more than {len(RADICAL_SLOTS)} square roots are needed")
            index = RADICAL_SLOTS[len(self.radicals)]
            self.radicals[n] = index
            self.values[index] = math.sqrt(n)
            self.variables.append(Variable(index, Role.DEPENDENT, f"sqrt({n})"))
            self.chain.insert(0, ChainLink(index, self.gens[index] ** 2 - n, ""))
        return self.gens[self.radicals[n]]

    # -- small helpers ----------------------------------------------------------------------------
    def is_zero_at(self, poly: Poly) -> bool:
        return relative_value(poly, self.values) <= self.config.zero_tolerance

    def reduces_to_zero(self, poly: Poly) -> bool:
        """Whether `poly` vanishes on the chain built so far (its reduced numerator is zero)."""
        if not poly:
            return True
        try:
            return not self.numerator(poly)
        except (OverflowError, ZeroDivisionError):
            return False

    def numerator(self, poly: Poly) -> Poly:
        """`poly` with the chain's linear variables solved as fractions: the numerator, reduced by the
        non-linear links; it vanishes exactly where `poly` does on the chain (see `RationalChain`)."""
        rational = self._rational
        if rational is None or rational.version != self.chain.version:
            rational = self._rational = RationalChain(self, self.deadline)
        for link in self.chain.links[rational.links :]:
            rational.add(link)
        return rational.numerator(poly, self.config.elimination_max_terms)

    def variable(self, index: int, role: Role, value: float, label: str) -> Poly:
        self.values[index] = value
        self.variables.append(Variable(index, role, label))
        return self.gens[index]

    def condition(self, poly: Poly, text: str) -> None:
        if not poly.is_ground:
            self.conditions.append(Condition(text, normalize(poly)))
        elif not poly:
            raise AlgebraUnsupported(f"degenerate: {text} fails identically")

    def at(self, poly: Poly, where: Vec) -> Poly:
        return poly.compose([(self.gens[X], where[0]), (self.gens[Y], where[1])])

    def _set_placeholders(self, xy: NDArray[np.float64]) -> None:
        self.values[X], self.values[Y] = float(xy[0]), float(xy[1])

    # -- free points ------------------------------------------------------------------------------
    def place_free(self, name: str, kind: str) -> None:
        """`kind`: 'origin' (0, 0), 'unit' (1, 0), 'axis' (u, 0) or 'free' (u, v)."""
        a, b = self.slots[name]
        q = self.numeric[name]
        zero = self.ring.zero
        if kind == "origin":
            self.coords[name] = (zero, zero)
        elif kind == "unit":
            self.coords[name] = (self.ring.one, zero)
        elif kind == "axis":
            self.coords[name] = (self.variable(a, Role.PARAMETER, float(q[0]), f"x_{name}"), zero)
        else:
            self.coords[name] = (
                self.variable(a, Role.PARAMETER, float(q[0]), f"x_{name}"),
                self.variable(b, Role.PARAMETER, float(q[1]), f"y_{name}"),
            )

    # -- constrained points -----------------------------------------------------------------------
    def place(self, name: str, equations: Sequence[Equation]) -> list[Equation]:
        """Place `name` subject to `equations`; returns the equations left unused (dependent at the
        diagram on the chosen ones, as far as this point's coordinates go)."""
        self.deadline.check(f"placing {name}")
        self.current = name
        q = self.numeric[name]
        self._set_placeholders(q)
        for eq in equations:
            if not self.is_zero_at(eq.poly):
                raise InconsistentDiagram(f"the diagram violates '{eq.source}' at {name}")
        chosen = self._independent(equations)
        if not chosen:
            self.current = None
            self.place_free(name, "free")
        elif len(chosen) == 1:
            self._place_one(name, chosen[0])
        else:
            self._place_two(name, chosen[0], chosen[1])
        self.current = None
        return [eq for eq in equations if eq not in chosen]

    def _independent(self, equations: Sequence[Equation]) -> list[Equation]:
        """Up to two equations with independent gradients at the diagram point, simplest first."""
        ranked = sorted(
            (eq for eq in equations if eq.poly and _degree_xy(eq.poly) > 0),
            key=lambda eq: (_degree_xy(eq.poly), len(eq.poly)),
        )
        rows: list[NDArray[np.float64]] = []
        chosen: list[Equation] = []
        for eq in ranked:
            grad = np.array([self._gradient(eq.poly, X), self._gradient(eq.poly, Y)])
            size = float(np.linalg.norm(grad))
            if size == 0.0 or not math.isfinite(size):
                continue
            unit = grad / size
            if rows and abs(float(rows[0][0] * unit[1] - rows[0][1] * unit[0])) < 1e-6:
                continue
            rows.append(unit)
            chosen.append(eq)
            if len(chosen) == 2:
                break
        return chosen

    def _gradient(self, poly: Poly, index: int) -> float:
        derivative = poly.diff(self.gens[index])
        value, _ = evaluate(derivative, self.values)
        _, whole = evaluate(poly, self.values)
        span = 1.0 + float(np.max(np.abs(self.values[FIRST_POINT_SLOT:]), initial=0.0))
        if whole == 0.0 or abs(value) * span <= 1e-9 * whole:
            return 0.0
        return value * span / whole

    # -- anchors: known points on a locus ---------------------------------------------------------
    def _anchors(self, eq: Equation, others: Sequence[Equation], midpoints: bool) -> list[tuple[str, Vec]]:
        """Existing points (or midpoints of two) on `eq`, those also on `others` first."""
        q = self.numeric[self.current or ""]
        found: list[tuple[int, int, str, Vec]] = []
        candidates: list[tuple[str, Vec, NDArray[np.float64]]] = [
            (p, self.coords[p], self.numeric[p]) for p in self.coords
        ]
        if midpoints:
            names = list(self.coords)
            for i, p in enumerate(names):
                for r in names[i + 1 :]:
                    (xp, yp), (xr, yr) = self.coords[p], self.coords[r]
                    mid = ((xp + xr) * self.ring.domain(1, 2), (yp + yr) * self.ring.domain(1, 2))
                    candidates.append((f"midpoint of {p}{r}", mid, (self.numeric[p] + self.numeric[r]) / 2))
        for order, (label, exact, xy) in enumerate(candidates):
            if float(np.linalg.norm(xy - q)) < 1e-7:
                continue
            self._set_placeholders(xy)
            on_eq = self.is_zero_at(eq.poly)
            also = sum(self.is_zero_at(o.poly) for o in others)
            self._set_placeholders(q)
            if on_eq:
                found.append((-also, order, label, exact))
        found.sort(key=lambda item: (item[0], item[1]))
        verified = []
        for _, _, label, exact in found:
            if self.reduces_to_zero(self.at(eq.poly, exact)):
                verified.append((label, exact))
                if len(verified) >= 2:
                    break
        return verified

    def _roots(self, name: str, equations: Sequence[Equation], value_of: RootMap) -> list[Root]:
        """Existing points other than the new one that satisfy all its equations numerically."""
        q = self.numeric[name]
        roots = []
        for p, exact in self.coords.items():
            xy = self.numeric[p]
            if float(np.linalg.norm(xy - q)) < 1e-7:
                continue
            self._set_placeholders(xy)
            on_all = all(self.is_zero_at(eq.poly) for eq in equations)
            self._set_placeholders(q)
            if on_all:
                value = value_of(exact)
                if value is not None:
                    roots.append(Root(p, value[0], value[1]))
        return roots

    # -- one equation -----------------------------------------------------------------------------
    def _place_one(self, name: str, eq: Equation) -> None:
        if _degree_xy(eq.poly) == 1:
            anchors = self._anchors(eq, (), midpoints=True)
            if anchors:
                self._line_through(name, eq, anchors[0], None)
                return
            self._linear_without_anchor(name, eq, None)
            return
        anchors = self._anchors(eq, (), midpoints=False)
        if anchors:
            self._curve_through(name, eq, anchors[0], None)
            return
        if eq.circle is not None and self._on_circle_by_angle(name, eq.circle):
            return
        a, b = self.slots[name]
        q = self.numeric[name]
        xa = self.variable(a, Role.PARAMETER, float(q[0]), f"x_{name}")
        self.coords[name] = (xa, self.gens[b])
        self.values[b] = float(q[1])
        poly = self.at(eq.poly, self.coords[name])
        self.solve_for(name, b, poly, [], f"y_{name}", [eq])

    def _on_circle_by_angle(self, name: str, circle: tuple[str, str, str]) -> bool:
        """name = O + (Q - P) z^2 / |z|^2 with z = 1 + i tau: the circle about O of radius |PQ| with a
        rational parameter tau; lam = 1 / (1 + tau^2) is a dependent variable (a linear link)."""
        centre, p, q = circle
        if not all(point in self.coords for point in circle):
            return False
        o, pp, qq = self.coords[centre], self.coords[p], self.coords[q]
        z_num = complex(*self.numeric[name]) - complex(*self.numeric[centre])
        z_rad = complex(*self.numeric[q]) - complex(*self.numeric[p])
        if abs(z_rad) == 0.0:
            return False
        turn = z_num / z_rad
        if turn.real < 0:
            pp, qq, turn = qq, pp, -turn
        angle = math.atan2(turn.imag, turn.real)
        tau_value = math.tan(angle / 2)
        a, b = self.slots[name]
        tau = self.variable(a, Role.PARAMETER, tau_value, f"tan of half the turn of {name} about {centre}")
        self.values[b] = 1.0 / (1.0 + tau_value * tau_value)
        lam = self.gens[b]
        link = ChainLink(b, (1 + tau * tau) * lam - 1, name)
        self.variables.append(Variable(b, Role.DEPENDENT, f"1 / (1 + tau^2) for {name}"))
        self.chain.append(link)
        rx, ry = qq[0] - pp[0], qq[1] - pp[1]
        wx, wy = 1 - tau * tau, 2 * tau
        self.coords[name] = (o[0] + lam * (rx * wx - ry * wy), o[1] + lam * (rx * wy + ry * wx))
        return True

    # -- two equations ----------------------------------------------------------------------------
    def _place_two(self, name: str, first: Equation, second: Equation) -> None:
        if _degree_xy(first.poly) >= 2 and _degree_xy(second.poly) >= 2:
            combined = self._radical_axis(first, second)
            if combined is not None:
                first, second = combined, first
        if _degree_xy(second.poly) == 1 and _degree_xy(first.poly) > 1:
            first, second = second, first
        if _degree_xy(first.poly) == 1:
            anchors = self._anchors(first, (second,), midpoints=True)
            if anchors:
                self._line_through(name, first, anchors[0], second)
            else:
                self._linear_without_anchor(name, first, second)
            return
        anchors = self._anchors(first, (second,), midpoints=False)
        if not anchors:
            anchors = [(label, exact) for label, exact in self._anchors(second, (first,), midpoints=False)]
            first, second = second, first
        if anchors:
            self._curve_through(name, first, anchors[0], second)
            return
        self._generic_pair(name, first, second)

    def _radical_axis(self, first: Equation, second: Equation) -> Equation | None:
        """k2 f1 - k1 f2 when the quadratic parts of f1, f2 are proportional (e.g. two circles)."""
        k1 = _coeff_xy(first.poly, (2, 0))
        k2 = _coeff_xy(second.poly, (2, 0))
        if not k1 or not k2:
            return None
        combined = normalize(first.poly * k2 - second.poly * k1)
        if not combined or _degree_xy(combined) != 1:
            return None
        self.condition(k1, f"leading coefficient of '{first.source}'")
        self.condition(k2, f"leading coefficient of '{second.source}'")
        return Equation(combined, f"{first.source} minus {second.source}")

    # -- parametrisations -------------------------------------------------------------------------
    def _line_through(self, name: str, eq: Equation, anchor: tuple[str, Vec], other: Equation | None) -> None:
        """name = P + s d on the line eq = 0 through anchor P, d = (-B, A) for eq = A X + B Y + C."""
        label, (px, py) = anchor
        a, _ = self.slots[name]
        coef_x, coef_y = eq.poly.diff(self.gens[X]), eq.poly.diff(self.gens[Y])
        dx, dy = -coef_y, coef_x
        self.condition(dx * dx + dy * dy, f"the line '{eq.source}' is well defined")
        q = self.numeric[name]
        values_dx, values_dy = self._value(dx), self._value(dy)
        p_num = np.array([self._value(px), self._value(py)])
        norm = values_dx**2 + values_dy**2
        s_value = float(np.dot(q - p_num, [values_dx, values_dy]) / norm)
        if other is None:
            s = self.variable(a, Role.PARAMETER, s_value, f"position of {name} on '{eq.source}' from {label}")
            self.coords[name] = (px + s * dx, py + s * dy)
            return
        self.values[a] = s_value
        s = self.gens[a]
        self.coords[name] = (px + s * dx, py + s * dy)

        def root_of(exact: Vec) -> tuple[Poly, Poly]:
            return (exact[0] - px) * dx + (exact[1] - py) * dy, dx * dx + dy * dy

        roots = self._roots(name, (eq, other), root_of)
        poly = self.at(other.poly, self.coords[name])
        self.solve_for(name, a, poly, roots, f"position of {name} on '{eq.source}' from {label}", [eq, other])

    def at_value(self, poly: Poly) -> float:
        """The value of `poly` at the diagram's values of the variables."""
        return self._value(poly)

    def _value(self, poly: Poly) -> float:
        return evaluate(poly, self.values)[0]

    def _linear_without_anchor(self, name: str, eq: Equation, other: Equation | None) -> None:
        a, b = self.slots[name]
        q = self.numeric[name]
        coef_x, coef_y = eq.poly.diff(self.gens[X]), eq.poly.diff(self.gens[Y])
        rest = self.at(eq.poly, (self.ring.zero, self.ring.zero))
        if coef_y.is_ground and coef_y:
            xa = self.gens[a]
            self.coords[name] = (xa, -(coef_x * xa + rest) / coef_y.LC)
            main, label = a, f"x_{name}"
        elif coef_x.is_ground and coef_x:
            yb = self.gens[b]
            self.coords[name] = (-(coef_y * yb + rest) / coef_x.LC, yb)
            main, label = b, f"y_{name}"
        else:
            if other is None:
                xa = self.variable(a, Role.PARAMETER, float(q[0]), f"x_{name}")
                self.coords[name] = (xa, self.gens[b])
                self.values[b] = float(q[1])
                self.solve_for(name, b, self.at(eq.poly, self.coords[name]), [], f"y_{name}", [eq])
                return
            self.values[a], self.values[b] = float(q[0]), float(q[1])
            self.coords[name] = (self.gens[a], self.gens[b])
            line = self.at(eq.poly, self.coords[name])
            eliminated = normalize(self.at(other.poly, self.coords[name]).prem(line, self.gens[b]))
            roots = self._roots(name, (eq, other), lambda exact: (exact[0], self.ring.one))
            self.solve_for(name, a, eliminated, roots, f"x_{name}", [eq, other])
            self.solve_for(name, b, self.at(eq.poly, self.coords[name]), [], f"y_{name}", [eq, other])
            return
        self.values[main] = float(q[0] if main == a else q[1])
        if other is None:
            self.variables.append(Variable(main, Role.PARAMETER, label))
            return
        index = 0 if main == a else 1
        roots = self._roots(name, (eq, other), lambda exact: (exact[index], self.ring.one))
        self.solve_for(name, main, self.at(other.poly, self.coords[name]), roots, label, [eq, other])

    def _curve_through(
        self, name: str, eq: Equation, anchor: tuple[str, Vec], other: Equation | None
    ) -> None:
        """name = P + t (1, s) (or P + t (s, 1) for steep directions) on the curve eq = 0 through P."""
        label, (px, py) = anchor
        a, b = self.slots[name]
        q = self.numeric[name]
        p_num = np.array([self._value(px), self._value(py)])
        delta = q - p_num
        s, t = self.gens[a], self.gens[b]
        steep = abs(delta[1]) > abs(delta[0])
        if steep:
            self.values[a], self.values[b] = float(delta[0] / delta[1]), float(delta[1])
            self.coords[name] = (px + t * s, py + t)
        else:
            self.values[a], self.values[b] = float(delta[1] / delta[0]), float(delta[0])
            self.coords[name] = (px + t, py + t * s)
        slope = f"direction of {label}{name}"
        self.condition(
            self.coords[name][1 if steep else 0] - (py if steep else px),
            f"{name} != {label} (along the chosen axis)",
        )
        first = self._divide_power(self.at(eq.poly, self.coords[name]), b)
        second = None if other is None else self._divide_power(self.at(other.poly, self.coords[name]), b)
        eqs = [eq] if other is None else [eq, other]

        def slope_root(exact: Vec) -> tuple[Poly, Poly]:
            if steep:
                return exact[0] - px, exact[1] - py
            return exact[1] - py, exact[0] - px

        def t_root(exact: Vec) -> tuple[Poly, Poly]:
            return (exact[1] - py if steep else exact[0] - px), self.ring.one

        if second is not None and first.degree(b) > 0 and second.degree(b) == 0:
            first, second = second, first
        if first.degree(b) == 0:
            roots = [] if second is None else self._roots(name, eqs, slope_root)
            substituted = self.solve_for(name, a, first, roots, slope, eqs)
            if second is None:
                self.variables.append(Variable(b, Role.PARAMETER, f"distance of {name} from {label}"))
                return
            if substituted is not None:
                second = second.compose(s, substituted)
            second = self._with_variable([second], b)
            self.solve_for(name, b, second, self._roots(name, eqs, t_root), f"distance of {name}", eqs)
            return
        if second is None:
            self.variables.append(Variable(a, Role.PARAMETER, slope))
            self.solve_for(name, b, first, [], f"distance of {name} from {label}", eqs)
            return
        low, keep = eliminate(first, second, b, self.deadline, self.config.elimination_max_terms)
        if not low:
            raise AlgebraUnsupported(f"the loci of {name} share a component")
        substituted = self.solve_for(name, a, low, self._roots(name, eqs, slope_root), slope, eqs)
        options = [keep, first, second]
        if substituted is not None:
            options = [option.compose(s, substituted) for option in options]
        usable = self._with_variable(options, b)
        self.solve_for(name, b, usable, self._roots(name, eqs, t_root), f"distance of {name}", eqs)

    def _with_variable(self, options: Sequence[Poly], index: int) -> Poly:
        """The first option that still involves generator `index` once reduced by the chain (the others
        may vanish identically on the component just chosen)."""
        for option in options:
            try:
                reduced = self.numerator(option)
            except (OverflowError, ZeroDivisionError):
                continue
            if reduced.degree(index) >= 1:
                return reduced
        raise AlgebraUnsupported("no equation is left to fix the last coordinate")

    def _divide_power(self, poly: Poly, index: int) -> Poly:
        """poly / v^m for the largest m dividing it (v the generator `index`)."""
        lowest = min((m[index] for m in poly.keys()), default=0)
        if lowest == 0:
            return poly
        return poly.exquo(self.gens[index] ** lowest)

    def _generic_pair(self, name: str, first: Equation, second: Equation) -> None:
        a, b = self.slots[name]
        q = self.numeric[name]
        self.values[a], self.values[b] = float(q[0]), float(q[1])
        self.coords[name] = (self.gens[a], self.gens[b])
        f1, f2 = self.at(first.poly, self.coords[name]), self.at(second.poly, self.coords[name])
        low, keep = eliminate(f1, f2, b, self.deadline, self.config.elimination_max_terms)
        if not low:
            raise AlgebraUnsupported(f"the loci of {name} share a component")
        eqs = [first, second]
        substituted = self.solve_for(
            name, a, low, self._roots(name, eqs, lambda e: (e[0], self.ring.one)), f"x_{name}", eqs
        )
        if substituted is not None:
            keep, f1, f2 = (p.compose(self.gens[a], substituted) for p in (keep, f1, f2))
        keep = self._with_variable([keep, f1, f2], b)
        self.solve_for(
            name, b, keep, self._roots(name, eqs, lambda e: (e[1], self.ring.one)), f"y_{name}", eqs
        )

    # -- one variable, one polynomial -------------------------------------------------------------
    def solve_for(
        self,
        name: str,
        index: int,
        poly: Poly,
        roots: Sequence[Root],
        label: str,
        eqs: Sequence[Equation],
        position: int | None = None,
    ) -> Poly | None:
        """Make generator `index` (a coordinate variable of `name`) a root of `poly`.

        Divides out the content and the roots at existing points, keeps the factor the diagram lies on.
        Returns the expression substituted for the variable when it is rational with a constant
        denominator, else None (the variable joins the chain).
        """
        self.deadline.check(f"placing {name}")
        gen = self.gens[index]
        try:
            poly = normalize(self.numerator(poly))
        except (OverflowError, ZeroDivisionError) as exc:
            raise AlgebraUnsupported(f"the equation of {name} cannot be reduced: {exc}") from exc
        if poly.degree(index) < 1:
            raise AlgebraUnsupported(f"the equations of {name} do not determine it ({label})")
        content = content_in(poly, index)
        if not content.is_ground:
            poly = normalize(poly.exquo(content))
            self.condition(content, f"content of the equation of {name}")
        for root in roots:
            line = root.den * gen - root.num
            if not self._is_root_still(poly, index, root) or self._is_current(index, root):
                continue
            while poly.degree(index) >= 2:
                quotient, remainder = pseudo_divide(poly, line, index)
                if not self.reduces_to_zero(remainder) or quotient.degree(index) < 1:
                    break
                poly = normalize(quotient)
                self.condition(root.den, f"{name} and {root.point} are well separated")
                self.conditions.append(Condition(f"{name} != {root.point}"))
                if not self._is_root_still(poly, index, root):
                    break
        poly = self._choose_factor(name, index, poly)
        if not self.is_zero_at(poly):
            raise InconsistentDiagram(f"the diagram is not on the locus of {name} ({label})")
        if poly.degree(index) == 1:
            lead = poly.coeff_wrt(gen, 1)
            if lead.is_ground:
                return self._substitute(name, index, -poly.coeff_wrt(gen, 0) / lead.LC)
        if poly.degree(index) == 2 and all(c.is_ground for c in coefficients(poly, index)):
            surd = self._quadratic_root(poly, index)
            if surd is not None:
                return self._substitute(name, index, surd)
        self.variables.append(Variable(index, Role.DEPENDENT, label))
        link = ChainLink(index, poly, name)
        self.chain.insert(len(self.chain) if position is None else position, link)
        self.condition(link.initial, f"initial of the equation of {name} ({label})")
        return None

    def _quadratic_root(self, poly: Poly, index: int) -> Poly | None:
        """The root a + b sqrt(m) of a quadratic with rational coefficients that the diagram shows."""
        c0, c1, c2 = (
            Fraction(int(c.LC.numerator), int(c.LC.denominator)) if c else Fraction(0)
            for c in coefficients(poly, index)
        )
        discriminant = c1 * c1 - 4 * c2 * c0
        if discriminant <= 0 or discriminant.numerator * discriminant.denominator > 10**12:
            return None
        square, free = _split_square(discriminant)
        if free == 1:
            return None
        radical = self.radical(free)
        domain = self.ring.domain
        half = -c1 / (2 * c2)
        step = square / (2 * c2)
        candidates = [
            radical * domain(s.numerator, s.denominator) + domain(half.numerator, half.denominator)
            for s in (step, -step)
        ]
        value = self.values[index]
        return min(candidates, key=lambda expr: abs(self._value(expr) - value))

    def _is_current(self, index: int, root: Root) -> bool:
        """Whether the root's value of the variable is (numerically) the new point's own value."""
        den = self._value(root.den)
        if den == 0.0:
            return True
        value = self._value(root.num) / den
        return abs(value - self.values[index]) <= 1e-7 * (1.0 + abs(value))

    def _is_root_still(self, poly: Poly, index: int, root: Root) -> bool:
        saved = self.values[index]
        den = self._value(root.den)
        if den == 0.0:
            return False
        self.values[index] = self._value(root.num) / den
        still = self.is_zero_at(poly)
        self.values[index] = saved
        return still

    def _choose_factor(self, name: str, index: int, poly: Poly) -> Poly:
        if poly.degree(index) < 2 or len(poly) > self.config.factor_max_terms:
            return poly
        self.deadline.check(f"factoring for {name}")
        factors = [normalize(f) for f, _ in poly.factor_list()[1] if f.degree(index) >= 1]
        if len(factors) <= 1:
            return factors[0] if factors else poly
        ranked = sorted(factors, key=lambda f: relative_value(f, self.values))
        best = ranked[0]
        if relative_value(ranked[1], self.values) <= self.config.zero_tolerance:
            self.notes.append(f"{name}: two components meet at the diagram; kept the closest")
        if best.degree(index) < poly.degree(index):
            self.conditions.append(
                Condition(f"{name} lies on the component of the diagram ({best.as_expr()})")
            )
        return best

    def _substitute(self, name: str, index: int, expr: Poly) -> Poly:
        """Replace generator `index` by `expr` in every coordinate and chain link that uses it."""
        gen = self.gens[index]
        for point, (x, y) in list(self.coords.items()):
            if x.degree(index) > 0 or y.degree(index) > 0:
                self.coords[point] = (x.compose(gen, expr), y.compose(gen, expr))
        for position, link in enumerate(list(self.chain.links)):
            if link.poly.degree(index) > 0:
                poly = normalize(link.poly.compose(gen, expr))
                if poly.degree(link.var) >= 2:
                    poly = normalize(poly.sqf_part())
                if poly.degree(link.var) < 1:
                    raise AlgebraUnsupported(
                        f"substituting for {name} collapses the equation of {link.point}"
                    )
                self.chain.replace(position, ChainLink(link.var, poly, link.point))
        return expr


def _split_square(value: Fraction) -> tuple[Fraction, int]:
    """(q, m) with value = q^2 m, m a square-free positive integer (value > 0)."""
    numerator, denominator = value.numerator * value.denominator, value.denominator
    free, square = 1, 1
    factor = 2
    remaining = numerator
    while factor * factor <= remaining:
        while remaining % (factor * factor) == 0:
            remaining //= factor * factor
            square *= factor
        if remaining % factor == 0:
            remaining //= factor
            free *= factor
        factor += 1
    free *= remaining
    return Fraction(square, denominator), free


def _coeff_xy(poly: Poly, exponents: tuple[int, int]) -> Poly:
    """The coefficient of X^i Y^j in `poly` (a polynomial in the other generators)."""
    ring = poly.ring
    terms = {}
    for monom, coeff in poly.items():
        if (monom[X], monom[Y]) == exponents:
            rest = list(monom)
            rest[X] = rest[Y] = 0
            terms[tuple(rest)] = coeff
    return ring.from_dict(terms) if terms else ring.zero


def eliminate(first: Poly, second: Poly, index: int, deadline: Deadline, max_terms: int) -> tuple[Poly, Poly]:
    """(a polynomial free of generator `index`, the last one still containing it): a pseudo-remainder
    sequence, i.e. a multiple of the resultant and the sub-resultant the variable is solved from."""
    high, low = (first, second) if first.degree(index) >= second.degree(index) else (second, first)
    gen = first.ring.gens[index]
    while low.degree(index) >= 1:
        deadline.check("elimination")
        high, low = low, normalize(high.prem(low, gen))
        if len(low) > max_terms:
            raise AlgebraUnsupported(f"elimination grew past {max_terms} terms")
    return low, high
