"""`tonggeo solve`: prove every problem of a file with DDAR, in parallel processes if asked, with a
progress bar and a summary table; `--out` writes each proof (text and JSON) and its figure."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from solvers.registry import REGISTRY, available_solvers
from solvers.report import LearnedPolicy, SolveReport, solve_one
from tonggeo.cli.common import FILE_ARGUMENT, Entry, read_entries, select, stderr_console
from tonggeo.config import DEFAULT_SOLVER
from tonggeo.dsl import Problem

SOLVERS = available_solvers()
"""The registry's strategies (`ddar` included: `solvers.report.solve_one` runs each as the registry
builds it)."""
POLICIES = ("heuristic", "lm", "mixed")
_STATUS_STYLE = {
    "proved": "green", "holds_generically": "cyan", "holds_on_drawn_component": "blue", "unproved": "yellow",
    "timeout": "magenta",
    "error": "red", "refuted": "red",
}


def _outcomes(
    entries: list[Entry], solver: str, timeout: float, seed: int, with_aux: bool, jobs: int,
    ray_address: str | None = None, lm: LearnedPolicy | None = None,
) -> Iterator[SolveReport]:
    parse_errors = [
        SolveReport(e.name, "error", 0.0, 0, (), str(e.error)) for e in entries if e.problem is None
    ]
    yield from parse_errors
    problems = [e.problem for e in entries if e.problem is not None]
    if ray_address is not None:  # problems (and search branches) as Ray tasks
        from tonggeo.distributed.solve import solve_on_cluster

        yield from solve_on_cluster(problems, solver, timeout, seed, with_aux, ray_address)
        return
    if jobs <= 1:
        for problem in problems:
            yield solve_one(problem, solver, timeout, seed, with_aux, lm)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: set[Future[SolveReport]] = {
            pool.submit(solve_one, p, solver, timeout, seed, with_aux, lm) for p in problems
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


@contextmanager
def _learned_policy(kind: str, url: str | None, value_url: str | None) -> Iterator[LearnedPolicy | None]:
    """The policy's endpoints; without --lm-url, local servers for the shipped models for the run."""
    if kind == "heuristic":
        yield None
        return
    if url is not None:
        yield LearnedPolicy(kind, url, value_url)
        return
    from tonggeo.lm.serving import SHIPPED_POLICY, SHIPPED_VALUE, ServerError, start

    err = stderr_console()
    servers = []
    try:
        err.print(f"starting a local server for the shipped policy ({SHIPPED_POLICY})...")
        servers.append(start(SHIPPED_POLICY, "transformers"))
        if value_url is None and (SHIPPED_VALUE / "config.json").exists():
            servers.append(start(SHIPPED_VALUE, "transformers"))
            value_url = servers[-1].url
        yield LearnedPolicy(kind, servers[0].url, value_url)
    except ServerError as exc:
        raise click.ClickException(f"{exc}; pass --lm-url to use a running server") from exc
    finally:
        for server in servers:
            server.stop()


def safe_name(name: str) -> str:
    """A file name for a problem name (`examples/a.gex` -> `examples_a.gex`)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "problem"


def write_outputs(outcome: SolveReport, problem: Problem, out: Path, seed: int, with_aux: bool) -> None:
    """The proof as text and JSON and the diagram as SVG, under `out`."""
    import numpy as np

    from tonggeo.diagram import DiagramError, build_diagram
    from tonggeo.diagram.figure import draw_diagram

    out.mkdir(parents=True, exist_ok=True)
    stem = out / safe_name(outcome.name)
    if outcome.proof_text is not None:
        stem.with_suffix(".proof.txt").write_text(outcome.proof_text, encoding="utf-8")
    if outcome.proof_json is not None:
        pretty = json.dumps(json.loads(outcome.proof_json), indent=1)  # results carry it compact
        stem.with_suffix(".proof.json").write_text(pretty, encoding="utf-8")
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


def _summary(outcomes: list[SolveReport], path: Path) -> Table:
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
@click.option("--policy", type=click.Choice(POLICIES), default="heuristic", show_default=True,
              help="How search picks constructions: heuristic; lm (a language model, the heuristic when it "
                   "gives nothing); mixed (the heuristic's candidates plus the model's).")
@click.option("--prior", "use_prior", is_flag=True,
              help="Search with the learned prior over aux constructions merged into the policy's order, and "
                   "the learned detector's mirror guesses, each re-checked exactly (--solver search-prior).")
@click.option("--lm-url", default=None, metavar="URL",
              help="OpenAI-compatible endpoint of the policy model (e.g. from `tonggeo serve-lm`); default: "
                   "a local server for the shipped model, for this run.")
@click.option("--lm-value-url", default=None, metavar="URL",
              help="Endpoint of the value model (default: the shipped value, served locally, when --lm-url "
                   "is not given; none otherwise).")
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
    policy: str,
    use_prior: bool,
    lm_url: str | None,
    lm_value_url: str | None,
) -> None:
    """Prove the goals of every problem in FILE; a proof counts only if the independent checker accepts it.

    Exit status 0 when every problem is proved, 1 otherwise.
    """
    if timeout <= 0:
        raise click.BadParameter("must be positive", param_hint="'--timeout'")
    if jobs < 1:
        raise click.BadParameter("must be at least 1", param_hint="'--jobs'")
    if use_prior:
        if solver not in ("search", "search-prior"):
            raise click.BadParameter(
                f"the prior steers the search solver, not {solver}", param_hint="'--prior'"
            )
        solver = "search-prior"
    if policy != "heuristic" and solver not in ("search", "search-prior"):
        raise click.BadParameter(f"a learned policy steers the search solver, not {solver}",
                                 param_hint="'--policy'")
    with _learned_policy(policy, lm_url, lm_value_url) as lm:
        _solve_file(file, name, solver, timeout, jobs, as_json, out_dir, with_aux, seed, ray_address, lm)


def _solve_file(file: Path, name: str | None, solver: str, timeout: float, jobs: int, as_json: bool,
                out_dir: Path | None, with_aux: bool, seed: int, ray_address: str | None,
                lm: LearnedPolicy | None) -> None:
    entries = select(read_entries(file), name)
    problems = {e.name: e.problem for e in entries if e.problem is not None}
    err = stderr_console()
    out = Console(highlight=False)
    outcomes: list[SolveReport] = []
    show_bar = not as_json and sys.stderr.isatty()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    start = time.monotonic()
    with Progress(*columns, console=err, disable=not show_bar, transient=True) as progress:
        task = progress.add_task("solving", total=len(entries))
        for outcome in _outcomes(entries, solver, timeout, seed, with_aux, jobs, ray_address, lm):
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
        counted = [o.model_calls for o in outcomes if o.model_calls is not None]
        if lm is not None:
            calls, failed, unusable = (sum(c[i] for c in counted) for i in range(3))
            out.print(f"policy {lm.kind}: {calls} model calls, {failed} failed, {unusable} unusable "
                      "(the heuristic stood in for those)")
    if not all(o.status == "proved" for o in outcomes):
        sys.exit(1)
