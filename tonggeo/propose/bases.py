"""Base configurations the construction walk starts from, parsed (the texts, `BASES`, are data in
`tonggeo.constructions.bases`; names are `--base` values)."""

from __future__ import annotations

from tonggeo.constructions.bases import BASES
from tonggeo.dsl.ast import Problem
from tonggeo.dsl.parser import parse_problem

__all__ = ["BASES", "UnknownBase", "base_problem"]


class UnknownBase(KeyError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown base configuration {name!r}; known: {', '.join(BASES)}")


def base_problem(name: str) -> Problem:
    """The base configuration `name` as a problem without goals."""
    text = BASES.get(name)
    if text is None:
        raise UnknownBase(name)
    return parse_problem(text, name)
