"""Property run: random proposing figures, saturated by DDAR; every derived fact's proof must be accepted
by the independent checker (which re-derives the figure's coordinates from the constructions itself).

Each figure is a construction walk (`tonggeo.propose.walk.random_walk`) from a base drawn at random, of a
random depth, saturated with a time cap.  All derived records of the figure are replayed as one proof by
one `ProofChecker`; a derived fact counts as rejected if any step its proof rests on is rejected.  Writes
the "Checker property run" section of BENCHMARKS.md.

    nice -n 10 python benchmarks/checker_property.py [--figures 1000] [--seconds 8] [--budget 3600]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from _report import cpu_model, replace_section
from rich.progress import Progress

from tonggeo.diagram import DiagramError
from tonggeo.facts import fact_text
from tonggeo.facts.justification import AlgebraStep, Given, MergeStep, RuleStep
from tonggeo.proof import ProofChecker, extract_proof
from tonggeo.proof.model import ProofStep
from tonggeo.propose.bases import BASES
from tonggeo.propose.deduce import deduce
from tonggeo.propose.walk import random_walk

ROOT = Path(__file__).resolve().parents[1]
SECTION = "Checker property run"


@dataclass(slots=True)
class Tally:
    figures: int = 0
    fixpoint: int = 0
    skipped: int = 0
    derived: int = 0
    rejected_facts: int = 0
    rejected_figures: int = 0
    steps: int = 0
    examples: list[str] = field(default_factory=list)
    by_base: dict[str, int] = field(default_factory=dict)


def _cited(why: object) -> list[int]:
    match why:
        case RuleStep(premises=p) | MergeStep(premises=p):
            return list(p)
        case AlgebraStep(terms=terms, structure=structure):
            return [n for n, _ in terms] + list(structure)
    return []


def check_figure(seed: int, depth_range: tuple[int, int], seconds: float, tally: Tally) -> None:
    rng = np.random.default_rng([20261204, seed])
    base = sorted(BASES)[int(rng.integers(len(BASES)))]
    depth = int(rng.integers(depth_range[0], depth_range[1] + 1))
    try:
        walk = random_walk(base, rng, depth=depth)
    except DiagramError:
        tally.skipped += 1
        return
    deduction = deduce(walk.diagram, seconds=seconds)
    records = deduction.db.records
    ids = [r.id for r in records if not isinstance(r.why, Given)]
    points = {k: (float(v[0]), float(v[1])) for k, v in walk.diagram.points.items()}
    proof = extract_proof(records, ids, [records[i].fact for i in ids], deduction.problem.name, points)
    checker = ProofChecker(deduction.problem, points)
    tally.figures += 1
    tally.by_base[base] = tally.by_base.get(base, 0) + 1
    tally.fixpoint += deduction.complete
    tally.derived += len(ids)
    tally.steps += len(proof.steps)
    bad: dict[int, bool] = {}
    earlier: dict[int, ProofStep] = {}
    rejected = 0
    for step in proof.steps:
        error = checker.check_step(step, earlier)
        if error is None and not checker.fact_numeric(step.fact):
            error = "the fact is false in the diagram"
        if checker.coordinate_errors:
            error = error or f"coordinates: {checker.coordinate_errors[0]}"
        bad[step.number] = error is not None or any(bad.get(n, True) for n in _cited(step.why))
        earlier[step.number] = step
        if error is not None and len(tally.examples) < 8:
            tally.examples.append(f"figure {seed} ({base}): step {fact_text(step.fact)}: {error}")
        if not isinstance(step.why, Given):
            rejected += bad[step.number]
    tally.rejected_facts += rejected
    tally.rejected_figures += rejected > 0


def report(tally: Tally, args: argparse.Namespace, seconds: float, stopped: str) -> str:
    bases = ", ".join(f"{k} {v}" for k, v in sorted(tally.by_base.items()))
    lines = [
        f"## {SECTION}",
        "",
        "Command: `nice -n 10 python benchmarks/checker_property.py "
        f"--start {args.start} --figures {args.figures} "
        f"--seconds {args.seconds} --budget {args.budget}`. "
        f"Machine: {os.cpu_count()} cores ({cpu_model()}) shared with other jobs, one process, "
        f"Python {platform.python_version()}. Date: {dt.date.today().isoformat()}.",
        "",
        "Random proposing figures (a walk of depth "
        f"{args.depth_min}-{args.depth_max} from a random base), saturated by DDAR "
        f"(cap {args.seconds:g} s); every derived fact's proof replayed by the independent checker, which "
        "re-derives the coordinates from the constructions.",
        "",
        "| figures | reached fixpoint | derived facts | proof steps checked | rejected facts "
        "| figures with a rejection | skipped (no drawing) | wall |",
        "|---|---|---|---|---|---|---|---|",
        f"| {tally.figures} | {tally.fixpoint} | {tally.derived} | {tally.steps} | {tally.rejected_facts} "
        f"| {tally.rejected_figures} | {tally.skipped} | {seconds:.0f} s |",
        "",
        f"Stopped: {stopped}. Bases: {bases}.",
    ]
    if tally.examples:
        lines += ["", "First rejections:", ""] + [f"- {e}" for e in tally.examples]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0, help="first figure number (to split a run)")
    parser.add_argument("--seconds", type=float, default=8.0, help="saturation cap per figure")
    parser.add_argument("--depth-min", type=int, default=2)
    parser.add_argument("--depth-max", type=int, default=5)
    parser.add_argument("--budget", type=float, default=3600.0, help="stop after this many seconds")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    tally = Tally()
    start = time.monotonic()
    stopped = "all figures done"
    interrupted: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: interrupted.append(signum))
    with Progress() as progress:
        task = progress.add_task("figures", total=args.figures)
        for seed in range(args.start, args.start + args.figures):
            if interrupted:
                stopped = f"stopped by SIGTERM after {seed - args.start} figures"
                break
            if time.monotonic() - start > args.budget:
                stopped = f"time budget of {args.budget:g} s reached after {seed - args.start} figures"
                break
            check_figure(seed, (args.depth_min, args.depth_max), args.seconds, tally)
            progress.update(task, advance=1, description=f"rejected {tally.rejected_facts}")
    text = report(tally, args, time.monotonic() - start, stopped)
    print(text)
    if not args.no_write:
        replace_section(args.output, SECTION, text)


if __name__ == "__main__":
    main()
