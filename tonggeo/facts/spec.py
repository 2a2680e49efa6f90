"""One `PredicateSpec` per predicate name: what it is and which tables must know it.

Knowledge of a predicate is spread over tables in several layers (the fact records, the rule reader, the
diagram's numeric checks, the engine's numeric model and match enumerators, the goal shapes, the
polynomial equations of the algebraic solver).  Each table either derives from `SPECS` or is checked
against it by `tests/facts/test_spec.py`, so a new predicate is added here first and the test names
every table still missing it.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Domain = Literal["angle", "ratio", "length"]
Perm = tuple[int, ...]
FactKind = Literal[
    "coll", "cyclic", "circle", "midp", "para", "perp", "cong", "eqangle", "eqratio", "simtri", "simtri2",
    "contri", "contri2", "aconst", "rconst", "r2const", "lconst", "l2const", "aequation", "lequation",
]
"""The kind of a stored fact (`tonggeo.facts.Fact.kind`), typed so that mypy checks every comparison
with one (`strict_equality`); equal to `names(fact=True)` (tests/facts)."""
"""A permutation of argument positions: the arguments `args` read as `tuple(args[i] for i in perm)`."""


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    """A predicate name and its roles.

    `fact`: a kind the database stores (`tonggeo.facts.FACT_KINDS`); `rule`: a rule may name it as a
    premise or conclusion; `condition`: a rule side condition decided on the diagram, never stored;
    `domain`: the algebraic table whose linear equations express it (rules over one domain only are
    candidates for subsumption by that table); `diagram`: checked numerically on a diagram
    (`tonggeo.diagram.predicates.CHECKS`); `numeric`: decided by the engine's numeric model
    (`tonggeo.ddar.numeric.NUMERIC_CHECKS`); `matched`: the matcher enumerates its instances
    (`tonggeo.ddar.candidates`, `tonggeo.ddar.relations`); `polynomial`: it has polynomial equations
    (`solvers.algebraic.predicates.EQUATIONS`); `goal`: it may be a goal (`tonggeo.dsl.predicates`).

    The canonical form, for fact kinds: `arity` (None: any number of points); `symmetries` generate the
    permutations of argument positions that state the same fact (`para a b c d` = `para b a c d` =
    `para c d a b`); for a valued kind only those that keep the value; `reversal`: the permutation that
    states the same fact with the value reversed (an `aconst`'s two lines swapped negate its angle, an
    `rconst`'s two segments swapped invert its ratio; `make_fact` writes the least of the two statements);
    `point_set`: the order and
    repeats of the points are immaterial (`coll`, `cyclic`).  The canonical arguments are the least
    image under the group (`canonical_args`); `make_fact` computes exactly that (tests/facts).
    `aequation`/`lequation` (sums over groups of four points) have their own normal form in
    `tonggeo.facts.model`, which cancels and sorts groups: no symmetries here.
    """

    name: str
    fact: bool = False
    rule: bool = False
    condition: bool = False
    domain: Domain | None = None
    diagram: bool = True
    numeric: bool = False
    matched: bool = False
    polynomial: bool = False
    goal: bool = True
    arity: int | None = None
    symmetries: tuple[Perm, ...] = ()
    reversal: Perm | None = None
    point_set: bool = False


# argument symmetries shared by several kinds (generators; positions of the arguments)
_PAIRS: tuple[Perm, ...] = ((1, 0, 2, 3), (0, 1, 3, 2))  # each of two pairs read either way
_TWO_PAIRS: tuple[Perm, ...] = (*_PAIRS, (2, 3, 0, 1))  # ... and the pairs swapped
_FOUR_PAIRS: tuple[Perm, ...] = (
    # eqangle/eqratio p1 p2 p3 p4 (pairs) mean x2 - x1 = x4 - x3: every pair either way, and the
    # exchanges p2 <-> p3 and (p1 p2)(p3 p4) (they generate the 8 equivalent orders of the pairs)
    (1, 0, 2, 3, 4, 5, 6, 7),
    (0, 1, 3, 2, 4, 5, 6, 7),
    (0, 1, 2, 3, 5, 4, 6, 7),
    (0, 1, 2, 3, 4, 5, 7, 6),
    (0, 1, 4, 5, 2, 3, 6, 7),
    (2, 3, 0, 1, 6, 7, 4, 5),
)
_TRIANGLES: tuple[Perm, ...] = (
    # ABC ~ PQR: the vertex correspondences listed in any order, and the two triangles swapped
    (1, 0, 2, 4, 3, 5),
    (0, 2, 1, 3, 5, 4),
    (3, 4, 5, 0, 1, 2),
)


def _geometric(
    name: str, arity: int | None, symmetries: tuple[Perm, ...] = (), domain: Domain | None = None,
    matched: bool = True,
) -> PredicateSpec:
    """A fact kind of the deductive core: stored, named by rules, checked everywhere."""
    return PredicateSpec(name, fact=True, rule=True, domain=domain, numeric=True, matched=matched,
                         polynomial=True, arity=arity, symmetries=symmetries, point_set=arity is None)


def _valued(
    name: str, domain: Domain, symmetries: tuple[Perm, ...], reversal: Perm | None = None, rule: bool = False
) -> PredicateSpec:
    """A fact with a constant, held by one algebraic table."""
    arity = len(symmetries[0])
    return PredicateSpec(name, fact=True, rule=rule, domain=domain, polynomial=True, arity=arity,
                         symmetries=symmetries, reversal=reversal)


def _condition(name: str, rule: bool = True) -> PredicateSpec:
    return PredicateSpec(name, condition=rule, numeric=True)


SPECS: dict[str, PredicateSpec] = {
    spec.name: spec
    for spec in (
        _geometric("coll", None),
        _geometric("cyclic", None),
        _geometric("circle", 4, ((0, 2, 1, 3), (0, 1, 3, 2))),  # centre first, then any order
        _geometric("midp", 3, ((0, 2, 1),)),  # midpoint first, then either end
        _geometric("para", 4, _TWO_PAIRS, "angle"),
        _geometric("perp", 4, _TWO_PAIRS, "angle"),
        _geometric("cong", 4, _TWO_PAIRS, "ratio"),
        _geometric("eqangle", 8, _FOUR_PAIRS, "angle", matched=False),
        _geometric("eqratio", 8, _FOUR_PAIRS, "ratio", matched=False),
        _geometric("simtri", 6, _TRIANGLES),
        _geometric("simtri2", 6, _TRIANGLES),
        _geometric("contri", 6, _TRIANGLES),
        _geometric("contri2", 6, _TRIANGLES),
        _valued("aconst", "angle", _PAIRS, (2, 3, 0, 1), rule=True),
        _valued("rconst", "ratio", _PAIRS, (2, 3, 0, 1), rule=True),
        _valued("r2const", "length", _PAIRS, (2, 3, 0, 1)),
        _valued("lconst", "length", ((1, 0),)),
        _valued("l2const", "length", ((1, 0),)),
        PredicateSpec("aequation", fact=True, diagram=False),
        PredicateSpec("lequation", fact=True, diagram=False),
        # orientation-reversed spellings of simtri2/contri2 (read as those kinds)
        PredicateSpec("simtrir", polynomial=True),
        PredicateSpec("contrir", polynomial=True),
        # goals asking for a value; the answer becomes an aconst/rconst/lconst goal
        PredicateSpec("acompute"),
        PredicateSpec("rcompute"),
        PredicateSpec("lcompute"),
        PredicateSpec("s_angle", polynomial=True, goal=False),  # a construction's angle, never a goal
        _condition("ncoll"),
        _condition("npara"),
        _condition("nperp"),
        _condition("sameside"),
        _condition("nsameside"),
        _condition("sameclock"),
        _condition("diff"),
        _condition("obtuse_angle", rule=False),
    )
}


def names(**roles: object) -> frozenset[str]:
    """The predicate names whose spec has every given role value, e.g. `names(fact=True)`."""
    return frozenset(
        name for name, spec in SPECS.items() if all(getattr(spec, key) == want for key, want in roles.items())
    )


@functools.cache
def symmetry_group(name: str) -> tuple[Perm, ...]:
    """Every argument permutation the spec's `symmetries` generate (identity first), for a kind of fixed
    arity."""
    spec = SPECS[name]
    if spec.arity is None:
        raise ValueError(f"{name} has no fixed arity: its points are a set or groups, not positions")
    identity = tuple(range(spec.arity))
    found = {identity}
    frontier = [identity]
    while frontier:
        perm = frontier.pop()
        for gen in spec.symmetries:
            image = tuple(perm[i] for i in gen)
            if image not in found:
                found.add(image)
                frontier.append(image)
    return (identity, *sorted(found - {identity}))


def canonical_args(name: str, args: Sequence[str]) -> tuple[str, ...]:
    """The least statement of the fact `name args` under its argument symmetries (for a point set: its
    distinct points, sorted).  Arity and distinctness are `tonggeo.facts.make_fact`'s to check."""
    return canonicaliser(name)(args)


@functools.cache
def canonicaliser(name: str) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """`canonical_args` for one kind, built once (the engine calls it for every fact it makes)."""
    if SPECS[name].point_set:
        return lambda args: tuple(sorted(set(args)))
    images = tuple(operator.itemgetter(*perm) for perm in symmetry_group(name))
    return lambda args: min([image(args) for image in images])
