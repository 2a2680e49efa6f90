"""Why a fact holds: a construction premise, a rule application, an algebraic combination, or a merge.

Every fact the engine stores is a `FactRecord` with one justification that names earlier records by id,
so a proof is a walk back over justifications and the checker can replay each step on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import assert_never

from tonggeo.facts.model import Fact


@dataclass(frozen=True, slots=True)
class Given:
    """Stated by the problem: the construction call (as DSL text) that introduces it."""

    construction: str


@dataclass(frozen=True, slots=True)
class RuleStep:
    """Rule `rule` applied with `assignment` (variable -> point) to the premise records `premises`
    (in the rule's premise order)."""

    rule: str
    premises: tuple[int, ...]
    assignment: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class AlgebraStep:
    """A linear combination: sum of coefficient * (equation of record) is the fact's equation.

    `domain` is 'angle' (directions of lines, constants in units of pi mod 1), 'ratio' (log-lengths) or
    'distance' (lengths).  `structure` lists coll records that only identify lines: two point pairs on
    one line of such a record have the same direction.  A `multiplier` k > 1 (angles only) means the
    combination proves k times the equation; the diagram picks which of the k solutions holds.
    `selectors` (squared lengths only), one per term when given, pick one equation of a fact that gives
    several: for `midp M A B` the point X names the median relation XA^2 + XB^2 = 2 XM^2 + 2 MA^2.
    """

    domain: str
    terms: tuple[tuple[int, Fraction], ...]
    structure: tuple[int, ...] = ()
    multiplier: int = 1
    selectors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MergeStep:
    """coll (cyclic) by merging coll (cyclic) records that share two (three) points."""

    premises: tuple[int, ...]


Justification = Given | RuleStep | AlgebraStep | MergeStep


@dataclass(frozen=True, slots=True)
class FactRecord:
    """A fact the engine holds, its id (records only cite smaller ids) and its justification."""

    id: int
    fact: Fact
    why: Justification


def premises_of(why: Justification) -> tuple[int, ...]:
    """The record ids a justification rests on."""
    match why:
        case Given():
            return ()
        case RuleStep(premises=premises) | MergeStep(premises=premises):
            return premises
        case AlgebraStep(terms=terms, structure=structure):
            return tuple(fid for fid, _ in terms) + structure
        case _:
            assert_never(why)
