"""The policy model as search and proposing both use it: for a problem (statement, goals, aux so far),
distinct clauses to add with their scores, best first (`ClauseProposer`).

`ModelProposer` asks an OpenAI-compatible completions endpoint (vLLM, or `tonggeo serve-lm --backend
transformers`) for samples of the next aux clause, keeps the ones that parse (`tonggeo.lm.format`, the
text the models were trained on), and scores each by TongGeometry's beam score

    mean token log-probability - lambda x expected value

where the value model (optional) says how many constructions each clause still leaves to add.
Search's `solvers.search.lm_policy.LMPolicy` draws these clauses; proposing's
`tonggeo.lm.ranker.ModelRanker` orders a walk's candidates by them: one model serves both.

Calls, failures and unusable answers are counted in shared memory (`CallCounts`), so forked search
workers add to the same counts.  Standard library only: no torch.
"""

from __future__ import annotations

import math
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

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
    """Value server's base URL; None: clauses score by log-probability alone."""
    value_model: str | None = None
    samples: int = 32
    """Samples per request (TongGeometry: 32 per call); the tiny models parse often enough only at 32."""
    temperature: float = 1.0
    top_p: float = 0.95
    max_tokens: int = 40
    value_lambda: float = 0.1
    timeout: float = 20.0
    """Seconds to wait for one answer; a slower server counts as failed for that state."""


CALLS, FAILED, UNUSABLE = 0, 1, 2


class CallCounts:
    """Model calls, failed calls (no answer: unreachable, timeout, not a completion) and unusable ones
    (an answer, but not one clause that parses and draws), in shared memory (created before the search
    forks its workers)."""

    def __init__(self) -> None:
        self._values = multiprocessing.get_context("fork").Array("i", 3)

    def add(self, index: int) -> None:
        with self._values.get_lock():
            self._values[index] += 1

    @property
    def calls(self) -> int:
        return int(self._values[CALLS])

    @property
    def failed(self) -> int:
        return int(self._values[FAILED])

    @property
    def unusable(self) -> int:
        return int(self._values[UNUSABLE])

    def summary(self) -> str:
        return f"model calls {self.calls}, failed {self.failed}, unusable {self.unusable}"

    def __getstate__(self) -> tuple[int, int, int]:  # crossing to another machine: a snapshot
        return (self.calls, self.failed, self.unusable)

    def __setstate__(self, state: tuple[int, int, int]) -> None:
        self.__init__()  # type: ignore[misc]
        for i, v in enumerate(state):
            self._values[i] = v


@dataclass(frozen=True, slots=True)
class Proposal:
    """A clause the model proposes and its score (higher is better)."""

    clause: Clause
    score: float


class ClauseProposer(Protocol):
    """Clauses to add to `problem` (its aux so far included) with scores, distinct, best first.  Raises
    `ModelServerError` when the model cannot be asked; an answer with nothing usable is an empty list."""

    def proposals(self, problem: Problem) -> list[Proposal]: ...


def mean_logprob(choice: dict[str, Any]) -> float:
    """Mean log-probability of a sample's tokens (-inf if the server sent none)."""
    logprobs = choice.get("logprobs")
    if not isinstance(logprobs, dict):
        return -math.inf
    values = []
    for v in logprobs.get("token_logprobs") or []:
        try:
            values.append(float(v))
        except (TypeError, ValueError):
            continue
    finite = [v for v in values if math.isfinite(v)]
    return sum(finite) / len(finite) if finite else -math.inf


def expected_value(choice: dict[str, Any]) -> float | None:
    """Expected number of aux constructions still needed, from the value label's top log-probabilities."""
    logprobs = choice.get("logprobs")
    tops = logprobs.get("top_logprobs") if isinstance(logprobs, dict) else None
    if not tops or not isinstance(tops, list) or not isinstance(tops[0], dict):
        return None
    weights = {}
    for k, label in enumerate(VALUE_LABELS):
        try:
            weights[k] = math.exp(float(tops[0][label]))
        except (KeyError, TypeError, ValueError, OverflowError):
            continue
    total = sum(weights.values())
    return sum(k * w for k, w in weights.items()) / total if total > 0 and math.isfinite(total) else None


@dataclass(frozen=True)
class ModelProposer:
    """The policy (and optional value) model behind completions endpoints, as a `ClauseProposer`."""

    settings: LMSettings = LMSettings()
    counts: CallCounts = field(default_factory=CallCounts, compare=False)

    def proposals(self, problem: Problem) -> list[Proposal]:
        s = self.settings
        body: dict[str, Any] = {
            "prompt": prompt("next", state_text(problem)),
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
            text = choice.get("text")
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
        """Expected aux still needed after each clause (0 for all without a value server or on failure,
        which counts as a failed call)."""
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
            self.counts.add(FAILED)
            return [0.0] * len(clauses)
        out = []
        for i in range(len(clauses)):
            v = expected_value(choices[i]) if i < len(choices) else None
            out.append(v if v is not None else 0.0)
        return out
