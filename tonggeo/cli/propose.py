"""`tonggeo propose`: discover new problems by construction walks, with a progress bar, for a time or
count budget; writes problems.txt, proofs, figures, training.jsonl and stats.json under --out."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tonggeo.cli.common import stderr_console


@click.command()
@click.option("--seconds", "-t", type=float, default=None, help="Time budget (default 60 s without --count).")
@click.option("--count", "-n", type=int, default=None, help="Stop after this many new problems.")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Seed of the walks.")
@click.option("--jobs", "-j", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--base", "bases", multiple=True, metavar="CONFIG",
              help="Base configuration to walk from (repeatable; default: a mix). See --list-bases.")
@click.option("--depth", type=int, default=None, help="Construction steps per walk.")
@click.option("--restarts", type=int, default=None,
              help="Restarts of a walk from its best buffered states when its trunk stops.")
@click.option("--chained/--unchained", default=None,
              help="Whether each walk step must use a point made by the previous one (default: chained).")
@click.option("--ranker", type=click.Choice(["prior", "random", "symmetric"]), default=None,
              help="How walks pick constructions (default: prior odds by construction kind; symmetric: those "
                   "odds, biased toward constructions predicted to keep the drawing's mirror symmetry).")
@click.option("--symmetric-share", type=click.FloatRange(0.0, 1.0), default=None,
              help="Share of the walks' CPU time given to walks that keep a mirror symmetry (default 0.5).")
@click.option("--base-choice", type=click.Choice(["fertile", "turns", "yield"]), default=None,
              help="How each walk's base is picked (default fertile: by the aux problems per CPU second each "
                   "base's recent walks let in under the goal-kind quotas, with a uniform share; turns: "
                   "bases in turn).")
@click.option("--scratch-share", type=click.FloatRange(0.0, 1.0), default=None,
              help="Share of the figures whose aux problems are proved once more from scratch, as solve does "
                   "(default 0.25; 1: every emitted aux problem). One the engine does not prove is an engine "
                   "gap, listed in OUT/gaps.txt and not emitted.")
@click.option("--out", "out", required=False, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder.")
@click.option("--index", "index", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Persistent SQLite index of emitted problems (default OUT/index.sqlite); share it across "
                   "runs so no problem is emitted twice.")
@click.option("--figures", type=int, default=None, help="Figures for this many top problems.")
@click.option("--list-bases", is_flag=True, help="Print the base configurations and exit.")
@click.option("--ray", "ray_address", default=None, metavar="ADDRESS|auto|local",
              help="Run the walks as Ray tasks on this cluster (needs tonggeo[ray]; local: start Ray here).")
def propose(
    seconds: float | None,
    count: int | None,
    seed: int,
    jobs: int,
    bases: tuple[str, ...],
    depth: int | None,
    restarts: int | None,
    chained: bool | None,
    ranker: str | None,
    symmetric_share: float | None,
    base_choice: str | None,
    scratch_share: float | None,
    out: Path | None,
    index: Path | None,
    figures: int | None,
    list_bases: bool,
    ray_address: str | None,
) -> None:
    """Propose new problems: walk construction space, saturate with DDAR, keep the facts whose proof needs
    constructions beyond the statement (and long aux-free ones), deduplicated up to renaming."""
    from tonggeo.config import DEFAULT_PROPOSE
    from tonggeo.propose.bases import BASES
    from tonggeo.propose.run import RunStats
    from tonggeo.propose.run import propose as run

    if list_bases:
        for name, text in BASES.items():
            click.echo(f"{name:20s} {text}")
        return
    if out is None:
        raise click.UsageError("missing option '--out'")
    if jobs < 1:
        raise click.BadParameter("must be at least 1", param_hint="'--jobs'")
    if seconds is not None and seconds <= 0:
        raise click.BadParameter("must be positive", param_hint="'--seconds'")
    if count is not None and count < 1:
        raise click.BadParameter("must be at least 1", param_hint="'--count'")
    unknown = [b for b in bases if b not in BASES]
    if unknown:
        known = ", ".join(BASES)
        raise click.BadParameter(f"unknown base {unknown[0]!r}; known: {known}", param_hint="'--base'")
    if seconds is None and count is None:
        seconds = 60.0
    config = DEFAULT_PROPOSE
    if depth is not None:
        config = replace(config, depth=depth)
    if restarts is not None:
        config = replace(config, restarts=restarts)
    if chained is not None:
        config = replace(config, chained=chained)
    if figures is not None:
        config = replace(config, figures=figures)
    if ranker is not None:
        config = replace(config, ranker=ranker)
    if symmetric_share is not None:
        config = replace(config, symmetric_share=symmetric_share, share_of="cpu")
    if base_choice is not None:
        config = replace(config, base_choice=base_choice)
    if scratch_share is not None:
        config = replace(config, scratch_share=scratch_share)
    err = stderr_console()
    columns = (
        TextColumn("[bold]proposing[/bold]"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
        TimeElapsedColumn(),
    )
    total = count if count is not None else seconds
    if ray_address is not None:
        from functools import partial

        from tonggeo.distributed.propose import propose_on_cluster

        run = partial(propose_on_cluster, address=ray_address)
    with Progress(*columns, console=err, disable=not sys.stderr.isatty(), transient=False) as progress:
        bar = progress.add_task("propose", total=total, line="")

        def show(stats: RunStats) -> None:
            line = (f"found {stats.problems} | unique {stats.unique} | with aux {stats.with_aux} | "
                    f"symmetric {stats.symmetric} | {stats.per_minute:.1f}/min | walks {stats.walks}")
            done = stats.unique if count is not None else min(stats.seconds, float(total or 0))
            progress.update(bar, completed=done, line=line)

        stats = run(out, seconds=seconds, count=count, seed=seed, jobs=jobs, bases=bases or None,
                    index=index, config=config, progress=show)
    Console(highlight=False).print(
        f"{stats.unique} new problems ({stats.with_aux} with aux, {stats.symmetric} symmetric) from "
        f"{stats.walks} walks in {stats.seconds:.1f} s on {stats.cores} core(s) -> {out}"
    )
    if stats.engine_gaps:
        Console(highlight=False, stderr=True).print(
            f"{stats.engine_gaps} aux problem(s) with a checked proof were not emitted: DDAR does not prove "
            f"them from scratch with their aux (engine gaps, listed in {out / 'gaps.txt'})")
