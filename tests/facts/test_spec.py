"""Every predicate table covers exactly the predicates its role in `tonggeo.facts.spec.SPECS` names.

Adding a predicate to one table and not to SPECS (or the reverse) fails here, naming the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from tonggeo.facts.spec import SPECS, names


def _fact_kinds() -> Iterable[str]:
    from tonggeo.facts import FACT_KINDS

    return FACT_KINDS


def _rule_facts() -> Iterable[str]:
    from tonggeo.rules.model import FACT_PREDICATES

    return FACT_PREDICATES


def _rule_conditions() -> Iterable[str]:
    from tonggeo.rules.model import CONDITION_PREDICATES

    return CONDITION_PREDICATES


def _rule_angle() -> Iterable[str]:
    from tonggeo.rules.model import ANGLE_PREDICATES

    return ANGLE_PREDICATES


def _rule_ratio() -> Iterable[str]:
    from tonggeo.rules.model import RATIO_PREDICATES

    return RATIO_PREDICATES


def _diagram_checks() -> Iterable[str]:
    from tonggeo.diagram.predicates import CHECKS

    return CHECKS


def _numeric_checks() -> Iterable[str]:
    from tonggeo.ddar.numeric import NUMERIC_CHECKS

    return NUMERIC_CHECKS


def _candidates() -> Iterable[str]:
    from tonggeo.ddar.candidates import CANDIDATES
    from tonggeo.rules.model import ORIENTED_CONCLUSIONS

    return set(CANDIDATES) - set(ORIENTED_CONCLUSIONS)


def _relations() -> Iterable[str]:
    from tonggeo.ddar.relations import KNOWN

    return KNOWN


def _goals() -> Iterable[str]:
    from tonggeo.dsl.predicates import GOAL_PREDICATES

    return GOAL_PREDICATES


def _equations() -> Iterable[str]:
    from solvers.algebraic.predicates import EQUATIONS

    return EQUATIONS


TABLES: dict[str, tuple[Callable[[], Iterable[str]], frozenset[str]]] = {
    "tonggeo.facts.FACT_KINDS": (_fact_kinds, names(fact=True)),
    "tonggeo.rules.model.FACT_PREDICATES": (_rule_facts, names(rule=True)),
    "tonggeo.rules.model.CONDITION_PREDICATES": (_rule_conditions, names(condition=True)),
    "tonggeo.rules.model.ANGLE_PREDICATES": (_rule_angle, names(rule=True, domain="angle")),
    "tonggeo.rules.model.RATIO_PREDICATES": (_rule_ratio, names(rule=True, domain="ratio")),
    "tonggeo.diagram.predicates.CHECKS": (_diagram_checks, names(diagram=True)),
    "tonggeo.ddar.numeric.NUMERIC_CHECKS": (_numeric_checks, names(numeric=True)),
    "tonggeo.ddar.candidates.CANDIDATES": (_candidates, names(matched=True)),
    "tonggeo.ddar.relations.KNOWN": (_relations, names(matched=True)),
    "tonggeo.dsl.predicates.GOAL_PREDICATES": (_goals, names(goal=True)),
    "solvers.algebraic.predicates.EQUATIONS": (_equations, names(polynomial=True)),
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_table_covers_its_kinds(table: str) -> None:
    read, expected = TABLES[table]
    found = frozenset(read())
    assert not expected - found, f"{table} lacks {sorted(expected - found)}"
    assert not found - expected, f"{table} has {sorted(found - expected)}, unknown to tonggeo.facts.spec"


def test_every_spec_is_in_some_table() -> None:
    assert all(names(name=name) for name in SPECS)
    covered = set().union(*(expected for _, expected in TABLES.values()))
    assert covered == set(SPECS)


def test_search_value_relates_fact_kinds_only() -> None:
    from solvers.search.value import _KINDRED

    kinds = names(fact=True)
    for goal, related in _KINDRED.items():
        assert goal in kinds and related <= kinds, (goal, sorted(related - kinds))


def test_every_fact_kind_has_a_record() -> None:
    from tonggeo.facts import make_fact

    for kind in names(fact=True):
        with pytest.raises(Exception) as caught:
            make_fact(kind, ())
        assert "unknown" not in str(caught.value).lower(), (kind, caught.value)
