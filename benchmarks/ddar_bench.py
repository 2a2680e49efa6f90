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
import math
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

from solvers.ddar import solve  # noqa: E402
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
        result.status.value,
        result.seconds,
        result.saturation_seconds,
        result.steps,
        result.facts,
        error=None if result.solved and result.steps else result.message,
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


def _direction(points: dict[str, tuple[float, float]], a: str, b: str) -> float:
    (xa, ya), (xb, yb) = points[a], points[b]
    return math.atan2(yb - ya, xb - xa)


def angle_residual(kind: str, args: tuple[str, ...], points: dict[str, tuple[float, float]]) -> float | None:
    """How far an angle fact is from holding in a figure (radians mod pi), None for other kinds."""
    d = _direction
    if kind == "para":
        return d(points, *args[0:2]) - d(points, *args[2:4])
    if kind == "perp":
        return d(points, *args[0:2]) - d(points, *args[2:4]) - math.pi / 2
    if kind == "eqangle":
        first = d(points, *args[0:2]) - d(points, *args[2:4])
        return first - (d(points, *args[4:6]) - d(points, *args[6:8]))
    return None


def _is_multiple(value: float, step: float, tol: float = 1e-6) -> bool:
    k = value / step
    return abs(k - round(k)) < tol


@dataclass
class Soundness:
    """Fresh-diagram re-checks of derived facts.  A false configuration-dependent fact is classified by
    re-reading, in the fresh figure, what each configuration-reading step of its derivation read in
    seed 0's figure: a side condition (sameside, nsameside, sameclock), the orientation that chose
    simtri or simtri2, which sign of a power holds, which solution of a k-fold angle equation holds (k
    times the equation must still hold)."""

    checked: int = 0
    false: int = 0
    dep_checked: int = 0
    dep_false: int = 0
    other: int = 0  # a step reads the fresh figure differently: the fresh figure is another configuration
    same: int = 0  # every step reads it as in seed 0: false in the same configuration (a bug)
    reads: dict[str, int] = field(default_factory=dict)  # what differed, by kind
    examples: list[str] = field(default_factory=list)
    same_examples: list[str] = field(default_factory=list)

    def add(self, other: Soundness) -> None:
        for name in ("checked", "false", "dep_checked", "dep_false", "other", "same"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, count in other.reads.items():
            self.reads[kind] = self.reads.get(kind, 0) + count
        self.examples.extend(other.examples)
        self.same_examples.extend(other.same_examples)


def soundness(problem: Problem, seeds: list[int], timeout: float) -> Soundness:
    """Saturate on seed 0, then check every derived fact on diagrams from other seeds.

    A fact whose derivation reads the figure's configuration (see `tonggeo.proof.dependence`) may be
    false in a figure of another configuration; any other false fact is an unsound step.  A false
    configuration-dependent fact counts as "another configuration" only when some step of its derivation
    reads the fresh figure differently from seed 0's (see `Soundness`); otherwise it is a bug."""
    from tonggeo.ddar import initial_state
    from tonggeo.ddar.numeric import NumericModel, numeric_holds
    from tonggeo.ddar.saturate import Saturator, plans_for
    from tonggeo.diagram import DiagramError, build_diagram
    from tonggeo.facts import fact_text
    from tonggeo.facts.justification import AlgebraStep, Given, RuleStep, premises_of
    from tonggeo.proof.checker import ProofChecker
    from tonggeo.proof.dependence import (
        CONFIGURATION_CONDITIONS,
        configuration_dependent,
        step_reads_configuration,
    )

    rules = load_rules()
    by_id = {r.id: r for r in rules}
    state = initial_state(problem, np.random.default_rng(0))
    Saturator(state.db, plans_for(rules)).run((), deadline=time.monotonic() + timeout)
    records = state.db.records
    base = state.numeric
    dependent = configuration_dependent(records, by_id)
    reading = [step_reads_configuration(r, by_id) for r in records]

    def holds(model: NumericModel, kind: str, names: tuple[str, ...]) -> bool:
        return numeric_holds(model, kind, [model.index[n] for n in names])

    def differs(
        rid: int, fresh: NumericModel, fresh_points: dict[str, tuple[float, float]], checker: ProofChecker
    ) -> str:
        """What the configuration-reading step `rid` reads differently in the fresh figure ('' if nothing)."""
        record = records[rid]
        why = record.why
        if isinstance(why, RuleStep):
            rule = by_id.get(why.rule)
            if rule is None:
                return "unknown rule"
            names = dict(why.assignment)
            for cond in rule.conditions:
                if cond.name in CONFIGURATION_CONDITIONS:
                    args = tuple(names[a] for a in cond.args)
                    if holds(base, cond.name, args) != holds(fresh, cond.name, args):
                        return cond.name
            if any(c.name.endswith("*") for c in rule.conclusions):
                args = tuple(record.fact.args[:6])
                if len(args) == 6 and holds(base, "sameclock", args) != holds(fresh, "sameclock", args):
                    return "orientation (simtri/simtri2)"
            return ""
        if isinstance(why, AlgebraStep):
            premises_true = all(checker.fact_numeric(records[p].fact) for p in premises_of(why))
            if not premises_true or checker.fact_numeric(record.fact):
                return ""
            if any(s.startswith("power") for s in why.selectors):
                return "power sign"
            residual = angle_residual(record.fact.kind, record.fact.args, fresh_points)
            # the combination proves k times the equation: it must still hold, another solution being drawn
            k = why.multiplier
            if residual is not None and k > 1 and _is_multiple(residual, math.pi / k):
                return "angle solution"
        return ""

    derived = [(r, dependent[r.id]) for r in records if not isinstance(r.why, Given)]
    out = Soundness()
    for seed in seeds:
        try:
            diagram = build_diagram(problem, np.random.default_rng(seed))
        except DiagramError:
            continue
        points = {k: (float(v[0]), float(v[1])) for k, v in diagram.points.items()}
        checker = ProofChecker(problem, points, rules=())
        fresh = NumericModel(list(diagram.points), diagram.points, base.config)
        memo: dict[int, str] = {}
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
            found = ""
            stack, visited = [record.id], {record.id}
            while stack and not found:
                rid = stack.pop()
                if reading[rid]:
                    if rid not in memo:
                        memo[rid] = differs(rid, fresh, points, checker)
                    found = memo[rid]
                for p in premises_of(records[rid].why):
                    if p not in visited and dependent[p]:
                        visited.add(p)
                        stack.append(p)
            if found:
                out.other += 1
                out.reads[found] = out.reads.get(found, 0) + 1
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
        "`full` = every rule of `tonggeo/rules/data/rules.txt` (adds Newclid's classical theorems). Both "
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
            "Each false configuration-dependent fact is classified by re-reading, in the fresh figure, what "
            "each configuration-reading step of its derivation read in seed 0's figure (the side "
            "conditions sameside/nsameside/sameclock under the step's points, the orientation that chose "
            "simtri or simtri2, which sign of a power holds, and which solution of a k-fold angle equation "
            "holds: the step's conclusion fails while its premises hold and k times its equation still "
            "holds). A false fact none of whose steps reads differently is false in the same "
            "configuration: a bug."
        )
        lines.append("")
        lines.append("| false configuration-dependent facts | count |")
        lines.append("| --- | ---: |")
        for kind, count in sorted(sound.reads.items(), key=lambda kv: -kv[1]):
            lines.append(f"| another configuration: a step's {kind} reads differently | {count} |")
        lines.append(f"| another configuration, total | {sound.other} |")
        lines.append(f"| same configuration (every step reads as in seed 0: a bug) | {sound.same} |")
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
