"""Triangular sets: the chain of polynomials Wu's method divides by, with its variables and conditions.

A chain link says "generator `var` is algebraic over the lower variables, a root of `poly`". Successive
pseudo-division of a goal polynomial by the links, from the last to the first, leaves the Wu remainder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from solvers.algebraic.polys import Deadline, Poly, normalize

if TYPE_CHECKING:
    from collections.abc import Callable


class Role(StrEnum):
    PARAMETER = "parameter"
    DEPENDENT = "dependent"


@dataclass(frozen=True, slots=True)
class Variable:
    """A generator of the ring in use: a free parameter or a dependent (algebraic) variable."""

    index: int
    role: Role
    label: str


@dataclass(frozen=True, slots=True)
class ChainLink:
    """`poly` (main variable `var`, positive degree in it) vanishes at the configuration."""

    var: int
    poly: Poly
    point: str

    @property
    def degree(self) -> int:
        return int(self.poly.degree(self.var))

    @property
    def initial(self) -> Poly:
        gen = self.poly.ring.gens[self.var]
        return self.poly.coeff_wrt(gen, self.degree)


@dataclass(frozen=True, slots=True)
class Condition:
    """A non-degeneracy condition: `poly` must not vanish (None when the condition is only textual)."""

    text: str
    poly: Poly | None = None


@dataclass(slots=True)
class Chain:
    """The growing triangular set of a problem, in construction order."""

    links: list[ChainLink] = field(default_factory=list)
    version: int = 0
    """Bumped when a link is inserted before others or replaced (appending keeps earlier work valid)."""

    def append(self, link: ChainLink) -> None:
        self.insert(len(self.links), link)

    def insert(self, position: int, link: ChainLink) -> None:
        """Insert `link` before the link now at `position` (every later link may use its variable)."""
        if link.degree < 1:
            raise ValueError("a chain link must involve its main variable")
        if any(other.poly.degree(link.var) > 0 for other in self.links[:position]):
            raise ValueError("a chain link must come before every link that uses its variable")
        if position < len(self.links):
            self.version += 1
        self.links.insert(position, link)

    def replace(self, position: int, link: ChainLink) -> None:
        if link.degree < 1:
            raise ValueError("a chain link must involve its main variable")
        self.version += 1
        self.links[position] = link

    def reduce(
        self, poly: Poly, deadline: Deadline, max_terms: int, on_step: Callable[[int], None] | None = None
    ) -> Poly:
        """The Wu remainder of `poly`: successive pseudo-remainders by the links, last link first.

        Raises OverflowError when an intermediate remainder exceeds `max_terms` terms.
        """
        remainder = normalize(poly)
        for link in reversed(self.links):
            if not remainder:
                break
            if remainder.degree(link.var) < 1:
                continue
            deadline.check("Wu pseudo-division")
            remainder = normalize(remainder.prem(link.poly, link.poly.ring.gens[link.var]))
            if len(remainder) > max_terms:
                raise OverflowError(f"pseudo-remainder grew past {max_terms} terms")
            if on_step is not None:
                on_step(len(remainder))
        return remainder

    def __len__(self) -> int:
        return len(self.links)
