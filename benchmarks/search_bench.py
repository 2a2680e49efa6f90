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
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import replace_section  # noqa: E402

from solvers.base import Budget  # noqa: E402
from solvers.search import SearchSolver  # noqa: E402
from tonggeo.config import DEFAULT_SEARCH, SearchConfig  # noqa: E402
from tonggeo.dsl import Problem, load_problems  # noqa: E402

SETS = {"IMO-AG-30": "problems/imo_ag_30.txt", "JGEX-AG-231": "problems/jgex_ag_231.txt"}
TARGETS = {"IMO-AG-30": 22, "JGEX-AG-231": 225}
SECTION = "Search"


@dataclass
class Row:
    set: str
    name: str
    status: str
    seconds: float
    aux: list[str]
    nodes: int
    message: str
    cpu: float = 0.0
    """CPU seconds of this process and its finished children while solving (1 worker: all of the search)"""


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_one(label: str, problem: Problem, solver: SearchSolver, budget: Budget, seed: int) -> Row:
    cpu = cpu_seconds()
    result = solver.solve(problem, budget, np.random.default_rng(seed))
    return Row(label, problem.name, result.status.value, round(result.seconds, 2), list(result.aux),
               result.nodes, result.message, round(cpu_seconds() - cpu, 3))


def throughput(rows: list[Row]) -> str:
    """Nodes (children built) per CPU-second over the problems the root saturation left open."""
    searched = [r for r in rows if r.nodes > 1 and r.cpu > 0]
    nodes, cpu = sum(r.nodes for r in searched), sum(r.cpu for r in searched)
    rate = nodes / cpu if cpu else 0.0
    return (f"throughput: {nodes} nodes in {cpu:.1f} CPU s on {len(searched)} searched problems = "
            f"{rate:.3f} nodes/CPU-s")


def fresh_reproofs(rows: list[Row], seeds: tuple[int, ...] = (1, 2)) -> tuple[int, list[str]]:
    """Each proof with auxiliary points re-proved by DDAR (and its checker) on fresh diagrams, the
    auxiliary clauses appended to the statement: (how many re-prove on every seed, names that do not)."""
    from solvers.ddar import solve
    from tonggeo.dsl import parse_problem

    problems = {label: {p.name: p for p in load_problems(ROOT / path)} for label, path in SETS.items()}
    good, failed = 0, []
    for row in rows:
        if row.status != "proved" or not row.aux:
            continue
        problem = problems[row.set][row.name]
        clauses = "; ".join([*(c.to_text() for c in problem.clauses), *row.aux])
        extended = parse_problem(f"{clauses} ? {'; '.join(g.to_text() for g in problem.goals)}", row.name)
        if all(solve(extended, timeout=60, rng=np.random.default_rng(s)).status == "proved" for s in seeds):
            good += 1
        else:
            failed.append(row.name)
    return good, failed


@dataclass
class IncrementalRow:
    name: str
    root_seconds: float
    root_rounds: int
    child_seconds: float
    child_rounds: int
    child_matches: int
    scratch_seconds: float
    scratch_rounds: int
    scratch_matches: int


def incremental(seed: int) -> list[IncrementalRow]:
    """For each Newclid IMO problem with auxiliary clauses: saturate the statement, extend a fork by the
    first auxiliary clause and saturate it from there (what a search child does), against saturating the
    statement with that clause from scratch.  Matches are complete rule matches considered."""
    from tonggeo.ddar import initial_state
    from tonggeo.ddar.match import Plan
    from tonggeo.ddar.premises import split_goals
    from tonggeo.ddar.rules import load_rules
    from tonggeo.ddar.saturate import Saturator, plans_for

    class Counting(Saturator):
        matches = 0

        def fire(self, plan: Plan, binding: list[int]) -> None:
            self.matches += 1
            super().fire(plan, binding)

    plans = plans_for(load_rules())
    rows = []
    for problem in load_problems(ROOT / "problems" / "newclid" / "imo.txt"):
        if not problem.aux:
            continue
        rng = np.random.default_rng(seed)
        try:
            goals, _ = split_goals(problem.goals)
            parent = initial_state(problem, rng)
            start = time.perf_counter()
            root = Counting(parent.db, plans)
            if root.run(goals):
                continue  # proved at the root: no child to build
            root_seconds = time.perf_counter() - start
            child = parent.extend(problem.aux[0], rng)
            start = time.perf_counter()
            inc = Counting(child.db, plans)
            inc.run(goals)
            child_seconds = time.perf_counter() - start
            extended = replace(problem, clauses=(*problem.clauses, problem.aux[0]), aux=())
            fresh = initial_state(extended, np.random.default_rng(seed))
            start = time.perf_counter()
            scratch = Counting(fresh.db, plans)
            scratch.run(goals)
            scratch_seconds = time.perf_counter() - start
        except Exception as exc:  # a problem the engine cannot set up is left out of the table
            print(f"incremental: {problem.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        rows.append(IncrementalRow(problem.name, root_seconds, root.stats.rounds, child_seconds,
                                   inc.stats.rounds, inc.matches, scratch_seconds, scratch.stats.rounds,
                                   scratch.matches))
        print(f"incremental {problem.name}: child {child_seconds:.2f}s vs scratch {scratch_seconds:.2f}s",
              flush=True)
    return rows


def render_incremental(rows: list[IncrementalRow]) -> str:
    lines = ["### Children saturate from the parent's database", ""]
    lines.append("Each Newclid IMO problem with auxiliary clauses: the statement saturated (the root), a "
                 "fork extended by the first auxiliary clause and saturated from there (a search child), and "
                 "the statement with that clause saturated from scratch. Matches: complete rule matches the "
                 "saturation considered.")
    lines.append("")
    lines.append("| problem | root s (rounds) | child s (rounds) | child matches | scratch s (rounds) | "
                 "scratch matches | child / scratch time |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        ratio = r.child_seconds / r.scratch_seconds if r.scratch_seconds > 0 else float("nan")
        lines.append(f"| {r.name} | {r.root_seconds:.2f} ({r.root_rounds}) | {r.child_seconds:.2f} "
                     f"({r.child_rounds}) | {r.child_matches} | {r.scratch_seconds:.2f} "
                     f"({r.scratch_rounds}) | {r.scratch_matches} | {ratio:.2f} |")
    if rows:
        child = sum(r.child_seconds for r in rows)
        scratch = sum(r.scratch_seconds for r in rows)
        lines.append(f"| total | {sum(r.root_seconds for r in rows):.2f} | {child:.2f} | "
                     f"{sum(r.child_matches for r in rows)} | {scratch:.2f} | "
                     f"{sum(r.scratch_matches for r in rows)} | {child / scratch:.2f} |")
    lines.append("")
    return "\n".join(lines)


def fmt_seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "-"


def render(
    rows: list[Row], args: argparse.Namespace, config: SearchConfig, wall: float,
    algebraic: dict[str, set[str]],
) -> str:
    lines = [f"## {SECTION}", ""]
    lines.append(f"Command: `python benchmarks/search_bench.py {' '.join(sys.argv[1:])}`.")
    lines.append(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
                 f"{platform.system()} {platform.release()}; shared with other jobs. Date: {date.today()}.")
    root = config.root_candidates or config.beam_width * config.candidates_per_expansion
    lines.append(f"Budget: {args.budget:g} s per problem, {args.jobs} worker process(es); beam width "
                 f"{config.beam_width}, depth {config.depth}, {config.candidates_per_expansion} candidates "
                 f"per expansion ({root} at the root), {config.node_seconds:g} s per child saturation. "
                 f"Wall time {wall / 60:.1f} min.")
    lines.append("")
    lines.append(f"Algebraic fallback share of the budget: {config.algebraic_share:g}.")
    lines.append("")
    lines.append("| set | problems | proved (synthetic, checked) | at the root (DDAR) | "
                 "with auxiliary points | holds generically only (Wu fallback) | "
                 "proved or holds generically | target | median s (proved with aux) | nodes (all problems) |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label in SETS:
        mine = [r for r in rows if r.set == label]
        if not mine:
            continue
        proved = [r for r in mine if r.status == "proved"]
        with_aux = [r for r in proved if r.aux]
        at_root = len(proved) - len(with_aux)
        generic = {r.name for r in mine if r.status == "holds_generically"}
        generic |= {name for name in algebraic.get(label, set()) if name not in {r.name for r in proved}}
        lines.append(f"| {label} | {len(mine)} | {len(proved)} | {at_root} | {len(with_aux)} | "
                     f"{len(generic)} | {len(proved) + len(generic)} | >= {TARGETS[label]} at 600 s | "
                     f"{fmt_seconds([r.seconds for r in with_aux])} | {sum(r.nodes for r in mine)} |")
    lines.append("")
    if algebraic:
        lines.append("Holds generically only: counted from the search rows with that status and, with "
                     "`--algebraic-json`, from the Wu/Groebner benchmark's rows (Algebraic section) for the "
                     "problems the search left open. Such a problem has no synthetic proof.")
        lines.append("")
    if args.verify:
        good, failed = fresh_reproofs(rows)
        missed = f"; not: {', '.join(failed)}" if failed else ""
        lines.append(f"Fresh diagrams: {good} of {good + len(failed)} proofs with auxiliary points are "
                     "proved again by DDAR and its checker on two new diagrams (seeds 1 and 2) with the "
                     f"auxiliary clauses appended to the statement{missed}.")
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
    parser.add_argument("--incremental", action="store_true", help="also measure child vs scratch saturation")
    parser.add_argument("--verify", action="store_true",
                        help="re-prove every proof with auxiliary points on two fresh diagrams")
    parser.add_argument("--algebraic-share", type=float, default=DEFAULT_SEARCH.algebraic_share,
                        help="share of the budget kept for the Wu/Groebner fallback (0: search only)")
    parser.add_argument("--algebraic-json", type=Path, default=None,
                        help="rows of `algebraic_bench.py --json`: what Wu holds among the open problems")
    args = parser.parse_args()

    config = SearchConfig(jobs=args.jobs, seconds=args.budget, algebraic_share=args.algebraic_share, **{
        k: getattr(DEFAULT_SEARCH, k) for k in ("beam_width", "depth", "candidates_per_expansion")
    })
    algebraic: dict[str, set[str]] = {}
    if args.algebraic_json is not None:
        files = {"imo": "IMO-AG-30", "jgex": "JGEX-AG-231"}  # algebraic_bench.py's file keys
        for item in json.loads(args.algebraic_json.read_text(encoding="utf-8")):
            label = files.get(str(item["file"]), str(item["file"]))
            if item["status"] == "holds_generically":
                algebraic.setdefault(label, set()).add(str(item["problem"]))
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
            print(f"{label} {row.name}: {row.status} {row.seconds:.1f}s cpu={row.cpu:.1f}s nodes={row.nodes} "
                  f"aux={row.aux}", flush=True)
            if args.results is not None:
                with args.results.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(asdict(row)) + "\n")
    print(throughput(rows), flush=True)
    text = render(rows, args, config, time.monotonic() - start, algebraic)
    if args.incremental:
        text += "\n" + render_incremental(incremental(args.seed))
    print(text)
    if not args.no_write:
        replace_section(ROOT / "BENCHMARKS.md", SECTION, text)


if __name__ == "__main__":
    main()
