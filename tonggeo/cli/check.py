"""`tonggeo check`: parse every problem of a file, build its diagram and test each goal numerically."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tonggeo.cli.common import FILE_ARGUMENT, Entry, print_error_text, read_entries, select, stderr_console
from tonggeo.diagram import DiagramError, PredicateError, build_diagram, check_goal
from tonggeo.dsl import Problem


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome for one problem; `error` is None exactly when `ok`."""

    name: str
    ok: bool
    seconds: float
    error: str | None

    def to_json(self) -> str:
        return json.dumps({"name": self.name, "ok": self.ok, "error": self.error})


def check_problem(problem: Problem, seed: int = 0, *, with_aux: bool = False) -> CheckResult:
    """Build `problem`'s diagram from a generator seeded with `seed` and test every goal on it.

    Each problem gets its own generator, so checking one problem alone gives the same diagram as
    checking it within its file.
    """
    start = time.perf_counter()
    if not with_aux:
        aux_points = {name for clause in problem.aux for name in clause.point_names}
        for goal in problem.goals:
            used = [a for a in goal.args if a in aux_points]
            if used:
                message = f"goal '{goal.to_text()}' uses auxiliary point(s) {' '.join(used)}: add --with-aux"
                return CheckResult(problem.name, False, time.perf_counter() - start, message)
    rng = np.random.default_rng(seed)
    try:
        diagram = build_diagram(problem, rng, include_aux=with_aux)
    except DiagramError as exc:
        return CheckResult(problem.name, False, time.perf_counter() - start, str(exc))
    failed: list[str] = []
    for goal in problem.goals:
        try:
            holds = check_goal(diagram, goal)
        except PredicateError as exc:
            message = f"goal '{goal.to_text()}' cannot be checked: {exc}"
            return CheckResult(problem.name, False, time.perf_counter() - start, message)
        if not holds:
            failed.append(goal.to_text())
    seconds = time.perf_counter() - start
    if failed:
        message = "goal does not hold numerically: " + "; ".join(failed)
        return CheckResult(problem.name, False, seconds, message)
    return CheckResult(problem.name, True, seconds, None)


def check_entries(
    entries: Iterable[Entry], seed: int = 0, *, with_aux: bool = False
) -> Iterator[CheckResult]:
    """Check each entry in turn; a parse error or a crash on one problem is that problem's result only."""
    for entry in entries:
        if entry.problem is None:
            yield CheckResult(entry.name, False, 0.0, str(entry.error))
            continue
        try:
            yield check_problem(entry.problem, seed, with_aux=with_aux)
        except Exception as exc:  # one broken problem must not hide the rest of the file
            yield CheckResult(entry.name, False, 0.0, f"internal error: {type(exc).__name__}: {exc}")


def _summary(results: list[CheckResult], path: Path) -> Table:
    table = Table(title=f"tonggeo check {path}", title_justify="left")
    table.add_column("problem", overflow="fold")
    table.add_column("ok", justify="center")
    table.add_column("seconds", justify="right")
    table.add_column("error", overflow="fold")
    for result in results:
        mark = "[green]yes[/green]" if result.ok else "[red]NO[/red]"
        first_line = (result.error or "").splitlines()[0] if result.error else ""
        table.add_row(result.name, mark, f"{result.seconds:.3f}", first_line, style=None)
    return table


@click.command()
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--name", "-n", default=None, help="Check only the problem with this name.")
@click.option("--seed", "-s", default=0, show_default=True, type=int, help="Seed of each problem's diagram.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per problem per line, nothing else.")
@click.option("--with-aux", is_flag=True, help="Also construct the auxiliary points written after '|'.")
def check(file: Path, name: str | None, seed: int, as_json: bool, with_aux: bool) -> None:
    """Build a numeric diagram of every problem in FILE and check each goal on it.

    Exit status 0 when every problem parses, builds and satisfies its goals, 1 otherwise.
    """
    entries = select(read_entries(file), name)
    err = stderr_console()
    out = Console(highlight=False)
    results: list[CheckResult] = []
    show_bar = not as_json and sys.stderr.isatty()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=not show_bar, transient=True) as progress:
        task = progress.add_task("checking", total=len(entries))
        for result in check_entries(entries, seed, with_aux=with_aux):
            results.append(result)
            if as_json:
                click.echo(result.to_json())
            progress.update(task, advance=1, description=result.name[:40])
    if not as_json:
        out.print(_summary(results, file))
        failures = [r for r in results if not r.ok and r.error and "\n" in r.error]
        for result in failures:
            print_error_text(out, result.error or "")
        good = sum(r.ok for r in results)
        total_time = sum(r.seconds for r in results)
        colour = "green" if good == len(results) else "red"
        out.print(f"[{colour}]{good}/{len(results)} ok[/{colour}] in {total_time:.2f} s")
    if not all(r.ok for r in results):
        sys.exit(1)
