"""The `search` strategy end to end: problems DDAR cannot prove alone get an auxiliary point and a
proof the checker accepts; the proof lists the auxiliary constructions first; the first proof wins."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np
import pytest

from solvers import Budget, SolveStatus, get_solver
from solvers.ddar import solve as ddar_solve
from solvers.search import HeuristicPolicy, Ranked, SearchSolver, SearchState
from solvers.search.output import AUX_HEADER
from tonggeo.config import SearchConfig
from tonggeo.dsl import parse_problem
from tonggeo.proof import check_proof, proof_from_json

# JGEX-AG-231 problems that DDAR alone leaves open and one auxiliary point settles.
ONE_AUX = {
    "L058-9": "a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b"
    " ? cong e c c d",
    "E051-9": "a b = segment a b; c = s_angle b a c 30; d = mirror d b c; e = foot e d a b ? cong d e a c",
}
INLINE = SearchConfig(jobs=1, depth=1, beam_width=4, candidates_per_expansion=8)


@pytest.mark.parametrize("name", sorted(ONE_AUX))
def test_problem_needing_one_aux_point_is_proved_with_it(name: str) -> None:
    problem = parse_problem(ONE_AUX[name], name)
    assert ddar_solve(problem, timeout=30, rng=np.random.default_rng(0)).status == "unproved"

    result = SearchSolver(INLINE).solve(problem, Budget(seconds=60), np.random.default_rng(0))
    assert result.status == SolveStatus.PROVED, result.message
    assert len(result.aux) == 1 and result.nodes >= 2
    assert result.proof_text is not None and result.proof_json is not None

    # the auxiliary construction comes first, in the DSL, and the problem with it parses back
    lines = result.proof_text.splitlines()
    assert lines[1] == AUX_HEADER and lines[2].strip() == result.aux[0]
    assert lines.index(AUX_HEADER) < next(i for i, line in enumerate(lines) if line.startswith("Goal:"))
    data = json.loads(result.proof_json)
    assert data["aux"] == list(result.aux)

    # the independent checker accepts the proof against the statement extended by the aux clause
    statement, goals = problem.to_text().split(" ? ")
    extended = parse_problem(f"{statement}; {result.aux[0]} ? {goals}", name)
    assert check_proof(proof_from_json(data), extended).ok


def test_problem_ddar_proves_is_proved_at_the_root() -> None:
    problem = parse_problem(
        "a b c = triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a b", "mid"
    )
    result = SearchSolver(INLINE).solve(problem, Budget(seconds=30), np.random.default_rng(0))
    assert result.status == SolveStatus.PROVED and result.aux == () and result.nodes == 1
    assert AUX_HEADER not in (result.proof_text or "")


def test_unprovable_within_depth_zero_is_unproved() -> None:
    problem = parse_problem(ONE_AUX["L058-9"], "L058-9")
    config = SearchConfig(jobs=1, depth=0, algebraic_share=0.0)
    result = SearchSolver(config).solve(problem, Budget(seconds=30), np.random.default_rng(0))
    assert result.status == SolveStatus.UNPROVED and result.nodes == 1


def test_algebraic_fallback_says_holds_generically_never_proved() -> None:
    problem = parse_problem(ONE_AUX["L058-9"], "L058-9")
    config = SearchConfig(jobs=1, depth=0, algebraic_share=0.5)
    result = SearchSolver(config).solve(problem, Budget(seconds=40), np.random.default_rng(0))
    assert result.status == SolveStatus.HOLDS_GENERICALLY and result.proof_text is None
    assert result.message.startswith("no synthetic proof found; algebraic:")
    assert "search: unproved" in result.message
    assert result.conditions  # the non-degeneracy conditions the verdict rests on are reported


def test_algebraic_fallback_does_not_hold_a_false_goal() -> None:
    # the goal of L058-9 with one point swapped: numerically false, so neither search nor algebra succeeds
    problem = parse_problem(ONE_AUX["L058-9"].replace("cong e c c d", "cong e c c b"), "false")
    config = SearchConfig(jobs=1, depth=0, algebraic_share=0.5)
    result = SearchSolver(config).solve(problem, Budget(seconds=40), np.random.default_rng(0))
    assert not result.solved


def test_search_is_registered() -> None:
    solver = get_solver("search")
    assert solver.name == "search" and isinstance(solver, SearchSolver)


@dataclass(frozen=True)
class _Scripted:
    """A policy that returns the heuristic policy's candidates with a chosen one moved to the front."""

    first: str

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        found = HeuristicPolicy(SearchConfig(jobs=1)).rank(node, 64, rng)
        front = [r for r in found if r.clause.to_text().split(" = ")[1].startswith(self.first)]
        rest = [r for r in found if r not in front]
        return (front[:1] + rest)[:limit]


@dataclass(frozen=True)
class _SlowValue:
    """Scores every open child 0 after sleeping: building the whole level would take long."""

    seconds: float

    def score(self, node: SearchState) -> float:
        time.sleep(self.seconds)
        return 0.0


def test_first_verified_proof_stops_the_inline_search() -> None:
    problem = parse_problem(ONE_AUX["E051-9"], "E051-9")
    config = SearchConfig(jobs=1, depth=1, beam_width=1, candidates_per_expansion=1, root_candidates=12)
    solver = SearchSolver(config, policy=_Scripted("reflect"), value=_SlowValue(0.0))
    result = solver.solve(problem, Budget(seconds=60), np.random.default_rng(0))
    assert result.status == SolveStatus.PROVED
    assert result.nodes == 2  # the root and the first child: the other eleven were never built


def test_first_verified_proof_stops_the_workers() -> None:
    problem = parse_problem(ONE_AUX["E051-9"], "E051-9")
    config = SearchConfig(jobs=2, depth=1, beam_width=1, candidates_per_expansion=1, root_candidates=8)
    solver = SearchSolver(config, policy=_Scripted("reflect"), value=_SlowValue(20.0))
    start = time.monotonic()
    result = solver.solve(problem, Budget(seconds=120), np.random.default_rng(0))
    elapsed = time.monotonic() - start
    assert result.status == SolveStatus.PROVED
    # seven open children sleep 20 s each in the value: waiting for them would take over a minute
    assert elapsed < 40, elapsed
    assert result.nodes <= 3


@dataclass(frozen=True)
class _Third:
    """The heuristic ranking with the candidate `first` moved to third place."""

    first: str

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        found = _Scripted(self.first).rank(node, 64, rng)
        return (found[1:3] + found[:1] + found[3:])[:limit]


def test_a_batch_proves_with_only_the_constructions_its_proof_needs() -> None:
    problem = parse_problem(ONE_AUX["E051-9"], "E051-9")
    # one single child (rank 0, no proof), then ranks 0-7 drawn together: the batch proves it
    config = SearchConfig(jobs=1, depth=1, beam_width=1, candidates_per_expansion=1, root_candidates=1,
                          root_batches=1, batch_size=8)
    result = SearchSolver(config, policy=_Third("reflect")).solve(problem, Budget(seconds=60),
                                                                 np.random.default_rng(0))
    assert result.status == SolveStatus.PROVED, result.message
    assert result.nodes == 3 and "1 batches" in result.message
    assert 1 <= len(result.aux) < 8
    assert result.proof_json is not None and json.loads(result.proof_json)["aux"] == list(result.aux)
