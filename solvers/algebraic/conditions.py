"""Non-degeneracy conditions in words: match condition polynomials to `diff a b` and `ncoll a b c`.

A condition is matched when one of its irreducible factors equals (up to a constant) the squared distance
of two points or the signed area of three; unmatched ones are listed as polynomials in named variables.
Each is evaluated at the diagram: `(at the diagram: 0.42, nonzero)`, or `vanishes` when the drawn figure
is itself degenerate for the theorem.
"""

from __future__ import annotations

import math
import re
from itertools import combinations
from typing import TYPE_CHECKING

from solvers.algebraic.polys import Poly, evaluate, normalize
from solvers.algebraic.predicates import cross, norm2

if TYPE_CHECKING:
    from solvers.algebraic.state import ChainState

_MAX_FACTOR_TERMS = 400
_MAX_SHOWN_TERMS = 6


def _key(poly: Poly) -> tuple[tuple[tuple[int, ...], object], ...]:
    return tuple(sorted(normalize(poly).items()))


def _geometric_names(state: ChainState) -> dict[tuple[tuple[tuple[int, ...], object], ...], str]:
    names: dict[tuple[tuple[tuple[int, ...], object], ...], str] = {}
    points = list(state.coords)
    for p, q in combinations(points, 2):
        (xp, yp), (xq, yq) = state.coords[p], state.coords[q]
        poly = norm2((xq - xp, yq - yp))
        if poly and not poly.is_ground:
            names.setdefault(_key(poly), f"diff {p} {q}")
    state.deadline.check("naming conditions")
    for p, q, r in combinations(points, 3):
        (xp, yp), (xq, yq), (xr, yr) = state.coords[p], state.coords[q], state.coords[r]
        poly = cross((xq - xp, yq - yp), (xr - xp, yr - yp))
        if poly and not poly.is_ground:
            names.setdefault(_key(poly), f"ncoll {p} {q} {r}")
    return names


def _legend(state: ChainState, poly: Poly) -> str:
    labels = {v.index: v.label for v in state.variables}
    used = sorted({i for monom in poly.keys() for i, e in enumerate(monom) if e})
    return ", ".join(f"v{i} = {labels.get(i, '?')}" for i in used)


def _positive_definite(poly: Poly) -> bool:
    """A sum of even powers with positive coefficients and a positive constant: never zero over R."""
    constant = dict(poly.items()).get((0,) * poly.ring.ngens)
    return (
        constant is not None
        and all(coeff > 0 for coeff in poly.values())
        and all(e % 2 == 0 for monom in poly.keys() for e in monom)
    )


_DISTINCT = re.compile(r"^(?:diff )?(\w+)(?: != | )(\w+)$")
VANISHES = "vanishes"


def _at_diagram(state: ChainState, poly: Poly) -> str:
    value, scale = evaluate(poly, state.values)
    nonzero = scale > 0 and abs(value) > state.config.zero_tolerance * scale
    return f" (at the diagram: {value:.3g}, {'nonzero' if nonzero else VANISHES})"


def _textual_at_diagram(state: ChainState, text: str) -> str:
    """Distinctness conditions given only as text (`d != b`, `diff a b`), measured on the diagram."""
    match = _DISTINCT.match(text)
    if match is None or not {match[1], match[2]} <= set(state.numeric):
        return ""
    p, q = state.numeric[match[1]], state.numeric[match[2]]
    distance = math.hypot(float(p[0] - q[0]), float(p[1] - q[1]))
    nonzero = distance > state.config.zero_tolerance * (1.0 + math.hypot(float(p[0]), float(p[1])))
    return f" (at the diagram: distance {distance:.3g}, {'nonzero' if nonzero else VANISHES})"


def describe_conditions(state: ChainState) -> tuple[str, ...]:
    """The conditions of a chain, deduplicated, in DSL terms where a factor matches a known shape."""
    names = _geometric_names(state)
    described: list[str] = []
    for condition in state.conditions:
        if condition.poly is None:
            text = condition.text + _textual_at_diagram(state, condition.text)
        else:
            poly = condition.poly
            factors = [poly]
            if len(poly) <= _MAX_FACTOR_TERMS:
                factors = [f for f, _ in poly.factor_list()[1] if not f.is_ground]
            parts = []
            for factor in factors:
                if _positive_definite(factor):
                    continue
                name = names.get(_key(factor))
                value = _at_diagram(state, factor)
                if name is not None:
                    parts.append(name + value)
                elif len(factor) <= _MAX_SHOWN_TERMS:
                    parts.append(f"{factor.as_expr()} != 0 [{_legend(state, factor)}]{value}")
                else:
                    parts.append(f"a polynomial of {len(factor)} terms != 0 ({condition.text}){value}")
            text = "; ".join(parts)
        for part in text.split("; "):
            if part and part not in described:
                described.append(part)
    return tuple(described)
