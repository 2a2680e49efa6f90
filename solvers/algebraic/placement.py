"""Placements: what a locus parametrisation decides for a new point, as data the builder applies.

The parametrisations (`loci`, `halfangle`, `coupled`) read a `LocusView` (the state built so far and the
chain's reduction) and return a `Placement`: the point's coordinates and an ordered list of steps. The
builder alone applies them, so nothing but the builder writes the state while a problem is translated.

Steps, applied in order:
- `Value`: the diagram's value of a generator about to be solved for;
- `Declare`: a variable (a free parameter, or a dependent one whose link is given by a `Link` step);
- `Link`: a chain link appended as given;
- `Require`: a non-degeneracy condition `poly != 0`;
- `Solve`: make a generator a root of a polynomial (see `SolveRequest`); earlier substitutions of the
  same placement are composed into its options first;
- `Retire`: a parameter that stops being one (a later `Solve` fixes it);
- `Remark`: a note, and a choice made by the diagram (the result then holds on the drawn component).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from solvers.algebraic.chain import ChainLink, Variable
from solvers.algebraic.polys import AlgebraUnsupported
from solvers.algebraic.records import Root, Vec

if TYPE_CHECKING:
    from solvers.algebraic.polys import Poly
    from solvers.algebraic.state import ChainState


@dataclass(frozen=True, slots=True)
class SolveRequest:
    """Make generator `index` (a coordinate variable of `point`) a root of `poly`.

    `roots`: existing points known to satisfy the point's equations (divided out of `poly`);
    `label`: the variable's name in conditions and messages; `position`: where its link goes in the
    chain (None: at the end).
    """

    point: str
    index: int
    poly: Poly
    label: str
    roots: tuple[Root, ...] = ()
    position: int | None = None
    declared_as: str | None = None
    """The label the variable is recorded under when it joins the chain (None: `label`)."""


@dataclass(frozen=True, slots=True)
class Value:
    index: int
    value: float


@dataclass(frozen=True, slots=True)
class Declare:
    variable: Variable
    value: float | None = None
    """The diagram's value of the variable (None: set by an earlier `Value` step)."""


@dataclass(frozen=True, slots=True)
class Link:
    link: ChainLink


@dataclass(frozen=True, slots=True)
class Require:
    poly: Poly
    text: str


def require(poly: Poly, text: str) -> Require:
    """The condition `poly != 0`; raises at once when `poly` is the zero constant (a degeneracy)."""
    if poly.is_ground and not poly:
        raise AlgebraUnsupported(f"degenerate: {text} fails identically")
    return Require(poly, text)


@dataclass(frozen=True, slots=True)
class Solve:
    """A `SolveRequest` for generator `index` from the first of `options` (with earlier substitutions
    composed in) or, when `reduced`, the first that still involves the generator once reduced by the
    chain (the others may vanish identically on the component just chosen)."""

    index: int
    options: tuple[Poly, ...]
    label: str
    roots: tuple[Root, ...] = ()
    reduced: bool = False
    position: int | None = None
    declared_as: str | None = None
    """The label the variable is recorded under when it joins the chain (None: `label`)."""


@dataclass(frozen=True, slots=True)
class Retire:
    variable: Variable


@dataclass(frozen=True, slots=True)
class Remark:
    note: str
    choice: str = ""


Step = Value | Declare | Link | Require | Solve | Retire | Remark


@dataclass(frozen=True, slots=True)
class Placement:
    """The coordinates of `point` (None: left as they are) and the steps that go with them."""

    point: str
    coords: Vec | None
    steps: tuple[Step, ...] = ()
    tangencies: int = 0


class LocusView(Protocol):
    """What a parametrisation may read: the state so far and reduction by its chain."""

    @property
    def state(self) -> ChainState: ...

    def numerator(self, poly: Poly) -> Poly:
        """`poly` reduced by the chain (its linear variables solved as fractions): zero iff it vanishes."""
        ...

    def reduces_to_zero(self, poly: Poly) -> bool: ...


class Placer(LocusView, Protocol):
    """A `LocusView` that also applies placements (the builder)."""

    def apply(self, placement: Placement) -> None: ...
