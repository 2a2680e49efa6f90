"""One `PredicateSpec` per predicate name: what it is and which tables must know it.

Knowledge of a predicate is spread over tables in several layers (the fact records, the rule reader, the
diagram's numeric checks, the engine's numeric model and match enumerators, the goal shapes, the
polynomial equations of the algebraic solver).  Each table either derives from `SPECS` or is checked
against it by `tests/facts/test_spec.py`, so a new predicate is added here first and the test names
every table still missing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Domain = Literal["angle", "ratio", "length"]


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


def _geometric(name: str, domain: Domain | None = None, matched: bool = True) -> PredicateSpec:
    """A fact kind of the deductive core: stored, named by rules, checked everywhere."""
    return PredicateSpec(name, fact=True, rule=True, domain=domain, numeric=True, matched=matched,
                         polynomial=True)


def _condition(name: str, rule: bool = True) -> PredicateSpec:
    return PredicateSpec(name, condition=rule, numeric=True)


SPECS: dict[str, PredicateSpec] = {
    spec.name: spec
    for spec in (
        _geometric("coll"),
        _geometric("cyclic"),
        _geometric("circle"),
        _geometric("midp"),
        _geometric("para", "angle"),
        _geometric("perp", "angle"),
        _geometric("cong", "ratio"),
        _geometric("eqangle", "angle", matched=False),
        _geometric("eqratio", "ratio", matched=False),
        _geometric("simtri"),
        _geometric("simtri2"),
        _geometric("contri"),
        _geometric("contri2"),
        PredicateSpec("aconst", fact=True, rule=True, domain="angle", polynomial=True),
        PredicateSpec("rconst", fact=True, rule=True, domain="ratio", polynomial=True),
        PredicateSpec("r2const", fact=True, domain="length", polynomial=True),
        PredicateSpec("lconst", fact=True, domain="length", polynomial=True),
        PredicateSpec("l2const", fact=True, domain="length", polynomial=True),
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
