"""Everything a proposing run writes under its output folder.

    problems.txt        every new problem, best first, in the DSL (aux constructions after ' | ')
    proofs/NAME.txt     its proof as text, and NAME.json as JSON
    figures/NAME.svg    figures of the top-ranked problems
    worth.txt           the top-ranked problems with their worth terms (`tonggeo.propose.worth`)
    training.jsonl      (problem, derived facts, auxiliary constructions) records of the aux problems
    gaps.txt            aux problems the engine failed to prove from scratch with their aux, though their
                        proof checks (engine gaps, not emitted: `ProposeConfig.scratch_share`)
    stats.json          seconds, cores, problems, unique, with_aux, symmetric, ...
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from tonggeo.diagram import Diagram, DiagramError, build_diagram
from tonggeo.diagram.figure import draw_diagram
from tonggeo.dsl.ast import Problem
from tonggeo.dsl.parser import parse_problem
from tonggeo.propose.mirror import AuxCopies, aux_copies
from tonggeo.propose.pipeline import Proposal
from tonggeo.propose.worth import Worth, aux_rank, extra_points, goal_form


@dataclass(frozen=True, slots=True)
class Emitted:
    """What the writer keeps of each problem until the end (the rest is on disk already)."""

    name: str
    text: str
    score: float
    symmetric: bool
    aux: int
    steps: int


class OutputWriter:
    """Streams proofs and training records as problems arrive; writes the ranked files at `close`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        (out / "proofs").mkdir(parents=True, exist_ok=True)
        self.emitted: list[Emitted] = []
        self._training: TextIO = (out / "training.jsonl").open("a", encoding="utf-8")

    def add(self, proposal: Proposal) -> None:
        stem = self.out / "proofs" / proposal.name
        stem.with_suffix(".txt").write_text(proposal.proof_text, encoding="utf-8")
        stem.with_suffix(".json").write_text(proposal.proof_json, encoding="utf-8")
        if proposal.aux:
            self._training.write(json.dumps(proposal.to_record()) + "\n")
            self._training.flush()
        self.emitted.append(Emitted(proposal.name, proposal.text, proposal.score, proposal.symmetric,
                                    len(proposal.aux), proposal.steps))

    def add_gaps(self, texts: Sequence[str]) -> None:
        """Append engine gaps (problem texts, aux after ' | ') to gaps.txt, one per line."""
        if texts:
            with (self.out / "gaps.txt").open("a", encoding="utf-8") as gaps:
                gaps.write("".join(f"{t}\n" for t in texts))

    def ranked(self) -> list[Emitted]:
        return sorted(self.emitted, key=lambda e: (-e.score, e.name))

    def close(self, stats: dict[str, object], *, figures: int, seed: int) -> None:
        """Write problems.txt (best first), figures of the top `figures`, and stats.json."""
        self._training.close()
        ranked = self.ranked()
        lines = []
        for e in ranked:
            tags = [f"score {e.score:.2f}", f"aux {e.aux}", f"steps {e.steps}"]
            if e.symmetric:
                tags.append("symmetric")
            lines.append(f"# {', '.join(tags)}\n{e.name}\n{e.text}\n")
        (self.out / "problems.txt").write_text("".join(lines), encoding="utf-8")
        figures_dir = self.out / "figures"
        drawn = 0
        top = [(e, parse_problem(e.text, e.name)) for e in ranked[:figures]]
        drawings: dict[str, Diagram | None] = {}
        for e, problem in top:
            try:
                drawings[e.name] = build_diagram(problem, np.random.default_rng(seed), include_aux=True)
            except DiagramError:
                drawings[e.name] = None
        (self.out / "worth.txt").write_text(worth_text([(e, p, drawings[e.name]) for e, p in top], seed),
                                            encoding="utf-8")
        for e, _ in top:
            diagram = drawings[e.name]
            if diagram is None:
                continue
            figures_dir.mkdir(exist_ok=True)
            draw_diagram(diagram, figures_dir / f"{e.name}.svg")
            drawn += 1
        stats = {**stats, "figures": drawn}
        (self.out / "stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")


def worth_text(top: list[tuple[Emitted, Problem, Diagram | None]], seed: int) -> str:
    """worth.txt: each problem (with its drawing, None when it could not be drawn) under its worth terms,
    best first."""
    worths = [(e, worth_of(e, p, d, seed)) for e, p, d in top]
    worths.sort(key=lambda item: (-item[1].score, item[0].name))
    return "".join(f"# {w.text()}\n{e.name}\n{e.text}\n" for e, w in worths)


def worth_of(e: Emitted, problem: Problem, diagram: Diagram | None, seed: int) -> Worth:
    """The worth of an emitted problem, its mirror and repeat aux read off its drawing (none without one)."""
    copies = AuxCopies() if diagram is None else aux_copies(problem.clauses, problem.aux,
                                                            diagram.complex_points)
    return Worth(e.aux, e.steps, len(problem.points), e.symmetric, aux_rank(problem, seed), copies.mirrored,
                 goal_form(problem.goals[0].to_text()) if problem.goals else 0.0,
                 extra_points([len(c.points) for c in problem.aux]), copies.repeats, copies.twins)
