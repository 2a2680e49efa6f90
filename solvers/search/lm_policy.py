"""Learned policies for the search: the model's clauses and scores (`tonggeo.lm.proposer`: mean token
log-probability - lambda x expected value, TongGeometry's beam score) drawn through
`solvers.search.expand.draw`, the one place where policies' clauses become candidates.

Samples that do not parse, repeat, or cannot be drawn are dropped; a server that fails, times out or
answers garbage costs that state its model candidates, never the search (`MixedPolicy` still has the
heuristic's, `LMPolicy` falls back to them).  Calls, failures and unusable answers are counted in
shared memory (`tonggeo.lm.proposer.CallCounts`), so forked search workers add to the same counts.
The settings (`LMSettings`) live with the model client in `tonggeo.lm.proposer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from solvers.search.expand import draw
from solvers.search.node import Ranked, SearchState
from solvers.search.policy import Policy
from tonggeo.dsl.ast import Problem
from tonggeo.lm.client import ModelServerError
from tonggeo.lm.format import clause_key
from tonggeo.lm.proposer import (
    CALLS,
    FAILED,
    UNUSABLE,
    CallCounts,
    ClauseProposer,
    LMSettings,
    ModelProposer,
    Proposal,
)

__all__ = [
    "CallCounts", "LMPolicy", "LMSettings", "MixedPolicy", "Proposal", "learned_policy", "search_problem",
]


def search_problem(node: SearchState) -> Problem:
    """The node's problem as the models read it: statement, goals, and the search's aux clauses."""
    problem = node.state.problem
    statement = problem.clauses[: len(problem.clauses) - len(node.aux)]
    return Problem(problem.name, statement, problem.goals, tuple(node.aux))


@dataclass(frozen=True)
class LMPolicy:
    """The model's clauses and scores for the node, drawn; `fallback` ranks when the model gave nothing
    usable.  The model is `proposer` if given, else `ModelProposer(settings, counts)`."""

    settings: LMSettings = field(default_factory=LMSettings)
    fallback: Policy | None = None
    counts: CallCounts = field(default_factory=CallCounts, compare=False)
    proposer: ClauseProposer | None = field(default=None, compare=False)

    @property
    def model(self) -> ClauseProposer:
        return self.proposer if self.proposer is not None else ModelProposer(self.settings, self.counts)

    def proposals(self, node: SearchState) -> list[Proposal]:
        """The model's distinct clauses for the node, best first.  Raises ModelServerError."""
        return self.model.proposals(search_problem(node))

    def model_ranked(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        """The model's candidates, drawn (none if the server failed or answered nothing usable)."""
        self.counts.add(CALLS)
        try:
            proposals = self.proposals(node)
        except ModelServerError:
            self.counts.add(FAILED)
            return []
        except Exception:  # an answer the parsing chokes on is unusable, not the search's failure
            self.counts.add(UNUSABLE)
            return []
        ranked = draw(node, [(p.clause, p.score) for p in proposals], limit, rng)
        if not ranked:
            self.counts.add(UNUSABLE)
        return ranked

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        ranked = self.model_ranked(node, limit, rng)
        if not ranked and self.fallback is not None:
            return self.fallback.rank(node, limit, rng)
        return ranked


@dataclass(frozen=True)
class MixedPolicy:
    """The heuristic's ranking with the model's candidates added (never removed): the model's best come
    first in each block of `every` heuristic candidates, and those the heuristic already has are skipped."""

    heuristic: Policy
    model: LMPolicy
    extra: int = 8
    """Model candidates added at most."""
    every: int = 4

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        base = self.heuristic.rank(node, limit, rng)
        known = {clause_key(r.clause) for r in base}
        added = [
            r for r in self.model.model_ranked(node, self.extra, rng) if clause_key(r.clause) not in known
        ]
        out: list[Ranked] = []
        for k, r in enumerate(base):
            if k % self.every == 0 and added:
                out.append(added.pop(0))
            out.append(r)
        return out + added


def learned_policy(kind: str, settings: LMSettings) -> tuple[Policy, LMPolicy]:
    """The search policy `kind` (`lm`: the model, the heuristic when it gives nothing; `mixed`: the
    heuristic's candidates plus the model's), and the model policy (for its call counts)."""
    from solvers.search.policy import HeuristicPolicy

    if kind == "lm":
        model = LMPolicy(settings, fallback=HeuristicPolicy())
        return model, model
    if kind == "mixed":
        model = LMPolicy(settings)
        return MixedPolicy(HeuristicPolicy(), model), model
    raise ValueError(f"unknown policy {kind!r} (heuristic, lm, mixed)")
