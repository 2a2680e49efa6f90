"""`tonggeo draw`: build one problem's diagram and save it as an SVG or PNG figure."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import numpy as np

from tonggeo.cli.common import FILE_ARGUMENT, print_error_text, read_entries, select, stderr_console
from tonggeo.diagram import DiagramError, build_diagram

FIGURE_SUFFIXES = (".svg", ".png")


@click.command()
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--name", "-n", default=None, help="The problem to draw (needed when FILE has several).")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The figure to write: out.svg or out.png.",
)
@click.option("--seed", "-s", default=0, show_default=True, type=int, help="Seed of the diagram.")
@click.option("--with-aux", is_flag=True, help="Also draw the auxiliary points written after '|' (dashed).")
@click.option("--no-goal", is_flag=True, help="Do not highlight the goal objects.")
def draw(file: Path, name: str | None, output: Path, seed: int, with_aux: bool, no_goal: bool) -> None:
    """Draw the problem NAME of FILE into OUTPUT (.svg or .png)."""
    if output.suffix.lower() not in FIGURE_SUFFIXES:
        raise click.BadParameter(f"must end in .svg or .png, got {output.name!r}", param_hint="'--output'")
    entries = read_entries(file)
    if name is None and len(entries) != 1:
        names = ", ".join(e.name for e in entries[:10]) + (", ..." if len(entries) > 10 else "")
        raise click.UsageError(f"{file} holds {len(entries)} problems; pick one with --name ({names})")
    entry = select(entries, name)[0]
    err = stderr_console()
    if entry.problem is None:
        print_error_text(err, str(entry.error))
        sys.exit(1)

    from tonggeo.diagram.figure import draw_diagram  # matplotlib loads only when drawing

    try:
        diagram = build_diagram(entry.problem, np.random.default_rng(seed), include_aux=with_aux)
    except DiagramError as exc:
        print_error_text(err, f"{entry.name}: cannot build the diagram: {exc}")
        sys.exit(1)
    output.parent.mkdir(parents=True, exist_ok=True)
    draw_diagram(diagram, output, highlight_goal=not no_goal)
    click.echo(f"wrote {output}")
