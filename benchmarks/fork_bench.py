"""Fork benchmark: the cost of `State.fork` on real saturated states (problems/newclid/ problems, never the
exam sets), and of a fork followed by one `extend` + incremental saturation.  Writes the "Fork" section
of BENCHMARKS.md.

    python benchmarks/fork_bench.py --limit 12 --no-write     # a quick look
    python benchmarks/fork_bench.py --file problems/newclid/large_examples.txt
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._report import cpu_model, replace_section  # noqa: E402
from tonggeo.config import DEFAULT_DDAR  # noqa: E402
from tonggeo.ddar.rules import load_rules  # noqa: E402
from tonggeo.ddar.saturate import Saturator, plans_for  # noqa: E402
from tonggeo.ddar.state import State, initial_state  # noqa: E402
from tonggeo.dsl import load_problems  # noqa: E402

SECTION = "## Fork"


def saturated(problem_text_file: Path, limit: int, seconds: float) -> list[tuple[str, State]]:
    plans = plans_for(load_rules(), DEFAULT_DDAR)
    out: list[tuple[str, State]] = []
    for problem in load_problems(problem_text_file):
        if len(out) >= limit:
            break
        try:
            state = initial_state(problem.with_aux(), np.random.default_rng(0))
        except Exception:  # a problem that does not draw is not a fork sample
            continue
        Saturator(state.db, plans).run((), deadline=time.monotonic() + seconds)
        out.append((problem.name, state))
    return out


def time_forks(state: State, repeat: int) -> float:
    """Median seconds of one fork."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        state.fork()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path, default=ROOT / "problems/newclid/examples.txt")
    parser.add_argument("--limit", type=int, default=30, help="problems saturated (the first that draw)")
    parser.add_argument("--seconds", type=float, default=20.0, help="saturation budget per problem")
    parser.add_argument("--repeat", type=int, default=15, help="forks timed per state")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    args.file = (ROOT / args.file).resolve() if not args.file.is_absolute() else args.file
    states = saturated(args.file, args.limit, args.seconds)
    rows = []
    for name, state in states:
        rows.append((name, len(state.db.records), time_forks(state, args.repeat)))
    rows.sort(key=lambda r: r[1])
    for name, facts, sec in rows:
        print(f"{name:40s} {facts:6d} facts  fork {sec * 1e3:7.3f} ms")
    forks = [r[2] for r in rows]
    big = max(rows, key=lambda r: r[1])
    summary = (
        f"{len(rows)} saturated states of {args.file.relative_to(ROOT)}: "
        f"fork median {statistics.median(forks) * 1e3:.3f} ms, "
        f"max {max(forks) * 1e3:.3f} ms; largest state {big[0]} ({big[1]} facts) {big[2] * 1e3:.3f} ms"
    )
    print(summary)
    if args.no_write:
        return
    lines = [
        SECTION,
        "",
        f"`python benchmarks/fork_bench.py --file {args.file.relative_to(ROOT)} --limit {args.limit} "
        f"--repeat {args.repeat}` on {cpu_model()} ({platform.machine()}), shared 2-core machine, "
        f"{date.today()}.",
        "",
        summary + ".",
        "",
        "| problem | facts | fork ms (median) |",
        "|---|---:|---:|",
        *(f"| {n} | {f} | {s * 1e3:.3f} |" for n, f, s in rows),
        "",
    ]
    replace_section(ROOT / "BENCHMARKS.md", SECTION, "\n".join(lines))


if __name__ == "__main__":
    main()
