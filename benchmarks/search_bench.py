"""Search benchmark: the `search` strategy (DDAR at the root, beam search over auxiliary constructions) on
IMO-AG-30 and JGEX-AG-231.  Per problem: proved or not, seconds, auxiliary points used, nodes built.
Writes the "Search" section of BENCHMARKS.md and one JSON line per problem to --results.

    python benchmarks/search_bench.py --budget 600                 # the 10-minute target run
    python benchmarks/search_bench.py --budget 90 --results /tmp/search.jsonl --resume
    python benchmarks/search_bench.py --sets IMO-AG-30 --names 2012_p5 2018_p1 --no-write

Problems DDAR proves alone are proved at the root in a second or two, so a full run costs about the
budget times the number of problems DDAR leaves open.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from solvers.base import Budget  # noqa: E402
from solvers.search import SearchSolver  # noqa: E402
from tonggeo.config import DEFAULT_SEARCH, SearchConfig  # noqa: E402
from tonggeo.dsl import Problem, load_problems  # noqa: E402

SETS = {"IMO-AG-30": "problems/imo_ag_30.txt", "JGEX-AG-231": "problems/jgex_ag_231.txt"}
TARGETS = {"IMO-AG-30": 22, "JGEX-AG-231": 225}
SECTION = "## Search"


@dataclass
class Row:
    set: str
    name: str
    status: str
    seconds: float
    aux: list[str]
    nodes: int
    message: str


def run_one(label: str, problem: Problem, solver: SearchSolver, budget: Budget, seed: int) -> Row:
    result = solver.solve(problem, budget, np.random.default_rng(seed))
    return Row(label, problem.name, result.status.value, round(result.seconds, 2), list(result.aux),
               result.nodes, result.message)


def fmt_seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "-"


def render(rows: list[Row], args: argparse.Namespace, config: SearchConfig, wall: float) -> str:
    lines = [SECTION, ""]
    lines.append(f"Command: `python benchmarks/search_bench.py {' '.join(sys.argv[1:])}`.")
    lines.append(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"{platform.system()} {platform.release()}; shared with other jobs. Date: {date.today()}.")
    root = config.root_candidates or config.beam_width * config.candidates_per_expansion
    lines.append(f"Budget: {args.budget:g} s per problem, {args.jobs} worker process(es); beam width "
                 f"{config.beam_width}, depth {config.depth}, {config.candidates_per_expansion} candidates "
                 f"per expansion ({root} at the root), {config.node_seconds:g} s per child saturation. "
                 f"Wall time {wall / 60:.1f} min.")
    lines.append("")
    lines.append("| set | problems | proved | at the root (DDAR) | with auxiliary points | target | "
                 "median s (proved with aux) | nodes (all problems) |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label in SETS:
        mine = [r for r in rows if r.set == label]
        if not mine:
            continue
        proved = [r for r in mine if r.status == "proved"]
        with_aux = [r for r in proved if r.aux]
        at_root = len(proved) - len(with_aux)
        lines.append(f"| {label} | {len(mine)} | {len(proved)} | {at_root} | {len(with_aux)} | "
                     f">= {TARGETS[label]} at 600 s | {fmt_seconds([r.seconds for r in with_aux])} | "
                     f"{sum(r.nodes for r in mine)} |")
    lines.append("")
    lines.append("Problems not proved at the root:")
    lines.append("")
    lines.append("| set | problem | status | seconds | nodes | auxiliary constructions |")
    lines.append("| --- | --- | --- | ---: | ---: | --- |")
    for r in rows:
        if r.status == "proved" and not r.aux:
            continue
        aux = "; ".join(f"`{a}`" for a in r.aux) or "-"
        lines.append(f"| {r.set} | {r.name} | {r.status} | {r.seconds:.1f} | {r.nodes} | {aux} |")
    lines.append("")
    return "\n".join(lines)


def write_section(text: str, path: Path) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    block = text.rstrip() + "\n\n"
    new = pattern.sub(lambda _: block, old) if pattern.search(old) else old.rstrip() + "\n\n" + block
    path.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=600.0, help="seconds per problem")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="search worker processes")
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--names", nargs="*", default=None, help="only names containing one of these")
    parser.add_argument("--limit", type=int, default=0, help="only the first N problems of each set")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--results", type=Path, default=None, help="append one JSON line per problem here")
    parser.add_argument("--resume", action="store_true", help="skip problems already in --results")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    args = parser.parse_args()

    config = SearchConfig(jobs=args.jobs, seconds=args.budget, **{
        k: getattr(DEFAULT_SEARCH, k) for k in ("beam_width", "depth", "candidates_per_expansion")
    })
    solver = SearchSolver(config)
    budget = Budget(seconds=args.budget, jobs=args.jobs)
    done: dict[tuple[str, str], Row] = {}
    if args.resume and args.results is not None and args.results.exists():
        for line in args.results.read_text(encoding="utf-8").splitlines():
            row = Row(**json.loads(line))
            done[(row.set, row.name)] = row
    rows: list[Row] = []
    start = time.monotonic()
    for label in args.sets:
        problems = load_problems(ROOT / SETS[label])
        if args.limit:
            problems = problems[: args.limit]
        for problem in problems:
            if args.names and not any(n in problem.name for n in args.names):
                continue
            if (label, problem.name) in done:
                rows.append(done[(label, problem.name)])
                continue
            row = run_one(label, problem, solver, budget, args.seed)
            rows.append(row)
            print(f"{label} {row.name}: {row.status} {row.seconds:.1f}s nodes={row.nodes} aux={row.aux}",
                  flush=True)
            if args.results is not None:
                with args.results.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(asdict(row)) + "\n")
    text = render(rows, args, config, time.monotonic() - start)
    print(text)
    if not args.no_write:
        write_section(text, ROOT / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
