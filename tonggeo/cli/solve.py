"""`tonggeo solve`: prove every problem of a file with DDAR, in parallel processes if asked, with a
progress bar and a summary table; `--out` writes each proof (text and JSON) and its figure."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from solvers.registry import REGISTRY, available_solvers
from tonggeo.cli.common import FILE_ARGUMENT, Entry, read_entries, select, stderr_console
from tonggeo.config import DEFAULT_SOLVER
from tonggeo.dsl import Problem

SOLVERS = available_solvers()
"""The registry's strategies (`ddar` runs here through `tonggeo.ddar`, the others as the registry builds
them)."""
_STATUS_STYLE = {
    "proved": "green", "holds_generically": "cyan", "holds_on_drawn_component": "blue", "unproved": "yellow",
    "timeout": "magenta",
    "error": "red", "refuted": "red",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """One problem's result as the command reports it (plain data, so it crosses process boundaries)."""

    name: str
    status: str
    seconds: float
    steps: int
    aux: tuple[str, ...]
    error: str | None
    proof_text: str | None = None
    proof_json: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "name": self.name,
                "status": self.status,
                "seconds": round(self.seconds, 4),
                "steps": self.steps,
                "aux": list(self.aux),
                "error": self.error,
            }
        )


def solve_one(problem: Problem, solver: str, timeout: float, seed: int, with_aux: bool) -> Outcome:
    """Solve one problem (aux clauses moved into the statement iff `with_aux`)."""
    import numpy as np

    from tonggeo.ddar import solve
    from tonggeo.ddar.rules import load_rules
    from tonggeo.proof import proof_text, proof_to_json

    if solver not in SOLVERS:
        return Outcome(problem.name, "error", 0.0, 0, (), f"unknown solver {solver!r}")
    if solver != "ddar":
        return solve_with_strategy(problem, solver, timeout, seed, with_aux)
    statement = problem.with_aux() if with_aux else problem
    aux = tuple(c.to_text() for c in problem.aux) if with_aux else ()
    try:
        result = solve(statement, timeout=timeout, rng=np.random.default_rng(seed))
    except Exception as exc:  # one broken problem must not stop the file
        return Outcome(problem.name, "error", 0.0, 0, aux, f"internal error: {type(exc).__name__}: {exc}")
    text = js = None
    if result.proof is not None:
        rule_texts = {r.id: r.to_text() for r in load_rules()}
        text = proof_text(result.proof, rule_texts)
        js = json.dumps(proof_to_json(result.proof), indent=1)
    return Outcome(problem.name, result.status, result.seconds, result.steps, aux, result.error, text, js)


def solve_with_strategy(problem: Problem, solver: str, timeout: float, seed: int, with_aux: bool) -> Outcome:
    """Solve one problem with a strategy of `solvers.registry`; the auxiliary constructions it found (if
    any) are reported after the given ones."""
    import numpy as np

    from solvers import Budget, get_solver

    statement = problem.with_aux() if with_aux else problem
    given = tuple(c.to_text() for c in problem.aux) if with_aux else ()
    try:
        result = get_solver(solver).solve(statement, Budget(seconds=timeout), np.random.default_rng(seed))
    except Exception as exc:  # one broken problem must not stop the file
        return Outcome(problem.name, "error", 0.0, 0, given, f"internal error: {type(exc).__name__}: {exc}")
    steps = 0
    if result.proof_json is not None:
        steps = sum(1 for s in json.loads(result.proof_json)["steps"] if s.get("by") != "given")
    error = None if result.status.value == "proved" and steps else result.message  # a 0-step proof says why
    return Outcome(problem.name, result.status.value, result.seconds, steps, given + result.aux, error,
                   result.proof_text, result.proof_json)


def _outcomes(
    entries: list[Entry], solver: str, timeout: float, seed: int, with_aux: bool, jobs: int,
    ray_address: str | None = None,
) -> Iterator[Outcome]:
    parse_errors = [Outcome(e.name, "error", 0.0, 0, (), str(e.error)) for e in entries if e.problem is None]
    yield from parse_errors
    problems = [e.problem for e in entries if e.problem is not None]
    if ray_address is not None:  # problems (and search branches) as Ray tasks
        from tonggeo.distributed.solve import solve_on_cluster

        yield from solve_on_cluster(problems, solver, timeout, seed, with_aux, ray_address)
        return
    if jobs <= 1:
        for problem in problems:
            yield solve_one(problem, solver, timeout, seed, with_aux)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: set[Future[Outcome]] = {
            pool.submit(solve_one, p, solver, timeout, seed, with_aux) for p in problems
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def safe_name(name: str) -> str:
    """A file name for a problem name (`examples/a.gex` -> `examples_a.gex`)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "problem"


def write_outputs(outcome: Outcome, problem: Problem, out: Path, seed: int, with_aux: bool) -> None:
    """The proof as text and JSON and the diagram as SVG, under `out`."""
    import numpy as np

    from tonggeo.diagram import DiagramError, build_diagram
    from tonggeo.diagram.figure import draw_diagram

    out.mkdir(parents=True, exist_ok=True)
    stem = out / safe_name(outcome.name)
    if outcome.proof_text is not None:
        stem.with_suffix(".proof.txt").write_text(outcome.proof_text, encoding="utf-8")
    if outcome.proof_json is not None:
        stem.with_suffix(".proof.json").write_text(outcome.proof_json, encoding="utf-8")
    statement = problem.with_aux() if with_aux else problem
    found = outcome.aux[len(problem.aux) :] if with_aux else outcome.aux
    if found:  # the search's auxiliary clauses, drawn as such (dashed)
        from tonggeo.dsl import parse_problem

        text = "; ".join(c.to_text() for c in statement.clauses) + " | " + "; ".join(found)
        statement = parse_problem(text + " ? " + "; ".join(g.to_text() for g in problem.goals), problem.name)
    try:
        diagram = build_diagram(statement, np.random.default_rng(seed), include_aux=bool(found))
    except DiagramError:
        return
    draw_diagram(diagram, stem.with_suffix(".svg"))


def _summary(outcomes: list[Outcome], path: Path) -> Table:
    table = Table(title=f"tonggeo solve {path}", title_justify="left")
    table.add_column("problem", overflow="fold")
    table.add_column("status", justify="center")
    table.add_column("seconds", justify="right")
    table.add_column("steps", justify="right")
    table.add_column("note", overflow="fold")
    for o in outcomes:
        style = _STATUS_STYLE.get(o.status, "white")
        first = (o.error or "").splitlines()[0] if o.error else ""
        table.add_row(o.name, f"[{style}]{o.status}[/{style}]", f"{o.seconds:.2f}", str(o.steps), first)
    return table


@click.command()
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--name", "-n", default=None, help="Solve only the problem with this name.")
@click.option(
    "--solver",
    type=click.Choice(SOLVERS),
    default=DEFAULT_SOLVER.default_solver,
    show_default=True,
    help="; ".join(f"{name}: {REGISTRY[name].summary}" for name in SOLVERS) + ".",
)
@click.option("--timeout", "-t", default=60.0, show_default=True, type=float, help="Seconds per problem.")
@click.option("--jobs", "-j", default=1, show_default=True, type=int, help="Problems solved in parallel.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per problem per line, nothing else.")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Write each proof (.proof.txt, .proof.json) and figure (.svg) into this folder.")
@click.option("--with-aux", is_flag=True, help="Use the auxiliary constructions written after '|'.")
@click.option("--seed", "-s", default=0, show_default=True, type=int, help="Seed of each problem's diagram.")
@click.option("--ray", "ray_address", default=None, metavar="ADDRESS|auto|local",
              help="Solve on this Ray cluster (needs tonggeo[ray]; local: start Ray here); ignores --jobs.")
def solve(
    file: Path,
    name: str | None,
    solver: str,
    timeout: float,
    jobs: int,
    as_json: bool,
    out_dir: Path | None,
    with_aux: bool,
    seed: int,
    ray_address: str | None,
) -> None:
    """Prove the goals of every problem in FILE; a proof counts only if the independent checker accepts it.

    Exit status 0 when every problem is proved, 1 otherwise.
    """
    if timeout <= 0:
        raise click.BadParameter("must be positive", param_hint="'--timeout'")
    if jobs < 1:
        raise click.BadParameter("must be at least 1", param_hint="'--jobs'")
    entries = select(read_entries(file), name)
    problems = {e.name: e.problem for e in entries if e.problem is not None}
    err = stderr_console()
    out = Console(highlight=False)
    outcomes: list[Outcome] = []
    show_bar = not as_json and sys.stderr.isatty()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    start = time.monotonic()
    with Progress(*columns, console=err, disable=not show_bar, transient=True) as progress:
        task = progress.add_task("solving", total=len(entries))
        for outcome in _outcomes(entries, solver, timeout, seed, with_aux, jobs, ray_address):
            outcomes.append(outcome)
            if as_json:
                click.echo(outcome.to_json())
            problem = problems.get(outcome.name)
            if out_dir is not None and problem is not None and outcome.status == "proved":
                write_outputs(outcome, problem, out_dir, seed, with_aux)
            proved = sum(o.status == "proved" for o in outcomes)
            progress.update(task, advance=1, description=f"{proved} proved | {outcome.name[-30:]}")
    order = {e.name: k for k, e in enumerate(entries)}
    outcomes.sort(key=lambda o: order.get(o.name, len(order)))
    if not as_json:
        out.print(_summary(outcomes, file))
        proved = sum(o.status == "proved" for o in outcomes)
        colour = "green" if proved == len(outcomes) else "yellow"
        generic = sum(o.status == "holds_generically" for o in outcomes)
        drawn = sum(o.status == "holds_on_drawn_component" for o in outcomes)
        more = f", {generic} more hold generically (algebraic verdict, no synthetic proof)" if generic else ""
        if drawn:
            more += f", {drawn} hold on the drawn component only (algebraic, the diagram chose a component)"
        out.print(f"[{colour}]{proved}/{len(outcomes)} proved[/{colour}]{more} in "
                  f"{time.monotonic() - start:.2f} s")
    if not all(o.status == "proved" for o in outcomes):
        sys.exit(1)
