"""Builds a problem's triangular set point by point, in construction order, guided by the numeric diagram.

Each new point gets two coordinates in terms of fresh variables. A line through a known point becomes
`P + s d` (one parameter, no new equation); a curve through a known point P becomes `P + t (1, s)` (the
slope s a parameter, t a root of a linear polynomial); intersections reduce to one polynomial in one
variable, from which roots at existing points are divided out and the factor the diagram lies on is
kept. Every such choice is recorded as a non-degeneracy condition.

The builder is the one writer of its `ChainState`: the parametrisations (`loci`, `halfangle`, `coupled`)
return `Placement`s, which `apply` carries out; `solve_for` takes one `SolveRequest`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import ChainLink, Condition, Role, Variable
from solvers.algebraic.loci import free_placement, place_one, place_two
from solvers.algebraic.placement import Declare, Link, Remark, Require, Retire, Solve, SolveRequest, Value
from solvers.algebraic.polys import (
    AlgebraUnsupported,
    Poly,
    coefficients,
    content_in,
    evaluate,
    normalize,
    pseudo_divide,
    relative_value,
)
from solvers.algebraic.rational import RationalChain
from solvers.algebraic.records import (
    FIRST_POINT_SLOT,
    Equation,
    InconsistentDiagram,
    Root,
    X,
    Y,
    degree_xy,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import NDArray

    from solvers.algebraic.placement import Placement
    from solvers.algebraic.state import ChainState


class ChainBuilder:
    """Places the points of one problem in its `ChainState` (see the module docstring)."""

    def __init__(self, state: ChainState) -> None:
        self._state = state
        self._rational: RationalChain | None = None

    @property
    def state(self) -> ChainState:
        return self._state

    # -- reduction by the chain -------------------------------------------------------------------
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
        state = self._state
        rational = self._rational
        if rational is None or rational.version != state.chain.version:
            rational = self._rational = RationalChain(state, state.deadline)
        for link in state.chain.links[rational.links :]:
            rational.add(link)
        return rational.numerator(poly, state.config.elimination_max_terms)

    # -- placing points ---------------------------------------------------------------------------
    def place_free(self, name: str, kind: str) -> None:
        """`kind`: 'origin' (0, 0), 'unit' (1, 0), 'axis' (u, 0) or 'free' (u, v)."""
        self.apply(free_placement(self._state, name, kind))

    def place(self, name: str, equations: Sequence[Equation]) -> list[Equation]:
        """Place `name` subject to `equations`; returns the equations left unused (dependent at the
        diagram on the chosen ones, as far as this point's coordinates go)."""
        state = self._state
        state.deadline.check(f"placing {name}")
        state.current = name
        q = state.numeric[name]
        state.set_placeholders(q)
        for eq in equations:
            if not state.is_zero_at(eq.poly):
                raise InconsistentDiagram(f"the diagram violates '{eq.source}' at {name}")
        chosen = self._independent(equations)
        if not chosen:
            state.current = None
            self.place_free(name, "free")
        elif len(chosen) == 1:
            self.apply(place_one(self, name, chosen[0]))
        else:
            self.apply(place_two(self, name, chosen[0], chosen[1]))
        state.current = None
        return [eq for eq in equations if eq not in chosen]

    def apply(self, placement: Placement) -> None:
        """Carry out `placement`'s steps in order (see `solvers.algebraic.placement`)."""
        state = self._state
        if placement.coords is not None:
            state.coords[placement.point] = placement.coords
        substitutions: list[tuple[Poly, Poly]] = []
        for step in placement.steps:
            if isinstance(step, Value):
                state.values[step.index] = step.value
            elif isinstance(step, Declare):
                if step.value is not None:
                    state.values[step.variable.index] = step.value
                state.variables.append(step.variable)
            elif isinstance(step, Link):
                state.chain.append(step.link)
            elif isinstance(step, Require):
                state.condition(step.poly, step.text)
            elif isinstance(step, Retire):
                state.variables.remove(step.variable)
            elif isinstance(step, Remark):
                state.notes.append(step.note)
                if step.choice:
                    state.choices.append(step.choice)
            else:
                expr = self._solve_step(placement.point, step, substitutions)
                if expr is not None:
                    substitutions.append((state.gens[step.index], expr))
        state.tangencies += placement.tangencies

    def _solve_step(self, name: str, step: Solve, substitutions: Sequence[tuple[Poly, Poly]]) -> Poly | None:
        options = list(step.options)
        for gen, expr in substitutions:
            options = [option.compose(gen, expr) for option in options]
        poly = self._with_variable(options, step.index) if step.reduced else options[0]
        request = SolveRequest(
            name, step.index, poly, step.label, step.roots, step.position, step.declared_as
        )
        return self.solve_for(request)

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
        values = self._state.values
        derivative = poly.diff(self._state.gens[index])
        value, _ = evaluate(derivative, values)
        _, whole = evaluate(poly, values)
        span = 1.0 + float(np.max(np.abs(values[FIRST_POINT_SLOT:]), initial=0.0))
        if whole == 0.0 or abs(value) * span <= 1e-9 * whole:
            return 0.0
        return value * span / whole

    # -- one variable, one polynomial -------------------------------------------------------------
    def solve_for(self, request: SolveRequest) -> Poly | None:
        """Make generator `request.index` (a coordinate variable of `request.point`) a root of
        `request.poly`.

        Divides out the content and the roots at existing points, keeps the factor the diagram lies on.
        Returns the expression substituted for the variable when it is rational with a constant
        denominator, else None (the variable joins the chain).
        """
        state = self._state
        name, index, label = request.point, request.index, request.label
        state.deadline.check(f"placing {name}")
        gen = state.gens[index]
        try:
            poly = normalize(self.numerator(request.poly))
        except (OverflowError, ZeroDivisionError) as exc:
            raise AlgebraUnsupported(f"the equation of {name} cannot be reduced: {exc}") from exc
        if poly.degree(index) < 1:
            raise AlgebraUnsupported(f"the equations of {name} do not determine it ({label})")
        content = content_in(poly, index)
        if not content.is_ground:
            poly = normalize(poly.exquo(content))
            state.condition(content, f"content of the equation of {name}")
        for root in request.roots:
            line = root.den * gen - root.num
            if not self._is_root_still(poly, index, root) or self._is_current(index, root):
                continue
            while poly.degree(index) >= 2:
                quotient, remainder = pseudo_divide(poly, line, index)
                if not self.reduces_to_zero(remainder) or quotient.degree(index) < 1:
                    break
                poly = normalize(quotient)
                state.condition(root.den, f"{name} and {root.point} are well separated")
                state.conditions.append(Condition(f"{name} != {root.point}"))
                if not self._is_root_still(poly, index, root):
                    break
        poly = self._choose_factor(name, index, poly)
        if not state.is_zero_at(poly):
            raise InconsistentDiagram(f"the diagram is not on the locus of {name} ({label})")
        if poly.degree(index) == 1:
            lead = poly.coeff_wrt(gen, 1)
            if lead.is_ground:
                return self._substitute(name, index, -poly.coeff_wrt(gen, 0) / lead.LC)
        if poly.degree(index) == 2 and all(c.is_ground for c in coefficients(poly, index)):
            surd = self._quadratic_root(poly, index, name)
            if surd is not None:
                return self._substitute(name, index, surd)
        state.variables.append(Variable(index, Role.DEPENDENT, request.declared_as or label))
        link = ChainLink(index, poly, name)
        state.chain.insert(len(state.chain) if request.position is None else request.position, link)
        state.condition(link.initial, f"initial of the equation of {name} ({label})")
        return None

    def _quadratic_root(self, poly: Poly, index: int, name: str) -> Poly | None:
        """The root a + b sqrt(m) of a quadratic with rational coefficients that the diagram shows."""
        state = self._state
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
        radical = state.radical(free)
        domain = state.ring.domain
        half = -c1 / (2 * c2)
        step = square / (2 * c2)
        candidates = [
            radical * domain(s.numerator, s.denominator) + domain(half.numerator, half.denominator)
            for s in (step, -step)
        ]
        value = state.values[index]
        chosen = min(candidates, key=lambda expr: abs(state.at_value(expr) - value))
        state.choices.append(f"{name}: the root of its quadratic the diagram shows ({chosen.as_expr()})")
        return chosen

    def _is_current(self, index: int, root: Root) -> bool:
        """Whether the root's value of the variable is (numerically) the new point's own value."""
        state = self._state
        den = state.at_value(root.den)
        if den == 0.0:
            return True
        value = state.at_value(root.num) / den
        return abs(value - state.values[index]) <= 1e-7 * (1.0 + abs(value))

    def _is_root_still(self, poly: Poly, index: int, root: Root) -> bool:
        state = self._state
        saved = state.values[index]
        den = state.at_value(root.den)
        if den == 0.0:
            return False
        state.values[index] = state.at_value(root.num) / den
        still = state.is_zero_at(poly)
        state.values[index] = saved
        return still

    def _choose_factor(self, name: str, index: int, poly: Poly) -> Poly:
        state = self._state
        if poly.degree(index) < 2 or len(poly) > state.config.factor_max_terms:
            return poly
        state.deadline.check(f"factoring for {name}")
        factors = [normalize(f) for f, _ in poly.factor_list()[1] if f.degree(index) >= 1]
        if len(factors) <= 1:
            return factors[0] if factors else poly
        ranked = sorted(factors, key=lambda f: relative_value(f, state.values))
        best = ranked[0]
        if relative_value(ranked[1], state.values) <= state.config.zero_tolerance:
            state.notes.append(f"{name}: two components meet at the diagram; kept the closest")
        if best.degree(index) < poly.degree(index):
            state.conditions.append(
                Condition(f"{name} lies on the component of the diagram ({best.as_expr()})")
            )
            state.choices.append(
                f"{name}: the factor of its equation the diagram lies on (of {len(factors)})"
            )
        return best

    def _substitute(self, name: str, index: int, expr: Poly) -> Poly:
        """Replace generator `index` by `expr` in every coordinate and chain link that uses it."""
        state = self._state
        gen = state.gens[index]
        for point, (x, y) in list(state.coords.items()):
            if x.degree(index) > 0 or y.degree(index) > 0:
                state.coords[point] = (x.compose(gen, expr), y.compose(gen, expr))
        for position, link in enumerate(list(state.chain.links)):
            if link.poly.degree(index) > 0:
                poly = normalize(link.poly.compose(gen, expr))
                if poly.degree(link.var) >= 2:
                    poly = normalize(poly.sqf_part())
                if poly.degree(link.var) < 1:
                    raise AlgebraUnsupported(
                        f"substituting for {name} collapses the equation of {link.point}"
                    )
                state.chain.replace(position, ChainLink(link.var, poly, link.point))
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
