"""Constructions whose new points are fixed jointly (trisect, cc_tangent, 3peq, contri...).

Points of such a clause are placed one by one; an equation that could not be used for the point it was
read for is "left over". Reduced by the chain and freed of the clause's dependent variables, a left-over
equation that still involves a parameter introduced by the clause turns that parameter into a dependent
variable, inserted in the chain before its first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import Role
from solvers.algebraic.placement import Placement, Remark, Retire, Solve
from solvers.algebraic.polys import Poly, coefficients, evaluate, normalize
from solvers.algebraic.records import eliminate

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from solvers.algebraic.placement import Placer
    from solvers.algebraic.records import Equation
    from solvers.algebraic.state import ChainState


def absorb_leftovers(placer: Placer, points: Sequence[str], leftovers: Sequence[tuple[str, Equation]]) -> int:
    """Use left-over equations of the clause that made `points`; returns how many were absorbed.

    An equation is absorbed only if moving the parameter it would fix (and re-solving the chain)
    really breaks it: an equation that holds along the whole family is implied, and fixing a
    parameter with it would make the chain a special case. When it breaks only to second order the
    loci are tangent at the diagram; the state's `tangencies` counts those for the dimension check.
    Each decision is a `Placement` applied before the next equation is looked at.
    """
    state = placer.state
    slots = {index for name in points for index in state.slots[name]}
    absorbed = 0
    for name, eq in leftovers:
        state.deadline.check("coupled construction")
        poly = state.at(eq.poly, state.coords[name])
        try:
            reduced = placer.numerator(poly)
        except (OverflowError, ZeroDivisionError):
            continue
        clause_links = [link for link in state.chain.links if link.var in slots]
        for link in reversed(clause_links):
            if reduced and reduced.degree(link.var) > 0:
                reduced, _ = eliminate(
                    reduced, link.poly, link.var, state.deadline, state.config.elimination_max_terms
                )
        if not reduced:
            continue
        params = [v for v in state.variables if v.role == Role.PARAMETER and v.index in slots]
        involved = [v for v in params if reduced.degree(v.index) > 0]
        order = next(
            ((v, kind) for v in reversed(involved) if (kind := _sensitivity(state, poly, v.index))), None
        )
        if order is None:
            remark = Remark(
                f"'{eq.source}' is not used (it holds along the family of {name})",
                f"'{eq.source}' dropped (numerically implied along {name}'s family)",
            )
            placer.apply(Placement(name, None, (remark,)))
            continue
        var, kind = order
        users = [i for i, link in enumerate(state.chain.links) if link.poly.degree(var.index) > 0]
        position = users[0] if users else len(state.chain)
        fix = Solve(
            var.index,
            (normalize(reduced),),
            var.label,
            position=position,
            declared_as=f"{var.label} (fixed by '{eq.source}')",
        )
        placer.apply(Placement(name, None, (Retire(var), fix), tangencies=int(kind == "tangent")))
        absorbed += 1
    return absorbed


def _sensitivity(state: ChainState, poly: Poly, index: int) -> str:
    """How `poly` changes when parameter `index` moves and the chain is re-solved: '' (it does not:
    implied), 'first' (first order) or 'tangent' (second order only)."""
    base = state.values[index]
    changes = []
    for step in (1e-3, 2e-3):
        values = state.values.copy()
        values[index] = base + step * (1.0 + abs(base))
        moved = resolve_chain(state, values)
        if moved is None:
            return ""
        value, scale = evaluate(poly, moved)
        changes.append(abs(value) / scale if scale else 0.0)
    small, large = changes
    if large < 1e-10:
        return ""
    return "tangent" if large > 3.0 * small else "first"


def resolve_chain(state: ChainState, values: NDArray[np.float64]) -> NDArray[np.float64] | None:
    """`values` with every dependent variable re-solved from its link, taking the root nearest the
    diagram's value (None if that root is not real)."""
    for link in state.chain.links:
        coeffs = [evaluate(c, values)[0] for c in coefficients(link.poly, link.var)]
        while len(coeffs) > 1 and coeffs[-1] == 0.0:
            coeffs.pop()
        if len(coeffs) < 2:
            return None
        roots = np.roots(coeffs[::-1])
        old = state.values[link.var]
        best = roots[np.argmin(np.abs(roots - old))]
        if abs(best.imag) > 1e-6 * (1.0 + abs(best.real)):
            return None
        values[link.var] = float(best.real)
    return values
