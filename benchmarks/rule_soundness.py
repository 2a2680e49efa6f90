"""Rule soundness outside the engine: every rule of `tonggeo/rules/data/rules.txt` proved by a Groebner
basis in its generic configuration (`solvers.algebraic.rule_soundness`), or listed as checked
numerically only with the reason.  Writes the "Rule soundness" section of BENCHMARKS.md.

    python benchmarks/rule_soundness.py                  # every rule, 60 s each
    python benchmarks/rule_soundness.py --only r03 r13 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _report import replace_section  # noqa: E402

from solvers.algebraic.rule_soundness import (  # noqa: E402
    NUMERIC_ONLY,
    PROVED,
    PROVED_UP_TO_ORIENTATION,
    RuleVerdict,
    check_rule,
)
from tonggeo.ddar.rules import load_rules  # noqa: E402

TITLE = "Rule soundness"


def render(verdicts: list[RuleVerdict], timeout: float) -> str:
    proved = sum(v.verdict == PROVED for v in verdicts)
    oriented = sum(v.verdict == PROVED_UP_TO_ORIENTATION for v in verdicts)
    numeric = sum(v.verdict == NUMERIC_ONLY for v in verdicts)
    other = len(verdicts) - proved - oriented - numeric
    lines = [
        f"## {TITLE}",
        "",
        f"Command: `python benchmarks/rule_soundness.py --timeout {timeout:g}` (one rule at a time, sympy "
        f"Groebner bases). Machine: {os.cpu_count()} cores, Python {platform.python_version()}, shared with "
        f"other jobs. Date: {date.today().isoformat()}.",
        "",
        "Each rule of `tonggeo/rules/data/rules.txt` (as the engine parses it) is checked without the engine:"
        " its points get free coordinates, its premises become polynomial equations, its side conditions "
        "(ncoll, npara, nperp, diff) and the distinctness the matcher guarantees become inverse variables "
        "(Rabinowitsch), and each conclusion polynomial must lie in the radical of that ideal, over the "
        "complex numbers (every component, no diagram). `simtri*`/`contri*` are proved as the disjunction "
        "(products of the two orientations' polynomials); a sameclock rule concluding a triangle relation is "
        "proved as g * (cross + cross) (where the conclusion fails the triangles have opposite "
        "orientations, which sameclock excludes). Rules about two triangles get a frame per triangle. "
        "Rules whose side condition is "
        "sameside/nsameside select a real component no ideal describes: listed as checked numerically only.",
        "",
        f"Result: {len(verdicts)} rules: {proved} proved, {oriented} proved with their orientation "
        f"condition, {numeric} "
        f"checked numerically only (with the reason), {other} not proved.",
        "",
        "| rule | method | verdict | seconds | reason |",
        "| --- | --- | --- | ---: | --- |",
    ]
    for v in verdicts:
        lines.append(f"| {v.rule} | {v.method} | {v.verdict} | {v.seconds:.2f} | {v.reason} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per rule")
    parser.add_argument("--only", nargs="*", default=None, help="rule ids")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    verdicts = []
    for rule in load_rules():
        if args.only and rule.id not in args.only:
            continue
        verdict = check_rule(rule, args.timeout)
        verdicts.append(verdict)
        print(f"{verdict.rule:14s} {verdict.verdict:26s} {verdict.seconds:7.2f}s {verdict.reason}",
              flush=True)
    text = render(verdicts, args.timeout)
    print(text)
    if not args.no_write and not args.only:
        replace_section(ROOT / "BENCHMARKS.md", TITLE, text)


if __name__ == "__main__":
    main()
