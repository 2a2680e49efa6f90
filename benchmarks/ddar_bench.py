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
from tonggeo.ddar.rules import Rule, load_rules  # noqa: E402
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


def rule_set(name: str) -> tuple[Rule, ...]:
    """'full': every rule of rules.txt; 'ag': AlphaGeometry's 43 rules (r00-r42, with tonggeo's soundness
    conditions) and the definitions of the derived predicates (midp, circle, simtri, contri), without
    the classical theorems tonggeo and Newclid add."""
    rules = load_rules()
    if name == "full":
        return rules
    return tuple(r for r in rules if r.source == "alphageometry" or r.id.endswith(("_def", "_parts")))


def run_tonggeo(problem: Problem, timeout: float, seed: int, rules: tuple[Rule, ...]) -> Row:
    result = solve(problem, timeout=timeout, rng=np.random.default_rng(seed), rules=rules)
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


Point = tuple[float, float]


def _orient(a: Point, b: Point, c: Point, tol: float = 1e-9) -> int:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    scale = max(1.0, abs(b[0] - a[0]) + abs(b[1] - a[1])) * max(1.0, abs(c[0] - a[0]) + abs(c[1] - a[1]))
    return 0 if abs(value) <= tol * scale else (1 if value > 0 else -1)


def _dot_sign(a: Point, b: Point, c: Point, tol: float = 1e-9) -> int:
    value = (b[0] - a[0]) * (c[0] - a[0]) + (b[1] - a[1]) * (c[1] - a[1])
    return 0 if abs(value) <= tol else (1 if value > 0 else -1)


Signature = tuple[tuple[int, ...], tuple[int, ...]]


def configuration_signature(points: dict[str, Point], names: list[str]) -> Signature:
    """(orientations of every triple, with betweenness on collinear ones) and (whether the angle at each
    vertex of each triple is acute or obtuse): the order type of the named points and its angle types."""
    order: list[int] = []
    angles: list[int] = []
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            for k in range(j + 1, len(names)):
                pa, pb, pc = points[a], points[names[j]], points[names[k]]
                turn = _orient(pa, pb, pc)
                # on a line, which point lies between the other two (a sign per vertex)
                between = 2 + (_dot_sign(pa, pb, pc) < 0) + 2 * (_dot_sign(pb, pa, pc) < 0)
                order.append(turn if turn else between)
                angles.extend((_dot_sign(pa, pb, pc), _dot_sign(pb, pa, pc), _dot_sign(pc, pa, pb)))
    return tuple(order), tuple(angles)


def same_order_type(first: tuple[int, ...], second: tuple[int, ...]) -> bool:
    """Equal up to a reflection of the whole figure (a mirror flips every orientation)."""
    mirrored = tuple(-x if abs(x) == 1 else x for x in second)
    return first == second or first == mirrored


@dataclass
class Soundness:
    """Fresh-diagram re-checks of derived facts; false configuration-dependent facts are classified by
    comparing the configuration of the points their derivation names in the fresh figure and in seed 0."""

    checked: int = 0
    false: int = 0
    dep_checked: int = 0
    dep_false: int = 0
    other_order: int = 0  # the fresh figure orders the derivation's points differently
    other_angles: int = 0  # same order type, but an angle of those points turned from acute to obtuse
    same: int = 0  # same order type and angle types: false in the same configuration (a bug)
    examples: list[str] = field(default_factory=list)
    same_examples: list[str] = field(default_factory=list)

    def add(self, other: Soundness) -> None:
        for name in ("checked", "false", "dep_checked", "dep_false", "other_order", "other_angles", "same"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples.extend(other.examples)
        self.same_examples.extend(other.same_examples)


def soundness(problem: Problem, seeds: list[int], timeout: float) -> Soundness:
    """Saturate on seed 0, then check every derived fact on diagrams from other seeds.

    A fact whose derivation reads the figure's configuration (see `tonggeo.proof.dependence`) may be
    false in a figure of another configuration; any other false fact is an unsound step.  A false
    configuration-dependent fact is checked for that: the order type of the points its derivation names
    (orientation of every triple, betweenness on a line, up to a mirror) and the angle types (acute or
    obtuse) in the fresh figure are compared with seed 0's."""
    from tonggeo.ddar import initial_state
    from tonggeo.ddar.rules import load_rules
    from tonggeo.ddar.saturate import Saturator, plans_for
    from tonggeo.diagram import DiagramError, build_diagram
    from tonggeo.facts import fact_text
    from tonggeo.facts.justification import Given, premises_of
    from tonggeo.proof.checker import ProofChecker
    from tonggeo.proof.dependence import configuration_dependent

    rules = load_rules()
    state = initial_state(problem, np.random.default_rng(0))
    Saturator(state.db, plans_for(rules)).run((), deadline=time.monotonic() + timeout)
    records = state.db.records
    base_points = state.points
    dependent = configuration_dependent(records, {r.id: r for r in rules})
    chain_points: dict[int, list[str]] = {}

    def names_of(rid: int) -> list[str]:
        if rid not in chain_points:
            seen: set[str] = set()
            stack, visited = [rid], {rid}
            while stack:
                record = records[stack.pop()]
                seen.update(record.fact.args)
                for p in premises_of(record.why):
                    if p not in visited:
                        visited.add(p)
                        stack.append(p)
            chain_points[rid] = sorted(seen)
        return chain_points[rid]

    derived = [(r, dependent[r.id]) for r in records if not isinstance(r.why, Given)]
    out = Soundness()
    for seed in seeds:
        try:
            diagram = build_diagram(problem, np.random.default_rng(seed))
        except DiagramError:
            continue
        points = {k: (float(v[0]), float(v[1])) for k, v in diagram.points.items()}
        checker = ProofChecker(problem, points, rules=())
        for record, reads_configuration in derived:
            ok = checker.fact_numeric(record.fact)
            if not reads_configuration:
                out.checked += 1
                if not ok:
                    out.false += 1
                    if len(out.examples) < 3:
                        out.examples.append(f"{problem.name}: {fact_text(record.fact)} (seed {seed})")
                continue
            out.dep_checked += 1
            if ok:
                continue
            out.dep_false += 1
            names = names_of(record.id)
            order0, angles0 = configuration_signature(base_points, names)
            order1, angles1 = configuration_signature(points, names)
            if not same_order_type(order0, order1):
                out.other_order += 1
            elif angles0 != angles1:
                out.other_angles += 1
            else:
                out.same += 1
                if len(out.same_examples) < 5:
                    out.same_examples.append(f"{problem.name}: {fact_text(record.fact)} (seed {seed})")
    return out


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(x: float | None, digits: int = 2) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def render(
    results: list[SetResult],
    args: argparse.Namespace,
    sound: Soundness | None,
    peer_ok: bool,
) -> str:
    lines = [SECTION, ""]
    lines.append(
        f"Command: `python benchmarks/ddar_bench.py --timeout {args.timeout:g}"
        + (f" --limit {args.limit}" if args.limit else "")
        + ("" if peer_ok else " --no-peer")
        + f" --rules {args.rules}"
        + "` (no auxiliary points; one problem at a time). Rule sets: `ag` = AlphaGeometry's 43 rules "
        "(with tonggeo's added soundness conditions) plus the definitions of midp/circle/simtri/contri; "
        "`full` = every rule of `tonggeo/ddar/data/rules.txt` (adds Newclid's classical theorems). Both "
        "use the same algebra (angle, ratio and distance tables)."
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
        "Targets (issues 3 and 9, no aux, 60 s, full rule set without the two removed benchmark-shaped "
        "bisector rules): IMO-AG-30 at least 18 proved, JGEX-AG-231 at least 214, no proof rejected by the "
        "checker, every derived fact true in fresh figures of the same configuration."
    )
    lines.append("")
    if sound is not None:
        lines.append(
            "Soundness (full rule set): every fact derived on seed 0 (saturation without goal) re-checked "
            f"on 3 fresh diagrams (seeds 1-3): {sound.checked} checks of facts whose derivation holds in "
            f"every figure, {sound.false} false"
            + (" (e.g. " + "; ".join(sound.examples[:5]) + ")" if sound.examples else "") + "; "
            f"{sound.dep_checked} checks of facts resting on the figure's configuration (a side condition, "
            f"an orientation, a halved angle, the sign of a power), {sound.dep_false} false."
        )
        lines.append("")
        lines.append(
            "Each false configuration-dependent fact is classified by comparing the fresh figure with seed 0 "
            "on the points its derivation names: their order type (orientation of every triple, betweenness "
            "of collinear ones, up to a mirror of the whole figure), then the angle types (acute, right or "
            "obtuse at each vertex of each triple)."
        )
        lines.append("")
        lines.append("| false configuration-dependent facts | count |")
        lines.append("| --- | ---: |")
        lines.append(f"| another configuration: the points' order type differs | {sound.other_order} |")
        lines.append("| another configuration: same order type, an angle acute in one figure and obtuse in "
                     f"the other | {sound.other_angles} |")
        lines.append(f"| same configuration (a bug) | {sound.same} |")
        if sound.same_examples:
            lines.append("")
            lines.append("Same-configuration examples: " + "; ".join(sound.same_examples[:5]) + ".")
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
    parser.add_argument("--rules", choices=("full", "ag", "both"), default="full",
                        help="AlphaGeometry's rules, the full set, or both side by side")
    parser.add_argument("--no-soundness", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also dump the rows as JSON here")
    args = parser.parse_args()

    peer_ok = not args.no_peer and (args.peer_venv / "bin" / "newclid").exists()
    if not args.no_peer and not peer_ok:
        print(f"peer venv {args.peer_venv} not found: skipping newclid", file=sys.stderr)
    results = []
    for rules_name in ("ag", "full") if args.rules == "both" else (args.rules,):
        rules = rule_set(rules_name)
        for label in args.sets:
            ours, theirs, prefix = SETS[label]
            problems = load_problems(ROOT / ours)
            if args.limit:
                problems = problems[: args.limit]
            res = SetResult(f"{label} ({rules_name} rules, {len(rules)})")
            for k, problem in enumerate(problems):
                row = run_tonggeo(problem, args.timeout, 0, rules)
                if peer_ok:
                    peer_name = problem.name.removeprefix(prefix)
                    row.peer, row.peer_seconds = run_peer(
                        args.peer_venv, ROOT / theirs, peer_name, args.timeout
                    )
                res.rows.append(row)
                print(f"[{res.label} {k + 1}/{len(problems)}] {problem.name[-40:]:40s} {row.status:8s} "
                      f"{row.seconds:6.2f}s sat {row.saturation:6.2f}s | peer {row.peer:8s} "
                      f"{fmt(row.peer_seconds)}", flush=True)
            results.append(res)
    sound = None
    if not args.no_soundness:
        sound = Soundness()
        for label in args.sets:
            problems = load_problems(ROOT / SETS[label][0])
            if args.limit:
                problems = problems[: args.limit]
            for problem in problems:
                try:
                    sound.add(soundness(problem, [1, 2, 3], args.timeout))
                except Exception as exc:  # a problem without a diagram has nothing to check
                    print(f"soundness: {problem.name}: {exc}", file=sys.stderr)
                    continue
        print(f"soundness: {sound}", flush=True)
    text = render(results, args, sound, peer_ok)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({r.label: [vars(x) for x in r.rows] for r in results}, indent=1))
    if not args.no_write:
        write_section(text, ROOT / "BENCHMARKS.md")


if __name__ == "__main__":
    main()
