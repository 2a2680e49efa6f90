"""The incremental tables against from-scratch sympy computations on random small systems.

Angles: the implied combinations are the integer row lattice (sympy's Hermite normal form); lengths: the
rational row space (sympy's rank). Every system is generated from a hidden solution, so every constant
the table returns must be that solution's value.
"""

from __future__ import annotations

import math
from fractions import Fraction
from math import lcm

from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational
from sympy.matrices.normalforms import hermite_normal_form

from tonggeo.ddar.algebra import AngleTable, DistanceTable, PowerProduct, RatioTable, verify_certificate

N_VARS = 5
vectors = st.lists(st.integers(-3, 3), min_size=N_VARS, max_size=N_VARS).filter(any)


def _lattice(rows: list[list[int]]) -> Matrix:
    if not rows:
        return Matrix.zeros(N_VARS, 0)
    return hermite_normal_form(Matrix(rows).T)


def _min_multiplier(rows: list[list[int]], q: list[int]) -> int | None:
    """Least k with k*q in the integer row lattice, or None if q is not in the rational span."""
    basis = _lattice(rows)
    if basis.shape[1] == 0:
        return None
    aug = basis.row_join(Matrix(q))
    if aug.rank() > basis.rank():
        return None
    coords = basis.solve_least_squares(Matrix(q))
    k = 1
    for c in coords:
        k = lcm(k, int(Rational(c).q))
    return k


@settings(max_examples=60, deadline=None)
@given(
    hidden=st.lists(st.integers(0, 11), min_size=N_VARS, max_size=N_VARS),
    facts=st.lists(vectors, min_size=1, max_size=7),
    queries=st.lists(vectors, min_size=1, max_size=6),
    picks=st.lists(st.tuples(st.integers(0, 6), st.integers(-2, 2)), max_size=4),
)
def test_angle_table_matches_the_lattice(
    hidden: list[int], facts: list[list[int]], queries: list[list[int]], picks: list[tuple[int, int]]
) -> None:
    x = [Fraction(h, 12) for h in hidden]
    values = {i: float(x[i]) * math.pi for i in range(N_VARS)}
    table = AngleTable()
    for i, v in values.items():
        table.add_variable(i, v)

    def const(vec: list[int]) -> Fraction:
        return sum((c * xi for c, xi in zip(vec, x, strict=True)), Fraction(0)) % 1

    added: list[list[int]] = []
    for fact, row in enumerate(facts):
        before = _lattice(added)
        changed = table.add({i: c for i, c in enumerate(row) if c}, const(row), fact)
        added.append(row)
        assert changed == (_lattice(added) != before)
    # combinations of the facts, so that some queries are implied
    combo = [0] * N_VARS
    for idx, mult in picks:
        row = facts[idx % len(facts)]
        combo = [a + mult * b for a, b in zip(combo, row, strict=True)]
    if any(combo):
        queries = [*queries, combo]
    for q in queries:
        coeffs = {i: c for i, c in enumerate(q) if c}
        k = _min_multiplier(added, q)
        got = table.constant(coeffs)
        if k is None:
            assert got is None
            continue
        assert got == const(q)
        cert = table.explain(coeffs, const(q))
        assert cert is not None and cert.multiplier == k
        assert verify_certificate(cert, table.facts, values)
        assert table.implied_equalities([(coeffs, const(q))]) == [True]


@settings(max_examples=60, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 20), min_size=N_VARS, max_size=N_VARS),
    facts=st.lists(vectors, min_size=1, max_size=7),
    queries=st.lists(vectors, min_size=1, max_size=6),
)
def test_distance_table_matches_the_rank(
    hidden: list[int], facts: list[list[int]], queries: list[list[int]]
) -> None:
    table = DistanceTable()
    for i, h in enumerate(hidden):
        table.add_variable(i, float(h))

    def const(vec: list[int]) -> Fraction:
        return Fraction(sum(c * h for c, h in zip(vec, hidden, strict=True)))

    added: list[list[int]] = []
    for fact, row in enumerate(facts):
        rank = Matrix(added).rank() if added else 0
        changed = table.add({i: c for i, c in enumerate(row) if c}, const(row), fact)
        added.append(row)
        assert changed == (Matrix(added).rank() > rank)
    for q in queries:
        coeffs = {i: c for i, c in enumerate(q) if c}
        implied = Matrix([*added, q]).rank() == Matrix(added).rank()
        got = table.constant(coeffs)
        assert got == (const(q) if implied else None)
        if implied:
            cert = table.explain(coeffs, const(q))
            assert cert is not None and verify_certificate(cert, table.facts)
        assert table.implied_equalities([(coeffs, const(q))]) == [implied]


@settings(max_examples=40, deadline=None)
@given(
    hidden=st.lists(st.lists(st.integers(-2, 2), min_size=3, max_size=3), min_size=N_VARS, max_size=N_VARS),
    facts=st.lists(vectors, min_size=1, max_size=6),
    queries=st.lists(vectors, min_size=1, max_size=6),
)
def test_ratio_table_matches_the_rank(
    hidden: list[list[int]], facts: list[list[int]], queries: list[list[int]]
) -> None:
    # segment i has length 2^a 3^b 5^c; products of powers of the lengths are exact PowerProducts
    lengths = [PowerProduct.of(Fraction(2) ** a * Fraction(3) ** b * Fraction(5) ** c) for a, b, c in hidden]
    table = RatioTable()
    for i, length in enumerate(lengths):
        table.add_variable(i, float(length))

    def const(vec: list[int]) -> PowerProduct:
        out = PowerProduct()
        for c, length in zip(vec, lengths, strict=True):
            out = out * length**c
        return out

    added: list[list[int]] = []
    for fact, row in enumerate(facts):
        table.add({i: c for i, c in enumerate(row) if c}, const(row), fact)
        added.append(row)
    for q in queries:
        coeffs = {i: c for i, c in enumerate(q) if c}
        implied = Matrix([*added, q]).rank() == Matrix(added).rank()
        assert table.constant(coeffs) == (const(q) if implied else None)
        assert table.determined([coeffs]) == [const(q) if implied else None]
        if implied:
            cert = table.explain(coeffs, const(q))
            assert cert is not None and verify_certificate(cert, table.facts)
