"""The `search` strategy: DDAR at the root, then beam search over auxiliary constructions.

It proves at least what `ddar` proves (the root is a DDAR run), and more when auxiliary points help.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from solvers.base import Budget, SolveResult, SolveStatus
from solvers.ddar import solve as ddar_solve
from solvers.search.beam import BeamOutcome, BeamSearch
from solvers.search.expand import Engine, saturate
from solvers.search.node import SearchState
from solvers.search.output import proof_with_aux_json, proof_with_aux_text
from solvers.search.policy import HeuristicPolicy, Policy
from solvers.search.pool import in_worker, make_executor
from solvers.search.proofs import verified_proof
from solvers.search.value import HeuristicValue, Value
from tonggeo.config import DEFAULT_DDAR, DEFAULT_SEARCH, DdarConfig, SearchConfig
from tonggeo.ddar import initial_state
from tonggeo.ddar.numeric import numeric_holds
from tonggeo.ddar.premises import NoExactValue, PremiseError, answered, split_goals
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.ddar.saturate import plans_for

if TYPE_CHECKING:
    import numpy as np

    from tonggeo.dsl.ast import Clause, Problem
    from tonggeo.proof import Proof


def _worker_count(config: SearchConfig, budget: Budget) -> int:
    """SearchConfig.jobs if set, else the budget's jobs when it asks for several, else every core, except
    in a worker process of a parallel run (e.g. `tonggeo solve --jobs N`), which searches alone."""
    if config.jobs is not None:
        return config.jobs
    if budget.jobs > 1:
        return budget.jobs
    if in_worker():
        return 1
    return os.cpu_count() or 1


@dataclass(frozen=True)
class SearchSolver:
    """Beam search over auxiliary constructions on top of DDAR (see `solvers.search`)."""

    config: SearchConfig = DEFAULT_SEARCH
    ddar: DdarConfig = DEFAULT_DDAR
    policy: Policy | None = None
    """None: `HeuristicPolicy(config)`."""
    value: Value | None = None
    """None: `HeuristicValue` relative to the saturated root."""
    name: str = "search"

    def solve(self, problem: Problem, budget: Budget, rng: np.random.Generator) -> SolveResult:
        start = time.monotonic()
        total = min(budget.seconds, self.config.seconds)
        end = start + total
        deadline = start + total * (1.0 - self.config.algebraic_share)  # the beam search's share
        rules = tuple(load_rules())
        try:
            if not problem.goals:
                raise PremiseError("the problem has no goal")
            state = initial_state(problem, rng, config=self.ddar)
            goals, conditions = split_goals(problem.goals, state.diagram.complex_points)
            problem = answered(problem, state.diagram.complex_points)  # acompute... -> the constant
            state.problem = problem
            for condition in conditions:
                pts = [state.numeric.index[a] for a in condition.args]
                if not numeric_holds(state.numeric, condition.name, pts):
                    raise PremiseError(f"goal {condition.to_text()} is false in the diagram")
        except Exception as exc:  # a problem that cannot even start is that problem's error only
            status = SolveStatus.UNPROVED if isinstance(exc, NoExactValue) else SolveStatus.ERROR
            return self._result(status, start, message=f"{type(exc).__name__}: {exc}")
        if not goals:  # only diagram conditions: DDAR's answer is the answer
            result = ddar_solve(problem, timeout=deadline - time.monotonic(), rng=rng, config=self.ddar)
            status = SolveStatus.PROVED if result.status == "proved" else SolveStatus.ERROR
            message = result.message or "configuration facts checked on the diagram, not derived"
            return self._result(status, start, nodes=1, message=message)
        root = SearchState(state, (), tuple(goals))
        engine = Engine(
            rules,
            tuple(plans_for(rules, self.ddar)),
            self.ddar,
            self.config,
            self.policy or HeuristicPolicy(self.config),
            HeuristicValue(0),
        )
        try:
            proved, stats = saturate(root, engine, deadline)
        except Exception as exc:  # an engine failure on the root is this problem's error
            return self._result(
                SolveStatus.ERROR,
                start,
                nodes=1,
                message=f"internal error while saturating: {type(exc).__name__}: {exc}",
            )
        if proved:
            return self._proved(root, rules, start, nodes=1)
        if stats.stopped == "timeout":
            message = "the root saturation ran out of time"
            timed_out = self._result(SolveStatus.TIMEOUT, start, nodes=1, message=message)
            return self._fallback(problem, timed_out, start, end, rng)
        value = self.value or HeuristicValue(len(state.db.records))
        engine = Engine(engine.rules, engine.plans, self.ddar, self.config, engine.policy, value)
        executor = make_executor(engine, _worker_count(self.config, budget))
        try:
            outcome = BeamSearch(engine, executor, rng).run(root, deadline, budget.max_nodes)
        finally:
            executor.close()
        return self._fallback(problem, self._finish(outcome, rules, start), start, end, rng)

    def _fallback(
        self, problem: Problem, result: SolveResult, start: float, end: float, rng: np.random.Generator
    ) -> SolveResult:
        """`result` if it is a proof or the algebraic fallback is off; otherwise the algebraic strategy's
        verdict in the time left, as `holds_generically` (never `proved`: there is no synthetic proof)."""
        left = end - time.monotonic()
        if result.status == SolveStatus.PROVED or self.config.algebraic_share <= 0 or left < 1.0:
            return result
        from solvers.algebraic import AlgebraicSolver

        verdict = AlgebraicSolver().solve(problem, Budget(seconds=left), rng)
        search = f"search: {result.status.value} ({result.message})"
        if verdict.status.holds_algebraically or verdict.status == SolveStatus.REFUTED:
            return replace(
                verdict,
                seconds=time.monotonic() - start,
                solver=self.name,
                nodes=result.nodes,
                message=f"no synthetic proof found; algebraic: {verdict.message.strip()}; {search}",
            )
        tried = f"algebraic fallback: {verdict.status.value} ({verdict.message})"
        return replace(result, seconds=time.monotonic() - start, message=f"{result.message}; {tried}")

    def _finish(self, outcome: BeamOutcome, rules: tuple[Rule, ...], start: float) -> SolveResult:
        stats = outcome.stats
        nodes = stats.nodes + 1
        detail = (
            f"{nodes} nodes ({stats.batches} batches, {stats.failed} not drawable, "
            f"{stats.rejected} proofs rejected), {stats.rounds_run} rounds, "
            f"{stats.levels} levels, saturation {stats.saturation_seconds:.1f} s, "
            f"ranking {stats.rank_seconds:.1f} s"
        )
        winner = outcome.winner
        if outcome.status == "proved" and winner is not None and winner.proof is not None:
            return self._with_proof(winner.proof, winner.aux, rules, start, nodes, detail)
        status = SolveStatus.TIMEOUT if outcome.status == "timeout" else SolveStatus.UNPROVED
        return self._result(status, start, nodes=nodes, message=f"{outcome.status}: {detail}")

    def _proved(self, root: SearchState, rules: tuple[Rule, ...], start: float, nodes: int) -> SolveResult:
        proof, error = verified_proof(root, rules)
        if proof is None:
            return self._result(SolveStatus.ERROR, start, nodes=nodes, message=error or "")
        return self._with_proof(proof, (), rules, start, nodes, "proved by DDAR at the root")

    def _with_proof(
        self,
        proof: Proof,
        aux: tuple[Clause, ...],
        rules: tuple[Rule, ...],
        start: float,
        nodes: int,
        detail: str,
    ) -> SolveResult:
        rule_texts = {r.id: r.to_text() for r in rules}
        return SolveResult(
            status=SolveStatus.PROVED,
            seconds=time.monotonic() - start,
            solver=self.name,
            proof_text=proof_with_aux_text(proof, aux, rule_texts),
            proof_json=proof_with_aux_json(proof, aux),
            aux=tuple(c.to_text() for c in aux),
            nodes=nodes,
            message=f"{len(aux)} auxiliary construction(s); {detail}",
        )

    def _result(self, status: SolveStatus, start: float, *, nodes: int = 0, message: str = "") -> SolveResult:
        return SolveResult(
            status=status, seconds=time.monotonic() - start, solver=self.name, nodes=nodes, message=message
        )
