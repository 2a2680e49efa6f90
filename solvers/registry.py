"""Strategies by name: `get_solver("algebraic")`, `available_solvers()`.

The registry is a dict built once from the strategy classes (each class names itself); adding a
strategy means adding its class to `_STRATEGIES`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from types import MappingProxyType

from solvers.algebraic import AlgebraicSolver
from solvers.base import Solver
from solvers.ddar import DdarSolver
from solvers.search import SearchSolver

_STRATEGIES: tuple[Callable[[], Solver], ...] = (AlgebraicSolver, DdarSolver, SearchSolver)


def _by_name() -> Mapping[str, Callable[[], Solver]]:
    table: dict[str, Callable[[], Solver]] = {}
    for factory in _STRATEGIES:
        name = factory().name
        if name in table:
            raise ValueError(f"two strategies are named {name!r}")
        table[name] = factory
    return MappingProxyType(table)


SOLVERS: Mapping[str, Callable[[], Solver]] = _by_name()


class UnknownSolver(KeyError):
    """No strategy of that name; the message lists the available ones and the closest match."""

    def __init__(self, name: str) -> None:
        close = difflib.get_close_matches(name, list(SOLVERS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        super().__init__(f"unknown solver {name!r}{hint}; available: {', '.join(available_solvers())}")


def available_solvers() -> tuple[str, ...]:
    """Names of the registered strategies, sorted."""
    return tuple(sorted(SOLVERS))


def get_solver(name: str) -> Solver:
    """A fresh instance of the strategy `name` with its default configuration."""
    factory = SOLVERS.get(name)
    if factory is None:
        raise UnknownSolver(name)
    return factory()
