"""Time `tonggeo check` (parse + numeric diagram + goal checks) on JGEX-AG-231 and IMO-AG-30.

Import time is measured apart, in fresh interpreters; check time is the median of several in-process
runs over each whole file (the first, cold run is reported too). Writes the "Diagram check" section of
BENCHMARKS.md, leaving the other sections as they are.

    python benchmarks/check_bench.py [--repeats 5] [--output BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _report import cpu_model, replace_section

ROOT = Path(__file__).resolve().parents[1]
FILES = ("problems/jgex_ag_231.txt", "problems/imo_ag_30.txt")
SECTION = "Diagram check"
TARGET_S = 10.0
IMPORTS = "import tonggeo.cli.check, tonggeo.diagram"


def import_seconds(repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], check=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


@dataclass(frozen=True, slots=True)
class FileTiming:
    file: str
    problems: int
    ok: int
    cold: float
    median: float
    best: float
    per_problem_median: float
    slowest: list[tuple[str, float]]
    errors: dict[str, str]


def bench_file(relative: str, repeats: int, seed: int) -> FileTiming:
    from tonggeo.cli.check import check_entries
    from tonggeo.cli.common import read_entries

    totals: list[float] = []
    per_problem: dict[str, list[float]] = {}
    results = []
    for _ in range(repeats + 1):  # the first run is the cold one
        start = time.perf_counter()
        results = list(check_entries(read_entries(ROOT / relative), seed))
        totals.append(time.perf_counter() - start)
        for r in results:
            per_problem.setdefault(r.name, []).append(r.seconds)
    medians = {name: statistics.median(times[1:]) for name, times in per_problem.items()}
    return FileTiming(
        file=relative,
        problems=len(results),
        ok=sum(r.ok for r in results),
        cold=totals[0],
        median=statistics.median(totals[1:]),
        best=min(totals[1:]),
        per_problem_median=statistics.median(medians.values()),
        slowest=sorted(medians.items(), key=lambda item: -item[1])[:3],
        errors={r.name: (r.error or "").splitlines()[0] for r in results if not r.ok},
    )


def render(rows: list[FileTiming], imports: list[float], repeats: int, seed: int) -> str:
    lines = [
        f"## {SECTION}",
        "",
        f"Command: `python benchmarks/check_bench.py --repeats {repeats} --seed {seed}` "
        "(parse, build the numeric diagram, check every goal; one seeded generator per problem).",
        f"Machine: {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Date: {dt.date.today().isoformat()}.",
        "",
        f"Import (`{IMPORTS}` in a fresh interpreter, median of {len(imports)}): "
        f"{statistics.median(imports):.2f} s.",
        "",
        f"| file | problems | ok | check, median of {repeats} (s) | best (s) | cold first run (s) "
        "| per problem, median (ms) | slowest (median ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        slow = ", ".join(f"{name} {1000 * seconds:.1f}" for name, seconds in row.slowest)
        lines.append(
            f"| {row.file} | {row.problems} | {row.ok} | {row.median:.2f} | {row.best:.2f} | {row.cold:.2f} "
            f"| {1000 * row.per_problem_median:.1f} | {slow} |"
        )
    verdict = "meets" if rows[0].median < TARGET_S else "MISSES"
    lines += ["", f"Target: JGEX-AG-231 under {TARGET_S:.0f} s once imported: {verdict} it."]
    failures = [(row.file, name, err) for row in rows for name, err in row.errors.items()]
    if failures:
        lines += ["", "Problems not ok:", ""]
        lines += [f"- `{file}` `{name}`: {err}" for file, name, err in failures]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    imports = import_seconds(args.repeats)
    rows = [bench_file(relative, args.repeats, args.seed) for relative in FILES]
    section = render(rows, imports, args.repeats, args.seed)
    print(section)
    replace_section(args.output, SECTION, section)


if __name__ == "__main__":
    main()
