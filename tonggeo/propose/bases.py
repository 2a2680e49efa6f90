"""Base configurations the construction walk starts from, as DSL text (names are `--base` values)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tonggeo.dsl.ast import Problem
from tonggeo.dsl.parser import parse_problem

BASES: Mapping[str, str] = MappingProxyType(
    {
        "segment": "a b = segment a b",
        "triangle": "a b c = triangle a b c",
        "r_triangle": "a b c = r_triangle a b c",
        "iso_triangle": "a b c = iso_triangle a b c",
        "r_iso_triangle": "a b c = risos a b c",
        "iso_circumcircle": "a b c = iso_triangle a b c; o = circumcenter o a b c",
        "kite": "a b c = iso_triangle a b c; d = reflect d a b c",
        "iso_trapezoid": "a b c d = eq_trapezoid a b c d",
        "eq_triangle": "a b c = ieq_triangle a b c",
        "quadrangle": "a b c d = quadrangle a b c d",
        "trapezoid": "a b c d = trapezoid a b c d",
        "parallelogram": "a b c = triangle a b c; d = parallelogram a b c d",
        "square": "a b c d = isquare a b c d",
        "circumcircle": "a b c = triangle a b c; o = circumcenter o a b c",
        "cyclic_quadrangle": "a b c = triangle a b c; o = circumcenter o a b c; d = on_circle d o a",
    }
)


class UnknownBase(KeyError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown base configuration {name!r}; known: {', '.join(BASES)}")


def base_problem(name: str) -> Problem:
    """The base configuration `name` as a problem without goals."""
    text = BASES.get(name)
    if text is None:
        raise UnknownBase(name)
    return parse_problem(text, name)
