"""Public numeric checks: `check_predicate` on named points and `check_goal` on a diagram."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from tonggeo.config import DEFAULT_NUMERIC, NumericConfig
from tonggeo.constructions.values import BadValue
from tonggeo.diagram.equations import EquationError, aequation, lequation
from tonggeo.diagram.model import Diagram
from tonggeo.diagram.predicates import CHECKS
from tonggeo.dsl.ast import Goal

PointLike = np.ndarray | complex | tuple[float, float]


class PredicateError(ValueError):
    """A predicate that cannot be checked: unknown name, unknown point or malformed arguments."""


def _is_number(token: str) -> bool:
    head = token[:1]
    return head.isdigit() or head in "-+." or token.startswith("pi")


def _to_complex(value: PointLike) -> complex:
    if isinstance(value, complex):
        return value
    return complex(float(value[0]), float(value[1]))


class _Lookup:
    """Named point -> complex; an UPPERCASE name falls back to the lowercase point (Newclid equations)."""

    def __init__(self, points: Mapping[str, PointLike]) -> None:
        self.points = points

    def __call__(self, name: str) -> complex:
        value = self.points.get(name)
        if value is None:
            value = self.points.get(name.lower())
        if value is None:
            raise PredicateError(f"unknown point {name!r}")
        return _to_complex(value)


def check_complex(
    name: str,
    args: Sequence[str],
    point: _Lookup | Mapping[str, complex],
    cfg: NumericConfig = DEFAULT_NUMERIC,
) -> bool:
    """`check_predicate` on complex coordinates (the builder's fast path)."""
    lookup = point if isinstance(point, _Lookup) else _Lookup(point)
    try:
        if name == "lequation":
            return lequation(args, lookup, cfg)
        if name == "aequation":
            return aequation(args, lookup, cfg)
        check = CHECKS.get(name)
        if check is None:
            raise PredicateError(f"no numeric check for predicate {name!r}")
        n = len(args)
        while n > 0 and _is_number(args[n - 1]):
            n -= 1
        coords = [lookup(a) for a in args[:n]]
        return check(coords, args[n:], cfg)
    except (BadValue, EquationError, IndexError, ValueError) as exc:
        if isinstance(exc, PredicateError):
            raise
        raise PredicateError(f"cannot check '{' '.join((name, *args))}': {exc}") from exc


def check_predicate(
    name: str, args: Sequence[str], points: Mapping[str, np.ndarray], cfg: NumericConfig = DEFAULT_NUMERIC
) -> bool:
    """Whether predicate `name args` holds numerically for the given coordinates.

    `args` are written as in the DSL (points, then numeric parameters such as `1pi/3` or `1/2`).
    Raises `PredicateError` for an unknown predicate or point.
    """
    return check_complex(name, args, _Lookup(points), cfg)


def check_goal(diagram: Diagram, goal: Goal, cfg: NumericConfig = DEFAULT_NUMERIC) -> bool:
    """Whether a goal of the diagram's problem holds numerically in the diagram."""
    return check_complex(goal.name, goal.args, _Lookup(diagram.complex_points), cfg)
