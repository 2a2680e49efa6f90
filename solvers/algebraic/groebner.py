"""Groebner-basis fallback: ideal membership of a goal over the field of the free parameters.

The hypotheses are the chain's polynomials, saturated by the non-degeneracy conditions (Rabinowitsch:
one more variable z with z * D - 1, D the product of the conditions). Working over Q(parameters) keeps
only the components on which the parameters are independent, i.e. the generic configurations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sympy import QQ, Symbol, groebner
from sympy.polys.polyerrors import PolynomialError

from solvers.algebraic.chain import Role
from solvers.algebraic.polys import AlgebraUnsupported, Deadline, Poly, normalize, variables_of

if TYPE_CHECKING:
    from solvers.algebraic.state import ChainState


def groebner_member(state: ChainState, goal: Poly, deadline: Deadline) -> bool:
    """Whether `goal` lies in the chain's ideal saturated by the recorded conditions, over Q(params)."""
    deadline.check("Groebner fallback")
    symbols = state.ring.symbols
    links = state.chain.links
    dependent = [link.var for link in links]
    used = set().union(*(variables_of(link.poly) for link in links), variables_of(goal))
    conditions: list[Poly] = []
    for condition in state.conditions:
        if condition.poly is not None and not condition.poly.is_ground:
            poly = normalize(condition.poly)
            if poly not in conditions:
                conditions.append(poly)
    for poly in conditions:
        used |= variables_of(poly)
    params = sorted(i for i in used if i not in dependent)
    if any(v.index in params and v.role != Role.PARAMETER for v in state.variables):
        raise AlgebraUnsupported("a non-parameter variable is missing from the chain")
    z = Symbol("z_ndg")
    product = state.ring.one
    for poly in conditions:
        product *= poly
    hypotheses = [link.poly.as_expr() for link in links]
    hypotheses.append(z * product.as_expr() - 1)
    gens = [symbols[i] for i in dependent] + [z]
    domain = QQ.frac_field(*[symbols[i] for i in params]) if params else QQ
    try:
        basis = groebner(hypotheses, *gens, order="grevlex", domain=domain)
    except PolynomialError as exc:
        raise AlgebraUnsupported(f"Groebner basis failed: {exc}") from exc
    deadline.check("Groebner fallback")
    if basis.exprs == [1]:
        raise AlgebraUnsupported("the saturated hypotheses are inconsistent (a degeneracy condition fails)")
    return bool(basis.contains(goal.as_expr()))
