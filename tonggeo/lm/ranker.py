"""The policy model as a ranker of proposing's walk constructions (`tonggeo.propose.walk.CandidateRanker`).

It asks the same `ClauseProposer` as search's `LMPolicy` (`tonggeo.lm.proposer`: the model's clauses and
scores for a problem) for the walk's statement; the candidates whose clause the model proposes come first,
by the model's score, then the rest in the fallback ranker's order.  A failing server, or an answer with
nothing usable, leaves the fallback's order (and is counted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tonggeo.candidates.enumerate import Candidate
from tonggeo.diagram import Diagram
from tonggeo.lm.client import ModelServerError
from tonggeo.lm.format import clause_key
from tonggeo.lm.proposer import CALLS, FAILED, UNUSABLE, CallCounts, ClauseProposer, LMSettings, ModelProposer
from tonggeo.propose.rankers import PriorRanker


@dataclass
class ModelRanker:
    model: ClauseProposer
    fallback: PriorRanker = field(default_factory=PriorRanker)
    counts: CallCounts = field(default_factory=CallCounts)
    """Calls, failed calls (no answer) and unusable answers (no clause among the candidates' keys)."""

    @classmethod
    def at(cls, url: str, *, samples: int = 16, timeout: float = 20.0) -> ModelRanker:
        """A ranker asking the policy server at `url` (no value model)."""
        counts = CallCounts()
        settings = LMSettings(url=url, samples=samples, timeout=timeout)
        return cls(ModelProposer(settings, counts), counts=counts)

    @property
    def failed(self) -> int:
        return self.counts.failed

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        base = list(self.fallback.rank(diagram, candidates, rng))
        self.counts.add(CALLS)
        try:
            proposals = self.model.proposals(diagram.problem)
        except ModelServerError:
            self.counts.add(FAILED)
            return base
        except Exception:  # an answer the parsing chokes on: unusable, the walk goes on
            self.counts.add(UNUSABLE)
            return base
        scores: dict[str, float] = {}
        for p in proposals:
            scores.setdefault(clause_key(p.clause), p.score)
        if not any(clause_key(c.clause) in scores for c in base):
            self.counts.add(UNUSABLE)
            return base
        proposed = [c for c in base if clause_key(c.clause) in scores]
        proposed.sort(key=lambda c: -scores[clause_key(c.clause)])  # stable: ties keep the fallback's order
        rest = [c for c in base if clause_key(c.clause) not in scores]
        return proposed + rest
