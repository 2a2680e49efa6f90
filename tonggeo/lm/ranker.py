"""The policy model as a ranker of proposing's walk constructions (`tonggeo.propose.walk.CandidateRanker`):
the candidates whose clause the model samples for the walk's statement come first (most sampled first),
then the rest in the fallback ranker's order.  A failing server leaves the fallback's order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tonggeo.constructions.enumerate import Candidate
from tonggeo.diagram import Diagram
from tonggeo.lm.client import ModelServerError, complete
from tonggeo.lm.format import clause_key, parse_clauses, prompt, state_text
from tonggeo.propose.rankers import PriorRanker


@dataclass
class ModelRanker:
    url: str
    samples: int = 16
    timeout: float = 20.0
    fallback: PriorRanker = field(default_factory=PriorRanker)
    failed: int = 0
    """Calls that got no answer."""

    def rank(
        self, diagram: Diagram, candidates: Sequence[Candidate], rng: np.random.Generator
    ) -> list[Candidate]:
        base = list(self.fallback.rank(diagram, candidates, rng))
        problem = diagram.problem
        body = {
            "prompt": prompt("next", state_text(problem)),
            "n": self.samples,
            "max_tokens": 40,
            "temperature": 1.0,
            "top_p": 0.95,
            "stop": [";"],
        }
        try:
            choices = complete(self.url, body, self.timeout)
        except ModelServerError:
            self.failed += 1
            return base
        votes: Counter[str] = Counter()
        for choice in choices:
            text = choice.get("text")
            clauses = parse_clauses(text, problem) if isinstance(text, str) else []
            if clauses:
                votes[clause_key(clauses[0])] += 1
        order = {id(c): k for k, c in enumerate(base)}
        return sorted(base, key=lambda c: (-votes.get(clause_key(c.clause), 0), order[id(c)]))
