"""Run the algebraic strategy (Wu's method, Groebner fallback) on IMO-AG-30 and JGEX-AG-231.

Each problem runs in its own child process with a per-problem timeout; `--jobs` problems run at once.
Writes the "Algebraic (Wu/Groebner)" section of BENCHMARKS.md (counts, timings, every problem's
status and time), leaving the other sections as they are.

    python benchmarks/algebraic_bench.py [--timeout 60] [--jobs 2] [--files imo jgex] [--controls]

`--controls` adds two kinds of negative controls (numeric refutation off): goals made false by swapping
an argument (must not hold at all), and goals true on one component of their hypotheses only (must
never be reported as holding generically).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import cpu_model, replace_section  # noqa: E402

from solvers.algebraic import AlgebraicSolver, run_prover_isolated  # noqa: E402
from solvers.base import Budget, SolveStatus  # noqa: E402
from tonggeo.config import AlgebraicSolverConfig  # noqa: E402
from tonggeo.diagram import DiagramError, build_diagram, check_predicate  # noqa: E402
from tonggeo.dsl.ast import Goal, Problem  # noqa: E402
from tonggeo.dsl.parser import load_problems, parse_problem  # noqa: E402

FILES = {"imo": "problems/imo_ag_30.txt", "jgex": "problems/jgex_ag_231.txt"}
SECTION = "Algebraic (Wu/Groebner)"
REFERENCE = {"imo": "AlphaGeometry paper: Wu's method alone 10/30"}


@dataclass(frozen=True, slots=True)
class Row:
    file: str
    problem: str
    status: str
    seconds: float
    message: str


def run_one(key: str, index: int, problem: Problem, timeout: float, seed: int) -> Row:
    solver = AlgebraicSolver()
    rng = np.random.default_rng([seed, index])
    result = solver.solve(problem, Budget(seconds=timeout), rng)
    return Row(key, problem.name, result.status.value, result.seconds, result.message)


def run_file(key: str, timeout: float, jobs: int, seed: int, limit: int | None) -> tuple[list[Row], float]:
    problems = load_problems(ROOT / FILES[key])
    if limit is not None:
        problems = problems[:limit]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, key, i, p, timeout, seed) for i, p in enumerate(problems)]
        rows = []
        for future in futures:
            row = future.result()
            rows.append(row)
            print(f"{row.status:18s} {row.seconds:7.2f}s  {row.problem}", flush=True)
    return rows, time.perf_counter() - start


def false_variants(problem: Problem, points: dict[str, np.ndarray], limit: int = 2) -> list[Problem]:
    """The problem with its first goal's arguments changed, one at a time, to another point of the
    problem so that the goal is numerically false on the diagram (negative controls)."""
    goal = problem.goals[0]
    others = [p for p in problem.points if p not in goal.args]
    found = []
    for i, arg in enumerate(goal.args):
        if arg not in points:
            continue
        for other in others[:4]:
            args = tuple(other if j == i else a for j, a in enumerate(goal.args))
            try:
                if not check_predicate(goal.name, args, points):
                    goals = (Goal(goal.name, args),)
                    found.append(Problem(problem.name, problem.clauses, goals, problem.aux))
                    break
            except ValueError:
                continue
        if len(found) >= limit:
            break
    return found


# Goals true on one component of their hypotheses only: the diagram's choice of an intersection (or a
# side) decides them, so no algebraic verdict may say they hold generically.  Not benchmark problems.
ONE_COMPONENT = {
    "line_circle_other_point": "a b = segment a b; c = s_angle b a c 60, on_circle c a b ? cong a b b c",
    "bline_circle_one_side": "a b = segment a b; c = on_bline c a b, on_circle c a b ? aconst a b a c 1pi/3",
    "two_circles_one_side": "a b = segment a b; c = on_circle c a b, on_circle c b a ? aconst b a b c 2pi/3",
    "tline_circle_one_side": "a b = segment a b; c = on_tline c a a b, on_circle c a b "
    "? aconst b a b c 3pi/4",
    "circles_through_centre": "a b = segment a b; o = midpoint o a b; c = on_circle c o a, on_circle c a o "
    "? aconst a c a b 1pi/3",
}


def run_component_controls(timeout: float, jobs: int, seed: int) -> tuple[int, Counter[str], list[str]]:
    """Goals true on the drawn component only: (goals whose other component was seen false in a fresh
    drawing, their statuses, those wrongly held generically).  Numeric refutation is off."""
    config = AlgebraicSolverConfig(refute_numerically=False)
    items: list[tuple[Problem, dict[str, np.ndarray]]] = []
    for index, (name, text) in enumerate(sorted(ONE_COMPONENT.items())):
        problem = parse_problem(text, name)
        goal = problem.goals[0]
        drawn = build_diagram(problem, np.random.default_rng([seed, index]))
        other = False  # some drawing of the same hypotheses where the goal is false: the other component
        for k in range(20):
            try:
                fresh = build_diagram(problem, np.random.default_rng([seed, index, k]), require_goals=False)
            except DiagramError:
                continue
            if not check_predicate(goal.name, goal.args, fresh.points):
                other = True
                break
        if other:
            items.append((problem, dict(drawn.points)))

    def one(item: tuple[Problem, dict[str, np.ndarray]]) -> tuple[str, str]:
        problem, points = item
        return problem.name, run_prover_isolated(problem, points, config, timeout).status.value

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, items))
    wrong = [name for name, status in results if status == SolveStatus.HOLDS_GENERICALLY.value]
    return len(results), Counter(status for _, status in results), wrong


def run_controls(rows: list[Row], timeout: float, jobs: int, seed: int) -> tuple[int, list[str]]:
    """Negative controls: for every problem that held, false variants of its goal must not hold
    algebraically (numeric refutation off). Returns (variants tried, variants wrongly 'proved')."""
    problems = {p.name: p for key in FILES for p in load_problems(ROOT / FILES[key])}
    config = AlgebraicSolverConfig(refute_numerically=False)
    jobs_list: list[tuple[Problem, dict[str, np.ndarray]]] = []
    for index, row in enumerate(rows):
        if not SolveStatus(row.status).holds_algebraically:
            continue
        problem = problems[row.problem]
        try:
            diagram = build_diagram(problem, np.random.default_rng([seed, index]))
        except DiagramError:
            continue
        points = dict(diagram.points)
        jobs_list.extend((variant, points) for variant in false_variants(problem, points))

    def one(item: tuple[Problem, dict[str, np.ndarray]]) -> tuple[str, str]:
        variant, points = item
        outcome = run_prover_isolated(variant, points, config, timeout)
        return variant.goals[0].to_text() + " in " + variant.name, outcome.status.value

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(one, jobs_list))
    wrong = [text for text, status in results if SolveStatus(status).holds_algebraically]
    return len(results), wrong


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(
    results: dict[str, tuple[list[Row], float]],
    timeout: float,
    jobs: int,
    seed: int,
    controls: tuple[int, list[str]] | None = None,
    components: tuple[int, Counter[str], list[str]] | None = None,
) -> str:
    lines = [
        f"## {SECTION}",
        "",
        f"Command: `python benchmarks/algebraic_bench.py --timeout {timeout:g} --jobs {jobs} --seed {seed}` "
        "(strategy `algebraic`: numeric diagram, coordinates, Wu's method, Groebner fallback; each problem "
        "in a child process killed at the timeout).",
        f"Machine: {cpu_model()}, {jobs} worker(s), Python {platform.python_version()}. "
        f"Date: {dt.date.today().isoformat()}.",
        "",
        "Neither verdict is a synthetic proof, and neither counts as solved. `holds_generically`: true "
        "under the listed non-degeneracy conditions, with no choice made by the diagram. "
        "`holds_on_drawn_component`: the diagram picked a factor, a root of a quadratic (which "
        "intersection) or dropped a hypothesis as numerically implied; the goal may fail on another "
        "component.",
        "",
        "| set | problems | holds generically | holds on drawn component | unproved | timeout | refuted "
        "| error | wall (s) | held: median / max (s) | reference |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for key, (rows, wall) in results.items():
        counts = Counter(r.status for r in rows)
        solved = [r.seconds for r in rows if SolveStatus(r.status).holds_algebraically]
        timing = f"{statistics.median(solved):.2f} / {max(solved):.2f}" if solved else "-"
        lines.append(
            f"| {FILES[key]} | {len(rows)} | {counts['holds_generically']} | "
            f"{counts['holds_on_drawn_component']} | {counts['unproved']} "
            f"| {counts['timeout']} | {counts['refuted']} | {counts['error']} | {wall:.0f} | {timing} "
            f"| {REFERENCE.get(key, '')} |"
        )
    if controls is not None:
        tried, wrong = controls
        lines += [
            "",
            f"Negative controls (`--controls`): {tried} false goals (a goal argument of a problem that held "
            f"swapped for another point, numerically false; numeric refutation switched off) -> "
            f"{len(wrong)} wrongly held (either verdict)" + (": " + "; ".join(wrong) if wrong else "."),
        ]
    if components is not None:
        tried, statuses, wrong = components
        shown = ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
        lines += [
            "",
            f"One-component controls: {tried} goals true on the drawn component only (the other "
            "intersection or side, seen false in a fresh drawing; `ONE_COMPONENT` in the script) -> "
            f"{shown}; {len(wrong)} wrongly held as holds_generically"
            + (": " + "; ".join(wrong) if wrong else "."),
        ]
    for key, (rows, _) in results.items():
        lines += [
            "",
            f"<details><summary>{FILES[key]}: every problem</summary>",
            "",
            "| problem | status | seconds | message |",
            "| --- | --- | ---: | --- |",
        ]
        for r in rows:
            lines.append(f"| {_cell(r.problem)} | {r.status} | {r.seconds:.2f} | {_cell(r.message[:160])} |")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per problem")
    parser.add_argument("--jobs", type=int, default=2, help="problems run at once")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", nargs="+", choices=sorted(FILES), default=["imo", "jgex"])
    parser.add_argument("--limit", type=int, default=None, help="first N problems of each file")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, default=None, help="also write every row as JSON")
    parser.add_argument("--no-write", action="store_true", help="print the section only")
    parser.add_argument("--controls", action="store_true", help="also run false-goal negative controls")
    args = parser.parse_args()
    results = {key: run_file(key, args.timeout, args.jobs, args.seed, args.limit) for key in args.files}
    controls = components = None
    if args.controls:
        every = [row for rows, _ in results.values() for row in rows]
        controls = run_controls(every, min(args.timeout, 30.0), args.jobs, args.seed)
        components = run_component_controls(min(args.timeout, 30.0), args.jobs, args.seed)
        print(f"one-component controls: {components}", flush=True)
    section = render(results, args.timeout, args.jobs, args.seed, controls, components)
    print(section)
    if args.json is not None:
        rows = [asdict(r) for rows, _ in results.values() for r in rows]
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if not args.no_write:
        replace_section(args.output, SECTION, section)


if __name__ == "__main__":
    main()
