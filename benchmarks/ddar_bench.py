"""DDAR benchmark: tonggeo's deductive database + algebra on IMO-AG-30 and JGEX-AG-231, side by side with
the peer newclid 3.0.1 + py-yuclid 3.0.0 in the same run, and a soundness check of every derived fact on
fresh diagrams.  Writes the "DDAR" section of BENCHMARKS.md.

    python benchmarks/ddar_bench.py                      # everything (about an hour on 2 cores)
    python benchmarks/ddar_bench.py --limit 20 --no-write   # a quick look
    python benchmarks/ddar_bench.py --no-peer            # when /work/peer-venv (or --peer-venv) is missing

The peer runs as `newclid --seed 0 jgex --file FILE --problem-id NAME` with its virtual environment's bin
first on PATH; IMO problems use `problems/newclid/imo_ag_30.txt` (Newclid syntax), JGEX problems
`problems/newclid/jgex_ag_231.txt`.  Its solving time is the `runtime` it reports (interpreter start-up
excluded); tonggeo's is the time `solve` takes after parsing (diagram, saturation, proof, check), and
its saturation time is the part spent building the database and saturating.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tonggeo.ddar import solve  # noqa: E402
from tonggeo.dsl import Problem, load_problems  # noqa: E402

SETS = {
    "IMO-AG-30": ("problems/imo_ag_30.txt", "problems/newclid/imo_ag_30.txt", "translated_imo_"),
    "JGEX-AG-231": ("problems/jgex_ag_231.txt", "problems/newclid/jgex_ag_231.txt", ""),
}
SECTION = "## DDAR"


@dataclass
class Row:
    name: str
    status: str = ""
    seconds: float = 0.0
    saturation: float = 0.0
    steps: int = 0
    facts: int = 0
    peer: str = "-"
    peer_seconds: float | None = None
    error: str | None = None


@dataclass
class SetResult:
    label: str
    rows: list[Row] = field(default_factory=list)


def run_tonggeo(problem: Problem, timeout: float, seed: int) -> Row:
    result = solve(problem, timeout=timeout, rng=np.random.default_rng(seed))
    return Row(
        problem.name,
        result.status,
        result.seconds,
        result.saturation_seconds,
        result.steps,
        result.facts,
        error=result.error,
    )


def run_peer(venv: Path, file: Path, name: str, timeout: float) -> tuple[str, float | None]:
    env = dict(os.environ)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    cmd = [str(venv / "bin" / "newclid"), "--seed", "0", "jgex", "--file", str(file), "--problem-id", name]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30, env=env, check=False)
    except subprocess.TimeoutExpired:
        return "timeout", None
    text = done.stdout + done.stderr
    success = re.search(r'"success":\s*(true|false)', text)
    runtime = re.search(r'"runtime":\s*([0-9.eE+-]+)', text)
    seconds = float(runtime.group(1)) if runtime else None
    if success is None:
        return "error", seconds
    if seconds is not None and seconds > timeout:
        return "timeout", seconds
    return ("proved" if success.group(1) == "true" else "unproved"), seconds


def soundness(problem: Problem, seeds: list[int], timeout: float) -> tuple[int, int, int, int, list[str]]:
    """Saturate on seed 0, then check every derived fact on diagrams from other seeds.

    Returns (checks, false, checks of configuration-dependent facts, false among those, examples):
    a fact whose derivation reads the figure's configuration (see `tonggeo.proof.dependence`) may be
    false in a figure of another configuration; any other false fact is an unsound step."""
    from tonggeo.ddar import initial_state
    from tonggeo.ddar.rules import load_rules
    from tonggeo.ddar.saturate import Saturator, plans_for
    from tonggeo.diagram import DiagramError, build_diagram
    from tonggeo.facts import fact_text
    from tonggeo.facts.justification import Given
    from tonggeo.proof.checker import ProofChecker
    from tonggeo.proof.dependence import configuration_dependent

    rules = load_rules()
    state = initial_state(problem, np.random.default_rng(0))
    Saturator(state.db, plans_for(rules)).run((), deadline=time.monotonic() + timeout)
    records = state.db.records
    dependent = configuration_dependent(records, {r.id: r for r in rules})
    derived = [(r.fact, dependent[r.id]) for r in records if not isinstance(r.why, Given)]
    checked = bad = dep_checked = dep_bad = 0
    examples: list[str] = []
    for seed in seeds:
        try:
            diagram = build_diagram(problem, np.random.default_rng(seed))
        except DiagramError:
            continue
        points = {k: (float(v[0]), float(v[1])) for k, v in diagram.points.items()}
        checker = ProofChecker(problem, points, rules=())
        for fact, reads_configuration in derived:
            ok = checker.fact_numeric(fact)
            if reads_configuration:
                dep_checked += 1
                dep_bad += not ok
                continue
            checked += 1
            if not ok:
                bad += 1
                if len(examples) < 3:
                    examples.append(f"{problem.name}: {fact_text(fact)} (seed {seed})")
    return checked, bad, dep_checked, dep_bad, examples


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def render(
    results: list[SetResult],
    args: argparse.Namespace,
    sound: tuple[int, int, int, int, list[str]] | None,
    peer_ok: bool,
) -> str:
    lines = [SECTION, ""]
    lines.append(
        f"Command: `python benchmarks/ddar_bench.py --timeout {args.timeout:g}"
        + (f" --limit {args.limit}" if args.limit else "")
        + ("" if peer_ok else " --no-peer")
        + "` (no auxiliary points; one problem at a time)."
    )
    lines.append(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}, shared with other jobs. Date: {date.today().isoformat()}."
    )
    lines.append(
        "tonggeo time = `solve` (diagram, saturation, proof extraction, independent check); saturation = "
        "database + saturation only. Peer = newclid 3.0.1 + py-yuclid 3.0.0 (C++), its reported `runtime` "
        "(interpreter start-up excluded), Newclid-syntax files."
    )
    lines.append("")
    lines.append(
        "| set | problems | tonggeo proved | checker rejected | errors | peer proved | both | only tonggeo | "
        "only peer | median solve (s) | median saturation (s) | peer median (s) | median ratio tonggeo/peer |"
    )
    lines.append("| --- " + "| ---: " * 12 + "|")
    for res in results:
        rows = res.rows
        proved = [r for r in rows if r.status == "proved"]
        rejected = sum(1 for r in rows if r.error and "checker rejected" in r.error)
        errors = sum(1 for r in rows if r.status == "error")
        peer_proved = [r for r in rows if r.peer == "proved"]
        both = sum(1 for r in rows if r.status == "proved" and r.peer == "proved")
        finished = ("proved", "unproved")
        ratios = [
            r.saturation / r.peer_seconds
            for r in rows
            if r.peer_seconds and r.status in finished and r.peer in finished
        ]
        lines.append(
            f"| {res.label} | {len(rows)} | {len(proved)} | {rejected} | {errors} | "
            f"{len(peer_proved) if peer_ok else '-'} | {both if peer_ok else '-'} | "
            f"{len(proved) - both if peer_ok else '-'} | {len(peer_proved) - both if peer_ok else '-'} | "
            f"{fmt(median([r.seconds for r in rows]))} | {fmt(median([r.saturation for r in rows]))} | "
            f"{fmt(median([r.peer_seconds for r in rows if r.peer_seconds is not None]))} | "
            f"{fmt(median(ratios))} |"
        )
    lines.append("")
    lines.append(
        "Targets (issue 3, no aux, 60 s): IMO-AG-30 at least 18 proved, JGEX-AG-231 at least 210, median "
        "saturation within 3x of the peer's on IMO, no proof rejected by the checker, every derived fact "
        "true in fresh figures."
    )
    lines.append("")
    if sound is not None:
        checked, bad, dep_checked, dep_bad, examples = sound
        lines.append(
            "Soundness: every fact derived on seed 0 (saturation without goal) re-checked on 3 fresh "
            f"diagrams (seeds 1-3): {checked} checks of facts whose derivation holds in every figure, "
            f"{bad} false" + (" (e.g. " + "; ".join(examples) + ")" if examples else "") + "; "
            f"{dep_checked} checks of facts resting on the figure's configuration (a side condition, an "
            f"orientation, a halved angle, the sign of a power), {dep_bad} false in a figure of another "
            "configuration."
        )
        lines.append("")
    for res in results:
        lines.append(f"<details><summary>{res.label}: per problem</summary>")
        lines.append("")
        lines.append(
            "| problem | tonggeo | solve (s) | saturation (s) | proof steps | facts | peer | peer (s) "
            "| ratio |"
        )
        lines.append("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
        for r in res.rows:
            ratio = r.saturation / r.peer_seconds if r.peer_seconds else None
            lines.append(
                f"| {r.name} | {r.status} | {fmt(r.seconds)} | {fmt(r.saturation)} | {r.steps} | {r.facts} | "
                f"{r.peer} | {fmt(r.peer_seconds)} | {fmt(ratio)} |"
            )
        lines.append("")
        lines.append("</details>")
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
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--limit", type=int, default=0, help="only the first N problems of each set")
    parser.add_argument("--sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument("--peer-venv", type=Path, default=Path("/work/peer-venv"))
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-soundness", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also dump the rows as JSON here")
    args = parser.parse_args()

    peer_ok = not args.no_peer and (args.peer_venv / "bin" / "newclid").exists()
    if not args.no_peer and not peer_ok:
        print(f"peer venv {args.peer_venv} not found: skipping newclid", file=sys.stderr)
    results = []
    for label in args.sets:
        ours, theirs, prefix = SETS[label]
        problems = load_problems(ROOT / ours)
        if args.limit:
            problems = problems[: args.limit]
        res = SetResult(label)
        for k, problem in enumerate(problems):
            row = run_tonggeo(problem, args.timeout, 0)
            if peer_ok:
                peer_name = problem.name.removeprefix(prefix)
                row.peer, row.peer_seconds = run_peer(args.peer_venv, ROOT / theirs, peer_name, args.timeout)
            res.rows.append(row)
            print(f"[{label} {k + 1}/{len(problems)}] {problem.name[-40:]:40s} {row.status:8s} "
                  f"{row.seconds:6.2f}s sat {row.saturation:6.2f}s | peer {row.peer:8s} "
                  f"{fmt(row.peer_seconds)}", flush=True)
        results.append(res)
    sound = None
    if not args.no_soundness:
        total: list[int] = [0, 0, 0, 0]
        all_examples: list[str] = []
        for label in args.sets:
            problems = load_problems(ROOT / SETS[label][0])
            if args.limit:
                problems = problems[: args.limit]
            for problem in problems:
                try:
                    *counts, examples = soundness(problem, [1, 2, 3], args.timeout)
                except Exception as exc:  # a problem without a diagram has nothing to check
                    print(f"soundness: {problem.name}: {exc}", file=sys.stderr)
                    continue
                total = [t + c for t, c in zip(total, counts, strict=True)]  # type: ignore[arg-type]
                all_examples.extend(examples)  # type: ignore[arg-type]
        sound = (total[0], total[1], total[2], total[3], all_examples[:5])
        print(f"soundness: {sound[:4]}", flush=True)
    text = render(results, args, sound, peer_ok)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({r.label: [vars(x) for x in r.rows] for r in results}, indent=1))
    if not args.no_write:
        write_section(text, ROOT / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
