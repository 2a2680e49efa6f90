"""Ranking benchmark: CPU seconds of the heuristic policy's first ranking of IMO-AG-30 roots, with the
ranking's memo tables emptied before each (a search's first ranking of a state never hits them) and the
per-process tables that depend only on the point count (orbit representatives) warmed first, as in a
benchmark process that has searched other problems.

    python benchmarks/rank_bench.py 2008_p6 2000_p6 2020_p1 2011_p6 2019_p2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import solvers.search.policy as policy_module  # noqa: E402
import tonggeo.candidates.enumerate as enumerate_module  # noqa: E402
from solvers.search import HeuristicPolicy, SearchState  # noqa: E402
from tonggeo.ddar import initial_state  # noqa: E402
from tonggeo.ddar.premises import split_goals  # noqa: E402
from tonggeo.dsl import load_problems  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="+", help="IMO-AG-30 problems (a part of the name is enough)")
    parser.add_argument("--limit", type=int, default=96, help="candidates asked of the ranking")
    args = parser.parse_args()
    problems = {p.name: p for p in load_problems(ROOT / "problems/imo_ag_30.txt")}
    policy = HeuristicPolicy()
    nodes = []
    for part in args.names:
        problem = problems[next(name for name in problems if part in name)]
        goals, _ = split_goals(problem.goals)
        state = initial_state(problem, np.random.default_rng(0))
        nodes.append((problem.name, SearchState(state, (), tuple(goals))))
    for _, node in nodes:
        policy.rank(node, args.limit, np.random.default_rng(0))
    total = 0.0
    for name, node in nodes:
        for module, table in ((enumerate_module, "_GENERIC_CACHE"), (enumerate_module, "_FIGURE_MEMO"),
                              (policy_module, "_SPEC_PARTS")):
            getattr(module, table, {}).clear()  # trees of other dates may lack some of them
        start = time.process_time()
        policy.rank(node, args.limit, np.random.default_rng(0))
        seconds = time.process_time() - start
        total += seconds
        print(f"{name:40s} {len(node.state.diagram.points):3d} points  {seconds:.3f} CPU s")
    print(f"total {total:.3f} CPU s")


if __name__ == "__main__":
    main()
