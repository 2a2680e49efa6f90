"""Learned policies: a language model served behind an OpenAI-compatible completions endpoint (vLLM or
`tonggeo serve-lm --backend transformers`) proposes auxiliary clauses, a value model (optional) says how
many constructions each candidate still leaves to add, and candidates rank by

    mean token log-probability - lambda x expected value        (TongGeometry's beam score)

The prompt and the parsing of samples use `tonggeo.lm.format`, the same text the models were trained on.
Samples that do not parse, repeat, or cannot be drawn are dropped; a server that fails, times out or
answers garbage costs that state its model candidates, never the search (`MixedPolicy` still has the
heuristic's, `LMPolicy` falls back to them).  Calls, failures and unusable answers are counted in
shared memory, so forked search workers add to the same counts.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from solvers.search.expand import draw_clauses
from solvers.search.node import SearchState
from solvers.search.policy import Policy, Ranked
from tonggeo.dsl.ast import Clause, Problem
from tonggeo.lm.client import ModelServerError, complete
from tonggeo.lm.format import VALUE_LABELS, clause_key, parse_clauses, prompt, state_text


@dataclass(frozen=True, slots=True)
class LMSettings:
    """Where the models are and how they are sampled (TongGeometry: temperature 1, top-p 0.95, lambda 0.1)."""

    url: str = "http://127.0.0.1:8000/v1"
    """Policy server's base URL (requests go to {url}/completions)."""
    model: str | None = None
    """Model name sent with each request (None: the server's only model)."""
    value_url: str | None = None
    """Value server's base URL; None: candidates rank by log-probability alone."""
    value_model: str | None = None
    samples: int = 16
    temperature: float = 1.0
    top_p: float = 0.95
    max_tokens: int = 40
    value_lambda: float = 0.1
    timeout: float = 20.0
    """Seconds to wait for one answer; a slower server counts as failed for that state."""


class CallCounts:
    """Model calls, failed calls (no answer) and unusable ones (answers, but not one drawable clause),
    in shared memory (created before the search forks its workers)."""

    def __init__(self) -> None:
        self._values = multiprocessing.get_context("fork").Array("i", 3)

    def add(self, index: int) -> None:
        with self._values.get_lock():
            self._values[index] += 1

    @property
    def calls(self) -> int:
        return int(self._values[0])

    @property
    def failed(self) -> int:
        return int(self._values[1])

    @property
    def unusable(self) -> int:
        return int(self._values[2])

    def summary(self) -> str:
        return f"model calls {self.calls}, failed {self.failed}, unusable {self.unusable}"

    def __getstate__(self) -> tuple[int, int, int]:  # crossing to another machine: a snapshot
        return (self.calls, self.failed, self.unusable)

    def __setstate__(self, state: tuple[int, int, int]) -> None:
        self.__init__()  # type: ignore[misc]
        for i, v in enumerate(state):
            self._values[i] = v


def mean_logprob(choice: dict[str, Any]) -> float:
    """Mean log-probability of a sample's tokens (-inf if the server sent none)."""
    logprobs = choice.get("logprobs") or {}
    values = [float(v) for v in logprobs.get("token_logprobs") or [] if v is not None]
    return sum(values) / len(values) if values else -math.inf


def expected_value(choice: dict[str, Any]) -> float | None:
    """Expected number of aux constructions still needed, from the value label's top log-probabilities."""
    logprobs = choice.get("logprobs") or {}
    tops = logprobs.get("top_logprobs") or []
    if not tops or not isinstance(tops[0], dict):
        return None
    weights = {k: math.exp(float(tops[0][label])) for k, label in enumerate(VALUE_LABELS) if label in tops[0]}
    total = sum(weights.values())
    return sum(k * w for k, w in weights.items()) / total if total > 0 else None


def search_problem(node: SearchState) -> Problem:
    """The node's problem as the models read it: statement, goals, and the search's aux clauses."""
    problem = node.state.problem
    statement = problem.clauses[: len(problem.clauses) - len(node.aux)]
    return Problem(problem.name, statement, problem.goals, tuple(node.aux))


@dataclass(frozen=True, slots=True)
class Proposal:
    clause: Clause
    score: float


@dataclass(frozen=True)
class LMPolicy:
    """Sampled clauses, scored (see the module docstring) and drawn; `fallback` ranks when the model gave
    nothing usable."""

    settings: LMSettings = LMSettings()
    fallback: Policy | None = None
    counts: CallCounts = field(default_factory=CallCounts, compare=False)

    def proposals(self, node: SearchState) -> list[Proposal]:
        """The model's distinct clauses for the node, best first.  Raises ModelServerError."""
        s = self.settings
        problem = search_problem(node)
        state = state_text(problem)
        body: dict[str, Any] = {
            "prompt": prompt("next", state),
            "n": s.samples,
            "max_tokens": s.max_tokens,
            "temperature": s.temperature,
            "top_p": s.top_p,
            "logprobs": 1,
            "stop": [";"],
        }
        if s.model:
            body["model"] = s.model
        choices = complete(s.url, body, s.timeout)
        best: dict[str, tuple[Clause, float]] = {}
        for choice in choices:
            text = choice.get("text") if isinstance(choice, dict) else None
            if not isinstance(text, str):
                continue
            clauses = parse_clauses(text, problem)
            if not clauses:
                continue
            key = clause_key(clauses[0])
            lp = mean_logprob(choice)
            if key not in best or lp > best[key][1]:
                best[key] = (clauses[0], lp)
        found = list(best.values())
        values = self.values(problem, [c for c, _ in found])
        scored = [Proposal(c, lp - s.value_lambda * v) for (c, lp), v in zip(found, values, strict=True)]
        return sorted(scored, key=lambda p: -p.score)

    def values(self, problem: Problem, clauses: Sequence[Clause]) -> list[float]:
        """Expected aux still needed after each clause (0 for all without a value server or on failure)."""
        s = self.settings
        if s.value_url is None or not clauses:
            return [0.0] * len(clauses)
        prompts = [prompt("value", state_text(problem, (c,))) for c in clauses]
        body: dict[str, Any] = {"prompt": prompts, "n": 1, "max_tokens": 1, "temperature": 0.0, "logprobs": 5}
        if s.value_model:
            body["model"] = s.value_model
        try:
            choices = complete(s.value_url, body, s.timeout)
        except ModelServerError:
            self.counts.add(1)
            return [0.0] * len(clauses)
        out = []
        for i in range(len(clauses)):
            v = expected_value(choices[i]) if i < len(choices) and isinstance(choices[i], dict) else None
            out.append(v if v is not None else 0.0)
        return out

    def model_ranked(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        """The model's candidates, drawn (none if the server failed or answered nothing usable)."""
        self.counts.add(0)
        try:
            proposals = self.proposals(node)
        except ModelServerError:
            self.counts.add(1)
            return []
        ranked = draw_clauses(node, [(p.clause, p.score) for p in proposals], limit, rng)
        if not ranked:
            self.counts.add(2)
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
