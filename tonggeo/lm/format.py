"""The one text form of what a language model reads and writes: a search state (the problem and the
auxiliary clauses added so far), the auxiliary clauses that continue it, and the value label (how many
are still needed, capped at 4).  The dataset builder and the live prompt both use it, so they agree.

A state is the problem in the DSL (`Problem.to_text`, aux after ' | '); prompts add a task tag in front
and ' =>' behind:

    next: a b c = triangle a b c; d = midpoint d b c ? perp a d b c =>    -> ' e = foot e a b c'
    rest: ... =>                                                          -> ' e = ...; f = ...'
    value: ... =>                                                         -> ' 2'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from tonggeo.candidates.enumerate import fresh_names
from tonggeo.dsl import DslError, parse_problem
from tonggeo.dsl.ast import Clause, ConstructionCall, Problem

Task = Literal["next", "rest", "value"]
TASKS: tuple[Task, ...] = ("next", "rest", "value")
ARROW = " =>"
CLAUSE_SEPARATOR = "; "
MAX_VALUE = 4
"""Value labels are capped here (TongGeometry's five classes, 0..4)."""
VALUE_LABELS: tuple[str, ...] = tuple(f" {k}" for k in range(MAX_VALUE + 1))
EOS = "</s>"
"""End of a completion (the tokenizer's eos token)."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def state_text(problem: Problem, aux: Sequence[Clause] = ()) -> str:
    """The state: the problem's statement and goals, with its own aux clauses and then `aux`."""
    state = Problem(problem.name, problem.clauses, problem.goals, (*problem.aux, *aux))
    return state.to_text()


def prompt(task: Task, state: str) -> str:
    """What the model reads for `task` on a state's text."""
    return f"{task}: {state}{ARROW}"


def clause_completion(clauses: Sequence[Clause]) -> str:
    """Completion text of one or more auxiliary clauses (next: one; rest: all still needed)."""
    return " " + CLAUSE_SEPARATOR.join(c.to_text() for c in clauses)


def value_completion(needed: int) -> str:
    """Completion text of a value label: the aux clauses still needed, capped at MAX_VALUE."""
    return VALUE_LABELS[min(max(needed, 0), MAX_VALUE)]


def parse_value(text: str) -> int | None:
    """The label a value completion names, or None."""
    stripped = text.strip()
    return int(stripped) if stripped.isdigit() and int(stripped) <= MAX_VALUE else None


def parse_clauses(text: str, state: Problem) -> list[Clause]:
    """The auxiliary clauses of a completion that parse against the state, in order; clauses whose new
    points clash with known names are renamed onto free names; unparsable ones are dropped (and every
    clause after one that failed, since later clauses may build on its points)."""
    known = set(state.points) | {p for c in state.aux for p in c.point_names}
    body, _, goal = state.to_text().partition(" ? ")
    out: list[Clause] = []
    mapping: dict[str, str] = {}
    for raw in text.replace(EOS, "").strip().split(";"):
        line = raw.strip()
        if "=" not in line:
            break
        new = line.split("=", 1)[0].split()
        clash = [p for p in new if p in known]
        if clash:  # a new point under a known name: renamed here and in the clauses after it
            mapping.update(zip(clash, fresh_names(known | set(new), len(clash)), strict=True))
        line = _NAME.sub(lambda m: mapping.get(m.group(0), m.group(0)), line)
        aux = [c.to_text() for c in (*state.aux, *out)] + [line]
        statement = body.split(" | ")[0]
        trial = f"{statement} | {'; '.join(aux)}" + (f" ? {goal}" if goal else "")
        try:
            parsed = parse_problem(trial, "sample")
        except DslError:
            break
        if len(parsed.aux) != len(aux):
            break
        out.append(parsed.aux[-1])
        known |= set(parsed.aux[-1].point_names)
    return out


def clause_key(clause: Clause) -> str:
    """The clause up to the names of its new points (and the order of its calls): two samples with the
    same key are the same construction."""
    mapping = dict(zip(clause.point_names, (f"_{i}" for i in range(len(clause.point_names))), strict=True))
    calls = sorted(
        ConstructionCall(c.name, tuple(mapping.get(a, a) for a in c.args)).to_text() for c in clause.calls
    )
    return " ".join(mapping[p] for p in clause.point_names) + " = " + ", ".join(calls)
