"""Certificates replay from the facts alone, and tampered certificates are rejected."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

from tonggeo.ddar.algebra import (
    AngleTable,
    Certificate,
    Equation,
    RatioTable,
    TableKind,
    verify_certificate,
)


def _angle_chain() -> tuple[AngleTable, Certificate]:
    table = AngleTable()
    table.add({1: 1, 2: -1}, Fraction(1, 2), fact=10)
    table.add({2: 1, 3: -1}, 0, fact=11)
    table.add({3: 1, 4: -1}, Fraction(1, 2), fact=12)
    cert = table.explain({1: 1, 4: -1}, 0)
    assert cert is not None
    return table, cert


def test_replay_accepts() -> None:
    table, cert = _angle_chain()
    assert verify_certificate(cert, table.facts)
    assert "[fact 10]" in str(cert)


def test_wrong_coefficient_is_rejected() -> None:
    table, cert = _angle_chain()
    terms = tuple((f, c * 2 if f == 11 else c) for f, c in cert.terms)
    assert not verify_certificate(dataclasses.replace(cert, terms=terms), table.facts)


def test_missing_fact_is_rejected() -> None:
    table, cert = _angle_chain()
    assert not verify_certificate(dataclasses.replace(cert, terms=cert.terms[1:]), table.facts)
    facts = dict(table.facts)
    del facts[12]
    assert not verify_certificate(cert, facts)


def test_wrong_constant_is_rejected() -> None:
    table, cert = _angle_chain()
    wrong = Equation.of(TableKind.ANGLE, dict(cert.equation.coeffs), Fraction(1, 2))
    assert not verify_certificate(dataclasses.replace(cert, equation=wrong), table.facts)


def test_fractional_angle_terms_need_their_multiplier() -> None:
    table = AngleTable()
    values = {1: 0.3, 2: 0.3 + math.pi / 4, 3: 0.3 + math.pi / 2}
    for var, val in values.items():
        table.add_variable(var, val)
    table.add({2: 2, 1: -1, 3: -1}, 0, fact=1)
    table.add({3: 1, 1: -1}, Fraction(1, 2), fact=2)
    cert = table.explain({2: 1, 1: -1}, Fraction(1, 4))
    assert cert is not None and cert.multiplier == 2
    assert verify_certificate(cert, table.facts, values)
    # claiming an exact (k = 1) proof of a half-angle is rejected
    assert not verify_certificate(dataclasses.replace(cert, multiplier=1), table.facts, values)
    # the other branch is rejected by the diagram
    other = Equation.of(TableKind.ANGLE, dict(cert.equation.coeffs), Fraction(3, 4))
    assert not verify_certificate(dataclasses.replace(cert, equation=other), table.facts, values)


def test_ratio_certificate_tampering() -> None:
    table = RatioTable()
    table.add({1: 1, 2: -1}, 2, fact=1)
    table.add({2: 1, 3: -1}, 3, fact=2)
    cert = table.explain({1: 1, 3: -1}, 6)
    assert cert is not None and verify_certificate(cert, table.facts)
    wrong = Equation.of(TableKind.RATIO, dict(cert.equation.coeffs), 5)
    assert not verify_certificate(dataclasses.replace(cert, equation=wrong), table.facts)
    assert not verify_certificate(dataclasses.replace(cert, kind=TableKind.ANGLE), table.facts)
