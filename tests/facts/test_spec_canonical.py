"""The canonical form in `tonggeo.facts.spec`: for every fact kind, the argument symmetries the spec lists
are exactly the argument orders that state the same fact (`make_fact`), and `make_fact` writes the least
of them (`canonical_args`)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from tonggeo.facts import FACT_KINDS, make_fact
from tonggeo.facts.spec import SPECS, canonical_args, symmetry_group

POINTS = tuple("abcdefgh")
VALUE = {"aconst": Fraction(1, 3), "rconst": Fraction(2, 3), "r2const": Fraction(2, 5),
         "lconst": Fraction(3, 2), "l2const": Fraction(7, 4)}
"""A value no argument symmetry of the kind may change (not 0 or 1/2 for angles, not 1 for ratios)."""
REVERSED = {"aconst": Fraction(2, 3), "rconst": Fraction(3, 2), "r2const": Fraction(5, 2)}
"""The same facts stated with the spec's `reversal` (angle negated mod 1, ratio inverted)."""
GROUPS = ("aequation", "lequation")  # normal form over groups of four points, not positions (model.py)


def _fixed() -> list[str]:
    return sorted(k for k in FACT_KINDS if SPECS[k].arity is not None)


def test_every_fact_kind_has_a_canonical_form() -> None:
    for kind in FACT_KINDS:
        spec = SPECS[kind]
        if kind in GROUPS:
            assert spec.arity is None and not spec.symmetries and not spec.point_set
        elif spec.arity is None:
            assert spec.point_set and not spec.symmetries, kind
        else:
            positions = list(range(spec.arity))
            assert spec.symmetries and all(sorted(p) == positions for p in spec.symmetries), kind
        if spec.reversal is not None:
            assert kind in VALUE and sorted(spec.reversal) == list(range(4)), kind


@pytest.mark.parametrize("kind", _fixed())
def test_the_spec_symmetries_are_exactly_the_orders_stating_the_same_fact(kind: str) -> None:
    arity = SPECS[kind].arity
    assert arity is not None
    args = POINTS[:arity]
    value = VALUE.get(kind)
    fact = make_fact(kind, args, value)
    group = set(symmetry_group(kind))
    assert fact.args == canonical_args(kind, args)
    perms = list(itertools.permutations(range(arity)))
    if len(perms) > 3000:  # eqangle/eqratio: the whole group and a sample of the rest
        rng = random.Random(0)
        perms = sorted(group) + rng.sample(perms, 3000)
    for perm in perms:
        image = tuple(args[i] for i in perm)
        same = make_fact(kind, image, value) == fact
        assert same == (perm in group), (kind, perm)
        # scrambled names: make_fact still writes the least image under the group (or its reversal)
        least = canonical_args(kind, image)
        reversal = SPECS[kind].reversal
        if reversal is not None:
            least = min(least, canonical_args(kind, tuple(image[i] for i in reversal)))
        assert make_fact(kind, image, value).args == least


@pytest.mark.parametrize("kind", sorted(k for k in FACT_KINDS if SPECS[k].reversal is not None))
def test_the_reversal_states_the_fact_with_the_value_reversed(kind: str) -> None:
    reversal = SPECS[kind].reversal
    assert reversal is not None
    args = POINTS[:4]
    reversed_args = tuple(args[i] for i in reversal)
    assert make_fact(kind, reversed_args, REVERSED[kind]) == make_fact(kind, args, VALUE[kind])
    assert make_fact(kind, reversed_args, VALUE[kind]) != make_fact(kind, args, VALUE[kind])


@pytest.mark.parametrize("kind", sorted(k for k in FACT_KINDS if SPECS[k].point_set))
def test_a_point_set_ignores_order_and_repeats(kind: str) -> None:
    args = POINTS[:5]
    fact = make_fact(kind, args)
    for perm in itertools.permutations(args):
        assert make_fact(kind, (*perm, perm[0]), None) == fact
    assert fact.args == canonical_args(kind, args[::-1])


def test_group_sizes() -> None:
    sizes = {kind: len(symmetry_group(kind)) for kind in _fixed()}
    assert sizes["para"] == sizes["cong"] == 8 and sizes["eqangle"] == sizes["eqratio"] == 128
    assert sizes["simtri"] == sizes["contri2"] == 12 and sizes["midp"] == 2 and sizes["circle"] == 6
    assert sizes["aconst"] == sizes["rconst"] == 4 and sizes["lconst"] == 2
