"""A learned policy's seam: ask a language model served behind an OpenAI-compatible chat endpoint (vLLM,
llama.cpp server, ...) for auxiliary constructions.

The model receives the problem in the DSL (with the auxiliary clauses added so far) and the facts the
deduction has derived, and answers with DSL clauses, one per line.  Each answer is parsed, renamed onto
free point names and drawn on the state's diagram; unparsable, undrawable and repeated answers are
dropped.  If the endpoint fails or returns nothing usable, the fallback policy (if any) ranks instead.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from solvers.search.expand import renamed
from solvers.search.goals import GoalObjects
from solvers.search.node import SearchState
from solvers.search.policy import Policy, Ranked
from tonggeo.config import DEFAULT_LM_POLICY, LMPolicyConfig
from tonggeo.constructions.enumerate import fresh_names
from tonggeo.diagram import DiagramError
from tonggeo.diagram.build import realise_clause
from tonggeo.dsl import DslError, parse_problem
from tonggeo.dsl.ast import Clause
from tonggeo.facts import fact_text
from tonggeo.facts.justification import Given

SYSTEM = (
    "You propose auxiliary constructions for olympiad geometry proofs. Answer with constructions in the "
    "problem's language, one clause per line (for example `x = midpoint x a b` or "
    "`x = on_line x a b, on_circle x o c`), best first, and nothing else."
)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class PolicyServerError(RuntimeError):
    """The endpoint could not be reached or answered something that is not a chat completion."""


def derived_facts(node: SearchState, limit: int) -> list[str]:
    """Up to `limit` derived facts in the DSL, those about the goal's points first."""
    goals = GoalObjects.of(node.goals)
    facts = [r.fact for r in node.state.db.records if not isinstance(r.why, Given)]
    order = sorted(range(len(facts)), key=lambda i: (-goals.overlap(facts[i].args), i))
    return [fact_text(facts[i]) for i in order[:limit]]


def prompt(node: SearchState, limit: int, max_facts: int) -> str:
    problem = node.state.problem
    facts = derived_facts(node, max_facts)
    return "\n".join([
        f"Problem: {problem.to_text()}",
        "Derived facts:" if facts else "Derived facts: none",
        *facts,
        f"Propose up to {limit} auxiliary constructions that would help prove the goal.",
    ])


def parse_answer(text: str, node: SearchState) -> Iterable[Clause]:
    """The DSL clauses in a model's answer, in order (lines that do not parse are skipped)."""
    problem = node.state.problem
    statement = "; ".join(c.to_text() for c in problem.clauses)
    taken = set(node.state.diagram.points)
    for line in text.splitlines():
        line = line.strip().strip("`").strip()
        if line[:2] in ("- ", "* "):
            line = line[2:]
        if "=" not in line:
            continue
        line = _fresh_left_side(line, taken)
        try:
            parsed = parse_problem(f"{statement} | {line}", problem.name)
        except DslError:
            continue
        if len(parsed.aux) == 1:
            yield parsed.aux[0]


def _fresh_left_side(line: str, taken: set[str]) -> str:
    """The clause text with the new points it names (left of '=') that already exist renamed onto free
    names everywhere in it (a model may reuse a name)."""
    names = [token.split("@")[0] for token in line.partition("=")[0].split()]
    clash = [n for n in names if n in taken]
    if not clash:
        return line
    mapping = dict(zip(clash, fresh_names(taken | set(names), len(clash)), strict=True))
    return _NAME.sub(lambda m: mapping.get(m.group(0), m.group(0)), line)


@dataclass(frozen=True)
class LMPolicy:
    """See the module docstring."""

    config: LMPolicyConfig = DEFAULT_LM_POLICY
    fallback: Policy | None = None

    def ask(self, node: SearchState, limit: int) -> list[str]:
        """The model's answers (one text per sample).  Raises PolicyServerError."""
        cfg = self.config
        body = {
            "model": cfg.model,
            "messages": [
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": prompt(node, limit, cfg.max_facts)},
            ],
            "temperature": cfg.temperature,
            "n": cfg.samples,
            "max_tokens": cfg.max_tokens,
        }
        headers = {"Content-Type": "application/json"}
        if cfg.api_key:
            headers["Authorization"] = f"Bearer {cfg.api_key}"
        request = urllib.request.Request(
            cfg.endpoint.rstrip("/") + "/chat/completions",
            data=json.dumps(body).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=cfg.timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise PolicyServerError(f"{cfg.endpoint}: {exc}") from exc
        try:
            return [str(choice["message"]["content"]) for choice in data["choices"]]
        except (KeyError, TypeError) as exc:
            raise PolicyServerError(f"{cfg.endpoint}: not a chat completion: {str(data)[:200]}") from exc

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        try:
            answers = self.ask(node, limit)
        except PolicyServerError:
            answers = []
        ranked = self.drawn(node, (c for text in answers for c in parse_answer(text, node)), limit, rng)
        if not ranked and self.fallback is not None:
            return self.fallback.rank(node, limit, rng)
        return ranked

    def drawn(
        self, node: SearchState, clauses: Iterable[Clause], limit: int, rng: np.random.Generator
    ) -> list[Ranked]:
        """The clauses drawn on the state's diagram (new points renamed onto free names), scored by their
        order; undrawable ones and ones landing on known points are dropped."""
        diagram = node.state.diagram
        tol = 1e-6 * max(diagram.radius, 1e-9)
        seen = list(diagram.complex_points.values())
        out: list[Ranked] = []
        for clause in clauses:
            clause = renamed(clause, diagram.points)
            try:
                new, _ = realise_clause(diagram, clause, rng, retries=2)
            except DiagramError:
                continue
            coords = tuple(new[p] for p in clause.point_names)
            if any(abs(z - w) <= tol for z in coords for w in seen):
                continue
            seen.extend(coords)
            out.append(Ranked(clause, coords, float(-len(out))))
            if len(out) >= limit:
                break
        return out
