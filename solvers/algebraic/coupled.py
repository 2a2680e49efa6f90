"""Constructions whose new points are fixed jointly (trisect, cc_tangent, 3peq, contri...).

Points of such a clause are placed one by one; an equation that could not be used for the point it was
read for is "left over". Reduced by the chain and freed of the clause's dependent variables, a left-over
equation that still involves a parameter introduced by the clause turns that parameter into a dependent
variable, inserted in the chain before its first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from solvers.algebraic.builder import eliminate
from solvers.algebraic.chain import Role, Variable
from solvers.algebraic.polys import normalize

if TYPE_CHECKING:
    from solvers.algebraic.builder import ChainBuilder, Equation


def absorb_leftovers(
    builder: ChainBuilder, points: Sequence[str], leftovers: Sequence[tuple[str, Equation]]
) -> int:
    """Use left-over equations of the clause that made `points`; returns how many were absorbed."""
    slots = {index for name in points for index in builder.slots[name]}
    absorbed = 0
    for name, eq in leftovers:
        builder.deadline.check("coupled construction")
        poly = builder.at(eq.poly, builder.coords[name])
        try:
            reduced = builder.chain.reduce(poly, builder.deadline, builder.config.elimination_max_terms)
        except OverflowError:
            continue
        clause_links = [link for link in builder.chain.links if link.var in slots]
        for link in reversed(clause_links):
            if reduced and reduced.degree(link.var) > 0:
                reduced, _ = eliminate(
                    reduced, link.poly, link.var, builder.deadline, builder.config.elimination_max_terms
                )
        if not reduced:
            continue
        params = [v for v in builder.variables if v.role == Role.PARAMETER and v.index in slots]
        involved = [v for v in params if reduced.degree(v.index) > 0]
        if not involved:
            builder.notes.append(f"'{eq.source}' is not used (it constrains no parameter of {name})")
            continue
        var = involved[-1]
        users = [i for i, link in enumerate(builder.chain.links) if link.poly.degree(var.index) > 0]
        position = users[0] if users else len(builder.chain)
        builder.variables.remove(var)
        substituted = builder.solve_for(name, var.index, normalize(reduced), [], var.label, [eq], position)
        if substituted is None:
            builder.variables[-1] = Variable(
                var.index, Role.DEPENDENT, f"{var.label} (fixed by '{eq.source}')"
            )
        absorbed += 1
    return absorbed
