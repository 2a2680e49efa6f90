"""The typed fact kinds: `tonggeo.facts.spec.FactKind` (the engine's records) and the checker's own
`CheckedKind` name exactly the stored fact kinds, so mypy's strict equality checks every comparison."""

from __future__ import annotations

import typing

from tonggeo.facts import FACT_KINDS
from tonggeo.facts import model as fact_model
from tonggeo.facts.spec import FactKind, names
from tonggeo.proof.check import facts as checked


def test_fact_kind_is_every_stored_kind() -> None:
    assert set(typing.get_args(FactKind)) == names(fact=True) == FACT_KINDS
    records = typing.get_args(fact_model.Fact)
    assert {record.kind for record in records} == FACT_KINDS and len(records) == len(FACT_KINDS)


def test_the_checker_reads_the_same_kinds_from_its_own_list() -> None:
    assert set(typing.get_args(checked.CheckedKind)) == set(checked.KINDS) == FACT_KINDS
    assert checked.statement("eqangle6", tuple("abcdefgh")).kind == "eqangle"  # aliases read as their kind
