"""Builds a problem's triangular set point by point, in construction order, guided by the numeric diagram.

Each new point gets two coordinates in terms of fresh variables. A line through a known point becomes
`P + s d` (one parameter, no new equation); a curve through a known point P becomes `P + t (1, s)` (the
slope s a parameter, t a root of a linear polynomial); intersections reduce to one polynomial in one
variable, from which roots at existing points are divided out and the factor the diagram lies on is
kept. Every such choice is recorded as a non-degeneracy condition.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import Chain, ChainLink, Condition, Role, Variable
from solvers.algebraic.loci import place_one, place_two
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
from solvers.algebraic.records import (
    FIRST_POINT_SLOT,
    RADICAL_SLOTS,
    Equation,
    InconsistentDiagram,
    Root,
    Vec,
    X,
    Y,
    degree_xy,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from solvers.algebraic.translate import Fact
    from tonggeo.config import AlgebraicConfig


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
        self.choices: list[str] = []
        """What the diagram chose (a factor, a root, a dropped hypothesis): a result then holds on the
        drawn component only, and is never reported as holding generically."""
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

    def set_placeholders(self, xy: NDArray[np.float64]) -> None:
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
        self.set_placeholders(q)
        for eq in equations:
            if not self.is_zero_at(eq.poly):
                raise InconsistentDiagram(f"the diagram violates '{eq.source}' at {name}")
        chosen = self._independent(equations)
        if not chosen:
            self.current = None
            self.place_free(name, "free")
        elif len(chosen) == 1:
            place_one(self, name, chosen[0])
        else:
            place_two(self, name, chosen[0], chosen[1])
        self.current = None
        return [eq for eq in equations if eq not in chosen]

    def _independent(self, equations: Sequence[Equation]) -> list[Equation]:
        """Up to two equations with independent gradients at the diagram point, simplest first."""
        ranked = sorted(
            (eq for eq in equations if eq.poly and degree_xy(eq.poly) > 0),
            key=lambda eq: (degree_xy(eq.poly), len(eq.poly)),
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

    def at_value(self, poly: Poly) -> float:
        """The value of `poly` at the diagram's values of the variables."""
        return evaluate(poly, self.values)[0]

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
            surd = self._quadratic_root(poly, index, name)
            if surd is not None:
                return self._substitute(name, index, surd)
        self.variables.append(Variable(index, Role.DEPENDENT, label))
        link = ChainLink(index, poly, name)
        self.chain.insert(len(self.chain) if position is None else position, link)
        self.condition(link.initial, f"initial of the equation of {name} ({label})")
        return None

    def _quadratic_root(self, poly: Poly, index: int, name: str) -> Poly | None:
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
        chosen = min(candidates, key=lambda expr: abs(self.at_value(expr) - value))
        self.choices.append(f"{name}: the root of its quadratic the diagram shows ({chosen.as_expr()})")
        return chosen

    def _is_current(self, index: int, root: Root) -> bool:
        """Whether the root's value of the variable is (numerically) the new point's own value."""
        den = self.at_value(root.den)
        if den == 0.0:
            return True
        value = self.at_value(root.num) / den
        return abs(value - self.values[index]) <= 1e-7 * (1.0 + abs(value))

    def _is_root_still(self, poly: Poly, index: int, root: Root) -> bool:
        saved = self.values[index]
        den = self.at_value(root.den)
        if den == 0.0:
            return False
        self.values[index] = self.at_value(root.num) / den
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
            self.choices.append(f"{name}: the factor of its equation the diagram lies on (of {len(factors)})")
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
