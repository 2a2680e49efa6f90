"""What a translation has built so far: coordinates, chain, variables, conditions, the diagram's values.

`ChainState` is the record the builder grows and everything downstream reads (the provers, the
condition namer, the Groebner fallback, the dimension check). Besides its fields it answers the
numeric questions a placement asks (`is_zero_at`, `holds_at`, `at_value`) and is a `CoordinateSource`
for predicate translation (`point`, `sqrt3`). It never decides how a point is placed: that is the
builder (`solvers.algebraic.builder`) and its locus parametrisations (`solvers.algebraic.loci`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from solvers.algebraic.chain import Chain, ChainLink, Condition, Role, Variable
from solvers.algebraic.polys import (
    AlgebraUnsupported,
    Deadline,
    Poly,
    PolyRing,
    evaluate,
    make_ring,
    normalize,
    relative_value,
)
from solvers.algebraic.records import FIRST_POINT_SLOT, RADICAL_SLOTS, Vec, X, Y

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from numpy.typing import NDArray

    from solvers.algebraic.records import Hypothesis
    from tonggeo.config import AlgebraicSolverConfig


@dataclass(slots=True)
class ChainState:
    """The triangular set of one problem while it is built, and after (see the module docstring)."""

    ring: PolyRing
    gens: tuple[Poly, ...]
    values: NDArray[np.float64]
    """The diagram's value of every generator (X, Y: the placeholders of the point being placed)."""
    slots: dict[str, tuple[int, int]]
    """The two generators reserved for each point's coordinates (or its parametrisation)."""
    extra_slots: list[int]
    numeric: Mapping[str, NDArray[np.float64]]
    config: AlgebraicSolverConfig
    deadline: Deadline
    coords: dict[str, Vec] = field(default_factory=dict)
    chain: Chain = field(default_factory=Chain)
    variables: list[Variable] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)
    """What the diagram chose (a factor, a root, a dropped hypothesis): a result then holds on the
    drawn component only, and is never reported as holding generically."""
    radicals: dict[int, int] = field(default_factory=dict)
    current: str | None = None
    """The point being placed: `point` answers the placeholders (X, Y) for it."""
    hypotheses: tuple[Hypothesis, ...] = ()
    """The facts translated (set by `translate`), for the dimension check."""
    frame_fixed: int = 0
    """Degrees of freedom the coordinate frame removes (origin 2, axis direction 1, unit length 1)."""
    tangencies: int = 0
    """Equations that fixed a parameter only to second order (tangent loci at the diagram)."""

    @classmethod
    def empty(
        cls,
        order: Sequence[str],
        numeric: Mapping[str, NDArray[np.float64]],
        config: AlgebraicSolverConfig,
        deadline: Deadline,
        extra_slots: int = 0,
    ) -> ChainState:
        """A state with two generators for each point of `order` and `extra_slots` more."""
        ring, gens = make_ring(FIRST_POINT_SLOT + 2 * len(order) + extra_slots)
        return cls(
            ring=ring,
            gens=gens,
            values=np.zeros(len(gens), dtype=np.float64),
            slots={
                name: (FIRST_POINT_SLOT + 2 * i, FIRST_POINT_SLOT + 1 + 2 * i) for i, name in enumerate(order)
            },
            extra_slots=list(range(FIRST_POINT_SLOT + 2 * len(order), len(gens))),
            numeric=numeric,
            config=config,
            deadline=deadline,
        )

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

    # -- numeric questions ------------------------------------------------------------------------
    def is_zero_at(self, poly: Poly) -> bool:
        """Whether `poly` vanishes (relatively) at the diagram's values."""
        return relative_value(poly, self.values) <= self.config.zero_tolerance

    def holds_at(self, poly: Poly, xy: NDArray[np.float64]) -> bool:
        """`is_zero_at` with the placeholders (X, Y) at `xy` for the question only."""
        saved = self.values[X], self.values[Y]
        self.set_placeholders(xy)
        try:
            return self.is_zero_at(poly)
        finally:
            self.values[X], self.values[Y] = saved

    def at_value(self, poly: Poly) -> float:
        """The value of `poly` at the diagram's values of the variables."""
        return evaluate(poly, self.values)[0]

    def at(self, poly: Poly, where: Vec) -> Poly:
        """`poly` with the placeholders (X, Y) replaced by the coordinates `where`."""
        return poly.compose([(self.gens[X], where[0]), (self.gens[Y], where[1])])

    def set_placeholders(self, xy: NDArray[np.float64]) -> None:
        self.values[X], self.values[Y] = float(xy[0]), float(xy[1])

    def condition(self, poly: Poly, text: str) -> None:
        """Record `poly != 0` (nothing for a nonzero constant; a zero constant is a degeneracy)."""
        if not poly.is_ground:
            self.conditions.append(Condition(text, normalize(poly)))
        elif not poly:
            raise AlgebraUnsupported(f"degenerate: {text} fails identically")
