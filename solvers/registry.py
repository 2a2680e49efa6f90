"""Strategies by name, built by configured factories: `get_solver("search", SolverOptions(policy=...))`.

Each `SolverEntry` names a strategy and the factory that builds it from `SolverOptions` (the policy and
value a learned model supplies; None: the heuristics).  Factories import their strategy on first use, so
listing names (`tonggeo solve --help`, the service's validation) stays cheap.  The command line and the
service both build solvers here, so the same name and options give the same solver everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from solvers.base import Solver
    from solvers.search.policy import Policy
    from solvers.search.value import Value


@dataclass(frozen=True, slots=True)
class SolverOptions:
    """What a caller configures in a strategy: the search's policy and value (None: the heuristics).

    Strategies without a search (ddar, algebraic) ignore them."""

    policy: Policy | None = None
    value: Value | None = None


SolverFactory = Callable[[SolverOptions], "Solver"]


@dataclass(frozen=True, slots=True)
class SolverEntry:
    """A strategy's registry name, a one-line summary (for `--help`) and its factory."""

    name: str
    summary: str
    factory: SolverFactory

    def build(self, options: SolverOptions | None = None) -> Solver:
        solver = self.factory(options or SolverOptions())
        if solver.name != self.name:
            raise ValueError(f"factory of {self.name!r} built a solver named {solver.name!r}")
        return solver


def _algebraic(options: SolverOptions) -> Solver:
    from solvers.algebraic import AlgebraicSolver

    return AlgebraicSolver()


def _ddar(options: SolverOptions) -> Solver:
    from solvers.ddar import DdarSolver

    return DdarSolver()


def _search(options: SolverOptions) -> Solver:
    from solvers.search import SearchSolver

    return SearchSolver(policy=options.policy, value=options.value)


def _search_prior(options: SolverOptions) -> Solver:
    import warnings

    from solvers.search import SearchSolver
    from solvers.search.prior_policy import prior_policy
    from tonggeo.config import DEFAULT_SEARCH

    policy, warning = prior_policy(options.policy)
    if warning is not None:
        warnings.warn(warning, stacklevel=2)
    config = DEFAULT_SEARCH
    if getattr(policy.base, "mirror_detector", None) is not None:
        # The learned detector is a torch model, called while ranking: torch's thread pool does not survive
        # a fork once started (the child hangs on its first operation), so this search ranks in-process.
        config = replace(DEFAULT_SEARCH, jobs=1)
    return SearchSolver(config=config, policy=policy, value=options.value, name="search-prior")


class UnknownSolver(KeyError):
    """No strategy of that name; the message lists the available ones and the closest match."""

    def __init__(self, name: str, available: Iterable[str] = ()) -> None:
        names = sorted(available) or list(available_solvers())
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        super().__init__(f"unknown solver {name!r}{hint}; available: {', '.join(names)}")


@dataclass(frozen=True)
class Registry(Mapping[str, SolverEntry]):
    """An immutable table of strategies; `with_entry` gives a new registry with one more (or replaced)."""

    entries: tuple[SolverEntry, ...]

    def __post_init__(self) -> None:
        names = [e.name for e in self.entries]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"two strategies are named {twice[0]!r}")

    def __getitem__(self, name: str) -> SolverEntry:
        for entry in self.entries:
            if entry.name == name:
                return entry
        raise UnknownSolver(name, self.names())

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.entries)

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(e.name for e in self.entries))

    def with_entry(self, entry: SolverEntry) -> Registry:
        return Registry((*(e for e in self.entries if e.name != entry.name), entry))

    def build(self, name: str, options: SolverOptions | None = None) -> Solver:
        """A fresh instance of the strategy `name` configured by `options`.  Raises UnknownSolver."""
        return self[name].build(options)


REGISTRY = Registry(
    (
        SolverEntry("algebraic", "Wu's method with a Groebner fallback (an algebraic verdict, no synthetic "
                    "proof)", _algebraic),
        SolverEntry("ddar", "deduction and algebraic reasoning, no auxiliary points", _ddar),
        SolverEntry("search", "DDAR, then beam search over auxiliary constructions", _search),
        SolverEntry("search-prior", "search with the learned prior merged into the policy's candidate order "
                    "and the learned detector's mirror guesses (re-checked exactly)", _search_prior),
    )
)

SOLVERS: Mapping[str, SolverFactory] = MappingProxyType({e.name: e.factory for e in REGISTRY.entries})
"""Name -> factory, for callers that only list or build by name."""


def available_solvers() -> tuple[str, ...]:
    """Names of the registered strategies, sorted."""
    return REGISTRY.names()


def get_solver(name: str, options: SolverOptions | None = None) -> Solver:
    """A fresh instance of the strategy `name` (default configuration unless `options` says otherwise)."""
    return REGISTRY.build(name, options)
