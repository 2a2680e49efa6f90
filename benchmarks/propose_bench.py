"""Measure `tonggeo propose`: unique problems needing auxiliary constructions per core-hour, the symmetric
share, peak memory, and whether every emitted problem is what it claims to be.

A run of `--seconds` on `--jobs` worker processes (a fresh index), then a validation pass over what it
emitted: each problem parses, builds numerically with its goal true, has a distinct canonical key, and
(for the aux problems, all or a uniform random sample of `--check` of them, drawn with `--sample-seed`)
DDAR runs to its fixpoint without proving the goal when the auxiliary constructions are left out and
proves it with them, each from a fresh drawing; timeouts and errors are counted apart. Writes the
"Propose" section of BENCHMARKS.md.

    python benchmarks/propose_bench.py [--seconds 300] [--jobs 2] [--seed 0] [--check 0] [--sample-seed K]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SECTION = "Propose"
TARGET_PER_CORE_HOUR = 1000


@dataclass(slots=True)
class Validation:
    problems: int = 0
    parsed: int = 0
    numeric_ok: int = 0
    distinct_keys: int = 0
    aux_total: int = 0
    aux_checked: int = 0
    fails_without_aux: int = 0
    """DDAR ran to its end without proving the goal (status 'unproved')."""
    proves_with_aux: int = 0
    timeouts_without_aux: int = 0
    """Inconclusive: DDAR ran out of time without the aux (counted apart, not as a failure to prove)."""
    errors_without_aux: int = 0
    proved_without_aux: int = 0
    """The statement alone is proved: the problem does not need its auxiliary constructions."""
    timeouts_with_aux: int = 0
    errors_with_aux: int = 0
    validated: int = 0
    """Both checks passed: unproved (not timeout, not error) without the aux, proved with it."""
    sample_seed: int = 0
    seconds: float = 0.0


def sample_aux(problems: list[Any], check: int, seed: int) -> list[Any]:
    """A uniform random sample of `check` aux problems (all of them when `check` is 0 or larger), in file
    order, drawn with `numpy.random.default_rng(seed)`: problems.txt is ranked best first, so its first N
    would be the easiest to defend."""
    with_aux = [p for p in problems if p.aux]
    if check <= 0 or check >= len(with_aux):
        return with_aux
    chosen = np.random.default_rng(seed).choice(len(with_aux), size=check, replace=False)
    return [with_aux[i] for i in sorted(int(i) for i in chosen)]


def validate(out: Path, check: int, seed: int, timeout: float = 60.0, sample_seed: int | None = None
             ) -> Validation:
    from solvers.ddar import solve
    from tonggeo.canonical import problem_key
    from tonggeo.diagram import DiagramError, build_diagram, check_goal
    from tonggeo.dsl import load_problems, parse_problem

    start = time.monotonic()
    result = Validation()
    problems = load_problems(out / "problems.txt")
    result.problems = len(problems)
    keys = set()
    for problem in problems:
        if parse_problem(problem.to_text(), problem.name) == problem:
            result.parsed += 1
        try:
            diagram = build_diagram(problem, np.random.default_rng(seed), include_aux=True)
            result.numeric_ok += all(check_goal(diagram, g) for g in problem.goals)
        except DiagramError:
            pass
        keys.add(problem_key(problem))
    result.distinct_keys = len(keys)
    result.aux_total = sum(1 for p in problems if p.aux)
    result.sample_seed = seed + 2 if sample_seed is None else sample_seed
    for problem in sample_aux(problems, check, result.sample_seed):
        result.aux_checked += 1
        rng = np.random.default_rng(seed + 1)
        alone = solve(problem, timeout=timeout, rng=rng).status
        helped = solve(problem.with_aux(), timeout=timeout, rng=rng).status
        result.fails_without_aux += alone == "unproved"
        result.timeouts_without_aux += alone == "timeout"
        result.errors_without_aux += alone == "error"
        result.proved_without_aux += alone == "proved"
        result.proves_with_aux += helped == "proved"
        result.timeouts_with_aux += helped == "timeout"
        result.errors_with_aux += helped == "error"
        result.validated += alone == "unproved" and helped == "proved"
    result.seconds = time.monotonic() - start
    return result


def peak_rss_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def rss_now_mib() -> float:
    """Resident memory of this process and its worker processes now (Linux /proc), MiB."""
    pids = [str(os.getpid())]
    for children in Path("/proc/self/task").glob("*/children"):
        pids += children.read_text().split()
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def composition(problems: list[Any]) -> str:
    """Goal kinds of the aux problems, and how many distinct statements (and statement + aux sets)."""
    aux = [p for p in problems if p.aux]
    kinds = Counter(p.goals[0].name for p in aux)
    statements = {tuple(c.to_text() for c in p.clauses) for p in aux}
    groups = {(tuple(c.to_text() for c in p.clauses), tuple(c.to_text() for c in p.aux)) for p in aux}
    listed = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    return (f"The {len(aux)} aux problems have {len(statements)} distinct statements ({len(groups)} distinct "
            f"statement + aux sets; several goals per figure); their goals: {listed}.")


def deep(stats: dict[str, Any], loads: list[float]) -> str:
    """Distinct figures, goal kinds, walk depth and aux counts after the run's deduplication, and the
    machine's load (the rates above are only comparable within one run)."""
    kinds = stats.get("goal_kinds") or {}
    aux = int(stats["with_aux"]) or 1
    top = max(kinds.values(), default=0) / aux
    classic = sum(n for k, n in kinds.items() if k in ("perp", "para", "cyclic", "coll", "cong", "eqangle"))
    return (f"Distinct statements: {stats.get('statements', '?')} of all problems, "
            f"{stats.get('statements_with_aux', '?')} of the aux problems "
            f"({stats.get('statements_with_aux_per_cpu_hour', '?')} per CPU-hour); largest goal kind "
            f"{top:.0%} of the aux problems, classic kinds {classic / aux:.0%}; goal kinds the walks found "
            f"before the quotas: {stats.get('found_kinds', '?')}; dropped over quota (still waiting at the "
            f"end): {stats.get('over_quota', '?')}; median walk depth of the aux problems "
            f"{stats.get('median_depth', '?')}, median aux count {stats.get('median_aux', '?')}; candidates "
            f"dropped by the walks: {stats.get('drops', '?')}; engine gaps (checked proof, not proved from "
            f"scratch with the aux; not emitted, in gaps.txt): {stats.get('engine_gaps', '?')}, the "
            f"from-scratch checks took {stats.get('scratch_seconds', '?')} CPU s, the fresh-drawing checks "
            f"{stats.get('redraw_seconds', '?')} CPU s; aux problems with mirror / "
            f"twin / repeat aux: {stats.get('mirror_aux', '?')} / {stats.get('twin_aux', '?')} / "
            f"{stats.get('repeat_aux', '?')}. "
            f"Load average (1 min) during the run: {', '.join(f'{x:.1f}' for x in loads)}.")


def _verdict(measure: str, rate: float) -> str:
    if rate >= TARGET_PER_CORE_HOUR:
        return f"meets it by {measure}"
    return f"misses it by {measure} ({rate:.0f})"


def render(stats: dict[str, Any], check: Validation, rss: tuple[float, float],
           timeline: list[tuple[float, float]], args: argparse.Namespace, sample: list[str], mix: str) -> str:
    per_cpu = float(stats["with_aux_per_cpu_hour"])
    per_wall = float(stats["with_aux_per_core_hour"])
    unique = int(stats["unique"])
    lines = [
        f"## {SECTION}",
        "",
        f"Command: `python benchmarks/propose_bench.py --seconds {args.seconds:g} --jobs {args.jobs} "
        f"--seed {args.seed} --check {args.check}"
        + "".join(f" --set {x}" for x in args.set) + f"` (a fresh index; bases {', '.join(stats['bases'])}).",
        f"Machine: {args.jobs} worker process(es) on a 2-core machine shared with other jobs, Python "
        f"{platform.python_version()}. Date: {dt.date.today().isoformat()}. Rates per core-hour are given by "
        "CPU time (process time of the parent and every walk, the fair figure on a shared machine) and by "
        "wall time x cores.",
        "",
        "| seconds | CPU seconds | cores | walks | unique | with aux | symmetric | symmetric with aux |"
        " aux / CPU-hour | aux / core-hour (wall) | unique / CPU-hour | peak RSS parent / worker (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {stats['seconds']} | {stats['cpu_seconds']} | {stats['cores']} | {stats['walks']} | {unique} |"
        f" {stats['with_aux']} | {stats['symmetric']} ({float(stats['symmetric_share']):.0%}) |"
        f" {stats['symmetric_with_aux']} | {per_cpu:.0f} | {per_wall:.0f} |"
        f" {float(stats['unique_per_cpu_hour']):.0f} | {rss[0]:.0f} / {rss[1]:.0f} |",
        "",
        f"Duplicates caught by the index: {stats['duplicates']}. {mix}",
        f"Resident memory (parent and workers) during the {float(stats['seconds']) / 60:.0f}-minute run, "
        "MiB: "
        + ", ".join(f"{t / 60:.0f} min {m:.0f}" for t, m in timeline) + ".",
        "",
        f"Validation of what the run emitted ({check.seconds:.0f} s): {check.parsed}/{check.problems} parse "
        f"back, {check.numeric_ok}/{check.problems} build with their goal numerically true, "
        f"{check.distinct_keys} distinct canonical keys. Aux problems checked from fresh drawings: "
        f"{check.aux_checked} of {check.aux_total} (a uniform random sample, seed {check.sample_seed}, when "
        f"fewer than all); {check.validated}/{check.aux_checked} validate (DDAR runs to its fixpoint without "
        f"proving the goal without the aux constructions, and proves it with them). Without the aux: "
        f"unproved {check.fails_without_aux}, proved {check.proved_without_aux}, timeout "
        f"{check.timeouts_without_aux}, error {check.errors_without_aux}; with the aux: proved "
        f"{check.proves_with_aux}, timeout {check.timeouts_with_aux}, error {check.errors_with_aux} "
        "(timeouts and errors are inconclusive, counted apart from failures).",
        "",
        f"Target: {TARGET_PER_CORE_HOUR} unique problems needing auxiliary constructions per core-hour: "
        + _verdict("CPU time", per_cpu) + "; " + _verdict("wall time", per_wall) + ".",
    ]
    if sample:
        lines += ["", "Top problems with auxiliary constructions:", ""]
        lines += [f"- `{text}`" for text in sample]
    return "\n".join(lines) + "\n"


def overridden(settings: list[str]) -> Any:
    """The default ProposeConfig with `FIELD=VALUE` overrides (values read as Python literals)."""
    import ast
    from dataclasses import fields, replace

    from tonggeo.config import DEFAULT_PROPOSE

    known = {f.name for f in fields(DEFAULT_PROPOSE)}
    changes: dict[str, Any] = {}
    for item in settings:
        name, _, value = item.partition("=")
        if name not in known:
            raise SystemExit(f"--set {item}: ProposeConfig has no field {name!r}")
        changes[name] = ast.literal_eval(value)
    return replace(DEFAULT_PROPOSE, **changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", type=int, default=0, help="aux problems to re-solve (0: all)")
    parser.add_argument("--sample-seed", type=int, default=None,
                        help="seed of the random sample of aux problems to re-solve (default: seed + 2)")
    parser.add_argument("--out", type=Path, default=None, help="keep the run's output here")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--rss-every", type=float, default=120.0, help="seconds between memory samples")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="override a ProposeConfig field (e.g. depth=12), repeatable")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from _report import replace_section

    from tonggeo.propose.run import RunStats, propose

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out if args.out is not None else Path(tmp) / "run"
        timeline: list[tuple[float, float]] = []
        loads: list[float] = []

        def progress(s: RunStats) -> None:
            if not timeline or s.seconds - timeline[-1][0] >= args.rss_every:
                timeline.append((s.seconds, rss_now_mib()))
                loads.append(os.getloadavg()[0])
            print(f"\r{s.seconds:6.0f} s  unique {s.unique}  aux {s.with_aux}  symmetric {s.symmetric}  "
                  f"RSS {timeline[-1][1]:.0f} MiB", end="", file=sys.stderr)

        load = [os.getloadavg()[0]]
        propose(out, seconds=args.seconds, seed=args.seed, jobs=args.jobs, index=out / "bench.sqlite",
                progress=progress, config=overridden(args.set))
        load.append(os.getloadavg()[0])
        print(file=sys.stderr)
        rss = peak_rss_mib()
        stats = json.loads((out / "stats.json").read_text())
        check = validate(out, args.check, args.seed, sample_seed=args.sample_seed)
        from tonggeo.dsl import load_problems

        emitted = load_problems(out / "problems.txt")
        sample = [p.to_text() for p in emitted if p.aux][:3]
        mix = composition(emitted)
    section = render(stats, check, rss, timeline, args, sample, mix + " " + deep(stats, load + loads))
    print(section)
    replace_section(args.output, SECTION, section)


if __name__ == "__main__":
    main()
