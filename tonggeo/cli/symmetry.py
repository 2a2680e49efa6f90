"""`tonggeo symmetry`: the mirror pairs of each problem of a file, by the exact detector (saturation,
then involutions of the database) or the learned one (the drawing alone), so the two can be compared."""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np
from rich.table import Table

from tonggeo.cli.common import FILE_ARGUMENT, read_entries, select, stderr_console


@click.command()
@click.argument("file", type=FILE_ARGUMENT)
@click.option("--detector", type=click.Choice(["learned", "exact"]), default="exact", show_default=True,
              help="exact: saturate, then read involutions off the database; learned: the equivariant "
              "network on the drawing (falls back to exact if its checkpoint cannot be loaded).")
@click.option("--checkpoint", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Learned detector checkpoint (default: the one shipped in tonggeo/symmetry/checkpoints).")
@click.option("--name", default=None, help="Only the problem with this name.")
@click.option("-s", "--seed", type=int, default=0, show_default=True, help="Seed of each problem's drawing.")
@click.option("-t", "--timeout", type=float, default=30.0, show_default=True,
              help="Saturation budget per problem (exact detector).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per problem: name, symmetric, pairs, "
              "seconds, error.")
def symmetry(file: Path, detector: str, checkpoint: Path | None, name: str | None, seed: int, timeout: float,
             as_json: bool) -> None:
    """Detect the mirror symmetry of every problem of FILE: the point pairs swapped by the involution(s)
    that map the configuration (and its goals) to itself."""
    from tonggeo.symmetry.learned import DEFAULT_DETECTOR, LearnedDetector, ModelUnavailable, detect

    console = stderr_console()
    loaded = None
    path = checkpoint or DEFAULT_DETECTOR
    if detector == "learned":
        try:
            loaded = LearnedDetector.load(path)
        except ModelUnavailable as exc:
            console.print(f"warning: {exc}; falling back to exact detection", markup=False)
            detector = "exact"
    table = Table("problem", "symmetric", "pairs", "seconds", "note")
    for entry in select(read_entries(file), name):
        if entry.problem is None:
            record: dict[str, object] = {"name": entry.name, "symmetric": False, "pairs": [], "seconds": 0.0,
                                         "error": str(entry.error)}
        else:
            found = detect(entry.problem, np.random.default_rng(seed), detector, checkpoint=path,
                           timeout=timeout, loaded=loaded)
            record = found.to_json()
        if as_json:
            click.echo(json.dumps(record))
        else:
            pairs = record["pairs"]
            assert isinstance(pairs, list)
            table.add_row(str(record["name"]), "yes" if record["symmetric"] else "no",
                          " ".join(f"{a}<->{b}" for a, b in pairs), f"{record['seconds']:.2f}",
                          str(record["error"] or ""))
    if not as_json:
        console = stderr_console()
        console.print(table)
