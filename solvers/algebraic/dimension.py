"""Dimension check: the chain must have as many free parameters as the configuration has freedom.

Every chain polynomial is a consequence of the hypotheses, and the chain vanishes on the diagram; if it
also has the configuration's number of free parameters, its component through the diagram is the
hypotheses' component, and a zero remainder is a statement about the problem's own configurations. The
freedom is measured numerically: 2 per point, less the rank of the hypotheses' Jacobian at the diagram,
less what the frame fixes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.polys import Poly, evaluate, make_ring
from solvers.algebraic.predicates import equations

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from solvers.algebraic.records import Hypothesis


class _RawCoordinates:
    """Each point's coordinates as two generators; sqrt(3) as one more, held at its value."""

    def __init__(self, names: Sequence[str]) -> None:
        self.ring, self.gens = make_ring(2 * len(names) + 1)
        self.index = {name: i for i, name in enumerate(names)}

    def point(self, name: str) -> tuple[Poly, Poly]:
        i = self.index[name]
        return self.gens[2 * i], self.gens[2 * i + 1]

    def sqrt3(self) -> Poly:
        return self.gens[-1]


def configuration_freedom(
    names: Sequence[str], facts: Sequence[Hypothesis], numeric: Mapping[str, NDArray[np.float64]], fixed: int
) -> int:
    """Degrees of freedom of the configuration near the diagram: 2 per point - rank - `fixed`."""
    raw = _RawCoordinates(names)
    values = np.zeros(len(raw.gens), dtype=np.float64)
    for name, i in raw.index.items():
        values[2 * i], values[2 * i + 1] = numeric[name]
    values[-1] = 3.0**0.5
    rows = []
    for fact in facts:
        for poly in equations(raw, fact.name, fact.args):
            row = np.array([evaluate(poly.diff(raw.gens[k]), values)[0] for k in range(2 * len(names))])
            size = float(np.linalg.norm(row))
            if size > 0.0:
                rows.append(row / size)
    if not rows:
        return 2 * len(names) - fixed
    singular = np.linalg.svd(np.array(rows), compute_uv=False)
    rank = int(np.sum(singular > 1e-7 * singular[0]))
    return 2 * len(names) - rank - fixed
