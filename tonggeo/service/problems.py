"""Problems as clients send them: parsing with the service's limits (errors name line and column), the
page's live preview, and the DSL reference the page shows."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tonggeo.dsl import GOAL_PREDICATES, DslError, Problem, iter_problems
from tonggeo.service.schemas import ParsedProblem
from tonggeo.service.security import Limits

EXAMPLES = (
    ("triangle_midlines", "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"),
    ("orthocenter", "a b c = triangle a b c; h = on_tline h b a c, on_tline h c a b ? perp a h b c"),
    ("perpendicular_bisector", "a b = segment a b; m = midpoint m a b; o = on_tline o m a b ? cong o a o b"),
    (
        "L058-9",
        "a b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b "
        "? cong e c c d",
    ),
)


class ApiError(Exception):
    """An error the client caused: HTTP status, a short code and a sentence (or structure) saying why."""

    def __init__(self, status: int, error: str, detail: Any) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status, self.error, self.detail = status, error, detail


def parse_request_problem(text: str, limits: Limits) -> Problem:
    """The one problem in `text` (a body line, optionally after its name line).  Raises ApiError (400)."""
    if len(text) > limits.max_problem_chars:
        raise ApiError(
            400, "problem_too_large", f"the problem text is limited to {limits.max_problem_chars} characters"
        )
    if "\x00" in text:
        raise ApiError(400, "invalid_problem", "the problem text holds a NUL character")
    try:
        entries = list(iter_problems(text, "request"))
    except (DslError, RecursionError, ValueError) as exc:
        raise ApiError(400, "invalid_problem", str(exc)) from None
    if len(entries) != 1:
        raise ApiError(
            400, "invalid_problem", f"expected one problem (a name line, then its body), found {len(entries)}"
        )
    (entry,) = entries
    if isinstance(entry, DslError):
        raise ApiError(400, "invalid_problem", str(entry))
    points = set(entry.points) | {n for c in entry.aux for n in c.point_names}
    clauses = len(entry.clauses) + len(entry.aux)
    if len(points) > limits.max_points:
        raise ApiError(400, "problem_too_large", f"{len(points)} points; the limit is {limits.max_points}")
    if clauses > limits.max_clauses:
        raise ApiError(400, "problem_too_large", f"{clauses} clauses; the limit is {limits.max_clauses}")
    if not entry.goals:
        raise ApiError(400, "invalid_problem", "the problem has no goal (write it after '?')")
    if len(entry.goals) > limits.max_goals:
        raise ApiError(400, "problem_too_large", f"{len(entry.goals)} goals; the limit is {limits.max_goals}")
    return entry


def preview(problem: Problem, seed: int) -> ParsedProblem:
    """The parsed problem and its figure; a problem that cannot be drawn is a 400 saying which clause."""
    from tonggeo.diagram import DiagramError
    from tonggeo.service.figure import figure_of

    try:
        svg = figure_of(problem, seed)
    except DiagramError as exc:
        raise ApiError(400, "not_drawable", str(exc)) from None
    except (ValueError, ArithmeticError, KeyError, IndexError) as exc:
        raise ApiError(400, "not_drawable", f"{type(exc).__name__}: {exc}") from None
    return ParsedProblem(
        name=problem.name,
        points=list(problem.points),
        clauses=len(problem.clauses),
        goals=[g.to_text() for g in problem.goals],
        svg=svg,
    )


@lru_cache(maxsize=1)
def dsl_reference() -> dict[str, Any]:
    """Constructions (signature and the facts they state), goal predicates, and example problems."""
    from tonggeo.dsl.parser import default_catalogue

    constructions = []
    for name, c in sorted(default_catalogue().items()):
        facts = sorted({f"{t.name} {' '.join(t.args)}" for group in c.facts for t in group.facts})
        constructions.append(
            {
                "name": name,
                "signature": f"{name} {' '.join(c.args)}",
                "outputs": list(c.outputs),
                "inputs": list(c.inputs),
                "states": facts,
            }
        )
    goals = [{"name": s.name, "description": s.description} for s in GOAL_PREDICATES.values()]
    examples = [{"name": n, "text": f"{n}\n{t}"} for n, t in EXAMPLES]
    syntax = (
        "One problem per request: an optional name line, then `points = construction args, ...; ... "
        "? goal args; ...`. Auxiliary clauses may follow ' | ' before the goals."
    )
    return {"syntax": syntax, "constructions": constructions, "goals": goals, "examples": examples}
