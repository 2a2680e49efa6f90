"""Angle chasing: parallel/perpendicular chains, eqangle, triangle sums, and the mod-pi subtleties."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

from tonggeo.config import AlgebraTablesConfig
from tonggeo.ddar.algebra import AngleTable, InconsistentFact, NumericMismatch, verify_certificate


def _directions(rng: np.random.Generator, n: int) -> list[float]:
    return [float(x) for x in rng.uniform(0.0, math.pi, n)]


def test_para_chain() -> None:
    table = AngleTable()
    for i in range(10):
        assert table.add({i: 1, i + 1: -1}, 0, fact=i)
    assert table.implied({0: 1, 10: -1}, 0)
    assert table.constant({3: 1, 7: -1}) == 0
    assert not table.implied({0: 1, 10: -1}, Fraction(1, 2))
    assert not table.add({0: 1, 10: -1}, 0, fact=99)
    cert = table.explain({0: 1, 10: -1}, 0)
    assert cert is not None and cert.multiplier == 1
    assert set(cert.facts) == set(range(10))
    assert verify_certificate(cert, table.facts)


def test_perp_perp_gives_para() -> None:
    table = AngleTable()
    table.add({1: 1, 2: -1}, Fraction(1, 2), fact=10)
    table.add({3: 1, 2: -1}, Fraction(1, 2), fact=11)
    assert table.implied({1: 1, 3: -1}, 0)
    cert = table.explain({1: 1, 3: -1}, 0)
    assert cert is not None and dict(cert.terms) == {10: 1, 11: -1}
    assert verify_certificate(cert, table.facts)


def test_eqangle_transitivity_and_sign_convention() -> None:
    # angle(d1 -> d2) = angle(d3 -> d4) and angle(d3 -> d4) = angle(d5 -> d6)
    table = AngleTable()
    table.add({2: 1, 1: -1, 4: -1, 3: 1}, 0, fact=1)
    table.add({4: 1, 3: -1, 6: -1, 5: 1}, 0, fact=2)
    assert table.implied({2: 1, 1: -1, 6: -1, 5: 1}, 0)
    # the reversed angle is the negative one, not the same one
    assert not table.implied({2: 1, 1: -1, 5: -1, 6: 1}, 0)
    table.add({2: 1, 1: -1}, Fraction(1, 3), fact=3)  # aconst d1 d2 pi/3
    assert table.constant({6: 1, 5: -1}) == Fraction(1, 3)
    assert table.constant({5: 1, 6: -1}) == Fraction(2, 3)


def test_triangle_angle_sum() -> None:
    # sides AB, BC, CA with directions a, b, c: the three interior directed angles sum to 0 mod pi.
    table = AngleTable()
    table.add({1: 1, 0: -1}, Fraction(1, 5), fact=1)  # from AB to BC
    table.add({2: 1, 1: -1}, Fraction(1, 3), fact=2)  # from BC to CA
    assert table.constant({0: 1, 2: -1}) == Fraction(7, 15)  # from CA back to AB closes the turn
    assert table.constant({0: 1, 1: 1}) is None


def test_doubling_is_not_division() -> None:
    # 2x = 0 (mod pi) leaves x in {0, pi/2}: without a diagram nothing is implied about x itself.
    table = AngleTable()
    table.add({0: 2, 1: -2}, 0, fact=1)
    assert table.constant({0: 1, 1: -1}) is None
    assert table.explain({0: 1, 1: -1}, 0) is None
    # a fact that is rationally but not integrally implied is new information
    assert table.add({0: 1, 1: -1}, 0, fact=2)
    assert table.constant({0: 1, 1: -1}) == 0
    cert = table.explain({0: 1, 1: -1}, 0)
    assert cert is not None and cert.multiplier == 1 and dict(cert.terms) == {2: 1}


def test_branch_from_the_diagram() -> None:
    # The bisector d2 of d1 and d3 (d1 -> d2 equals d2 -> d3), with d1 perpendicular to d3.
    rng = np.random.default_rng(3)
    base = float(rng.uniform(0, math.pi))
    table = AngleTable()
    values = {1: base, 2: base + math.pi / 4, 3: base + math.pi / 2}
    for var, val in values.items():
        table.add_variable(var, val)
    table.add({2: 2, 1: -1, 3: -1}, 0, fact=1)
    table.add({3: 1, 1: -1}, Fraction(1, 2), fact=2)
    assert table.constant({2: 1, 1: -1}) == Fraction(1, 4)
    cert = table.explain({2: 1, 1: -1}, Fraction(1, 4))
    assert cert is not None and cert.multiplier == 2
    assert "diagram" in str(cert)
    assert verify_certificate(cert, table.facts, values)
    assert not verify_certificate(cert, table.facts)  # the branch needs the numeric values
    assert table.explain({2: 1, 1: -1}, Fraction(3, 4)) is None
    # without numeric values the same table cannot choose the branch
    bare = AngleTable()
    bare.add({2: 2, 1: -1, 3: -1}, 0, fact=1)
    bare.add({3: 1, 1: -1}, Fraction(1, 2), fact=2)
    assert bare.constant({2: 1, 1: -1}) is None


def test_numeric_check_catches_false_facts() -> None:
    rng = np.random.default_rng(5)
    table = AngleTable()
    for var, val in enumerate(_directions(rng, 3)):
        table.add_variable(var, val)
    with pytest.raises(NumericMismatch):
        table.add({0: 1, 1: -1}, 0, fact=1)
    quiet = AngleTable(AlgebraTablesConfig(check_numeric=False))
    for var, val in enumerate(_directions(rng, 3)):
        quiet.add_variable(var, val)
    assert quiet.add({0: 1, 1: -1}, 0, fact=1)


def test_contradiction_raises() -> None:
    table = AngleTable()
    table.add({0: 1, 1: -1}, 0, fact=1)
    with pytest.raises(InconsistentFact):
        table.add({1: 1, 0: -1}, Fraction(1, 2), fact=2)


def test_classes_and_pair_groups() -> None:
    table = AngleTable()
    table.add({0: 1, 1: -1}, 0, fact=1)  # 0 // 1
    table.add({2: 1, 0: -1}, Fraction(1, 2), fact=2)  # 2 perp 0
    table.add({4: 1, 3: -1, 6: -1, 5: 1}, 0, fact=3)  # angle(3->4) = angle(5->6)
    classes = table.classes()
    assert len(classes) == 1
    assert {v: c for v, c in classes[0]} == {0: 0, 1: 0, 2: Fraction(1, 2)}
    groups = table.pair_groups([(4, 3), (6, 5), (3, 4), (2, 0), (1, 0)])
    as_sets = [{p: c for p, c in g} for g in groups]
    assert {(4, 3): 0, (6, 5): 0} in as_sets
    assert {(2, 0): 0, (1, 0): Fraction(1, 2)} in as_sets


def test_implied_equalities_batch() -> None:
    table = AngleTable()
    for i in range(20):
        table.add({i: 1, i + 1: -1}, Fraction(1, 2) if i % 2 else 0, fact=i)
    cands = [({0: 1, j: -1}, Fraction((j // 2) % 2, 2)) for j in range(1, 21)]
    cands += [({0: 1, j: -1}, Fraction(1, 3)) for j in range(1, 21)]
    cands += [({0: 1, 30: -1}, 0), ({0: 1, 21: -1, 22: 1}, 0)]
    got = table.implied_equalities(cands)
    want = [table.implied(c, k) for c, k in cands]
    assert got == want
    assert sum(got) == 20


def test_copies_are_independent() -> None:
    parent = AngleTable()
    parent.add({0: 1, 1: -1}, 0, fact=1)
    parent.implied_equalities([({0: 1, 1: -1}, 0)])  # fill the modular cache before branching
    child = parent.copy()
    child.add({1: 1, 2: -1}, Fraction(1, 2), fact=2)
    assert child.constant({0: 1, 2: -1}) == Fraction(1, 2)
    assert parent.constant({0: 1, 2: -1}) is None
    assert parent.implied_equalities([({0: 1, 2: -1}, Fraction(1, 2))]) == [False]
    assert child.implied_equalities([({0: 1, 2: -1}, Fraction(1, 2))]) == [True]
    parent.add({2: 1, 0: -1}, 0, fact=3)
    assert child.constant({0: 1, 2: -1}) == Fraction(1, 2)
    assert 3 not in child.facts and 2 not in parent.facts


def test_one_fact_with_several_equations() -> None:
    # a coll record tying three line variables gives two equations with one fact id
    table = AngleTable()
    assert table.add({0: 1, 1: -1}, 0, fact=7)
    assert table.add({0: 1, 2: -1}, 0, fact=7)
    assert not table.add({1: -1, 0: 1}, 0, fact=7)  # the same equation again
    assert len(table.equations(7)) == 2
    cert = table.explain({1: 1, 2: -1}, 0)
    assert cert is not None and cert.facts == (7, 7)
    assert verify_certificate(cert, table.facts)
    assert not verify_certificate(cert, {7: table.equations(7)[0]})
    swapped = dataclasses.replace(cert, equations=cert.equations[::-1])
    assert not verify_certificate(swapped, table.facts)


def test_coefficients_must_be_integers() -> None:
    table = AngleTable()
    with pytest.raises(ValueError, match="integers"):
        table.add({0: Fraction(1, 2), 1: -1}, 0, fact=1)
    assert table.add({0: Fraction(2), 1: -2}, 0, fact=2)
