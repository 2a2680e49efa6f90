"""Rank a finished proposing run again under the current worth: every aux problem of its problems.txt is
scored afresh (`tonggeo.propose.pipeline.score`: mirror and repeat aux read off a fresh drawing with the
aux), and the top `--top` get their worth terms, as the run's worth.txt would have them today. Problems
without aux keep their score (no aux credit either way). Nothing of the run is rewritten: the ranking goes
to `--output` (default: stdout).

    python benchmarks/propose_rerank.py OUT [--top 20] [--seed 31] [--output FILE]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tonggeo.config import DEFAULT_PROPOSE  # noqa: E402
from tonggeo.diagram import Diagram, DiagramError, build_diagram  # noqa: E402
from tonggeo.dsl.ast import Problem  # noqa: E402
from tonggeo.dsl.parser import parse_problem  # noqa: E402
from tonggeo.propose.mirror import AuxCopies, aux_copies  # noqa: E402
from tonggeo.propose.output import Emitted, worth_text  # noqa: E402
from tonggeo.propose.pipeline import score  # noqa: E402
from tonggeo.propose.worth import extra_points  # noqa: E402

_TAGS = re.compile(r"^# score (?P<score>-?[\d.]+), aux (?P<aux>\d+), steps (?P<steps>\d+)"
                   r"(?P<sym>, symmetric)?$")


def read_problems(path: Path) -> list[Emitted]:
    """The emitted problems of a run's problems.txt (three lines each: tags, name, text)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    emitted = []
    for i in range(0, len(lines) - 2, 3):
        match = _TAGS.match(lines[i])
        if match is None:
            raise ValueError(f"{path}:{i + 1}: not a problem's tag line: {lines[i]!r}")
        emitted.append(Emitted(lines[i + 1], lines[i + 2], float(match["score"]), match["sym"] is not None,
                               int(match["aux"]), int(match["steps"])))
    return emitted


def drawing(problem: Problem, seed: int) -> Diagram | None:
    try:
        return build_diagram(problem, np.random.default_rng(seed), include_aux=True)
    except DiagramError:
        return None


def rescored(e: Emitted, problem: Problem, diagram: Diagram | None) -> Emitted:
    """`e` under today's ranking score."""
    if not e.aux:
        return e
    copies = AuxCopies() if diagram is None else aux_copies(problem.clauses, problem.aux,
                                                            diagram.complex_points)
    goal = problem.goals[0].to_text() if problem.goals else ""
    new = score(e.aux, e.steps, e.symmetric, len(problem.points), DEFAULT_PROPOSE, copies.mirrored, goal,
                extra_points([len(c.points) for c in problem.aux]), copies.repeats, copies.twins)
    return Emitted(e.name, e.text, new, e.symmetric, e.aux, e.steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a proposing run's output folder (with problems.txt)")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--seed", type=int, default=31, help="the drawings' seed (the run's)")
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    for e in read_problems(args.out / "problems.txt"):
        problem = parse_problem(e.text, e.name)
        diagram = drawing(problem, args.seed) if e.aux else None
        rows.append((rescored(e, problem, diagram), problem, diagram))
    rows.sort(key=lambda row: (-row[0].score, row[0].name))
    top = [(e, p, d if d is not None else drawing(p, args.seed)) for e, p, d in rows[:args.top]]
    text = worth_text(top, args.seed)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
