"""Order types of drawings (`tonggeo.propose.ordertype`): the turns of point triples, compared up to a
mirror image, and the pick of the most different candidate drawing."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pytest

from tonggeo.diagram.model import Diagram
from tonggeo.dsl import parse_problem
from tonggeo.propose.ordertype import distance, most_different, order_type

NAMES = ("a", "b", "c", "d")


def _diagram(coords: dict[str, tuple[float, float]]) -> Diagram:
    problem = parse_problem("a b c d = quadrangle a b c d", "q")
    points = MappingProxyType({n: np.array(xy, dtype=np.float64) for n, xy in coords.items()})
    return Diagram(problem, points, (), ())


CONVEX = _diagram({"a": (0, 0), "b": (4, 0), "c": (4, 3), "d": (0, 3)})
DART = _diagram({"a": (0, 0), "b": (4, 0), "c": (1, 1), "d": (0, 3)})  # c inside triangle abd


def test_turns_of_each_triple() -> None:
    signs = order_type(CONVEX, NAMES)  # triples abc, abd, acd, bcd of a counter-clockwise square
    assert signs.tolist() == [1, 1, 1, 1]
    assert order_type(_diagram({"a": (0, 0), "b": (1, 0), "c": (2, 0), "d": (0, 1)}), NAMES).tolist()[0] == 0


def test_a_mirror_image_is_the_same_shape() -> None:
    mirror = _diagram({n: (-float(CONVEX.points[n][0]), float(CONVEX.points[n][1])) for n in NAMES})
    assert order_type(mirror, NAMES).tolist() == [-1, -1, -1, -1]
    assert distance(order_type(CONVEX, NAMES), order_type(mirror, NAMES)) == 0


def test_distance_counts_triples_turning_the_other_way() -> None:
    # moving c inside abd turns bcd the other way (abc, abd, acd keep their turn)
    assert distance(order_type(CONVEX, NAMES), order_type(DART, NAMES)) == 1
    with pytest.raises(ValueError):
        distance(order_type(CONVEX, NAMES), order_type(CONVEX, NAMES[:3]))


def test_the_most_different_candidate_is_picked() -> None:
    convex, dart = order_type(CONVEX, NAMES), order_type(DART, NAMES)
    assert most_different([convex, dart, convex], [convex]) == 1
    assert most_different([convex, convex], [convex]) == 0  # the first of equals
    assert most_different([dart, convex], []) == 0
