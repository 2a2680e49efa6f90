"""`tonggeo train symmetry-data|symmetry|prior`: label proposing walks with the exact detector, and
train the learned mirror detector and the aux-construction prior (`neural.geometric`; torch is imported
only when a model is trained)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tonggeo.cli.common import stderr_console

OUT_FILE = click.Path(dir_okay=False, path_type=Path)
IN_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@contextmanager
def _bar(description: str) -> Iterator[Callable[[str, int, int], None]]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(phase: str, done: int, total: int) -> None:
            bar.update(task, description=phase, completed=done, total=total)

        yield update


@click.command("symmetry-data")
@click.option("--out", required=True, type=OUT_FILE, help="JSON-lines file of labelled statements.")
@click.option("-n", "--count", type=int, default=500, show_default=True, help="Walk statements to label.")
@click.option(
    "-s",
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the walks (keep one apart for testing).",
)
@click.option("-t", "--timeout", type=float, default=10.0, show_default=True, help="Saturation budget each.")
def symmetry_data(out: Path, count: int, seed: int, timeout: float) -> None:
    """Label proposing's construction walks (plain and symmetric, every base) with the exact detector."""
    from tonggeo.symmetry.dataset import build

    with _bar("labelling") as update:
        stats = build(out, count, seed, timeout=timeout, progress=lambda d, t: update("labelling", d, t))
    click.echo(json.dumps({"out": str(out), **{k: round(v, 1) for k, v in stats.items()}}))


@click.command("symmetry")
@click.option(
    "--data",
    "data",
    multiple=True,
    required=True,
    type=IN_FILE,
    help="Labelled statements (`train symmetry-data`; repeatable).",
)
@click.option("--out", required=True, type=OUT_FILE, help="Checkpoint file (rewritten after each epoch).")
@click.option("-s", "--seed", type=int, default=0, show_default=True)
@click.option("--epochs", type=int, default=30, show_default=True)
@click.option("--draws", type=int, default=2, show_default=True, help="Drawings per statement.")
@click.option("--hidden", type=int, default=32, show_default=True)
@click.option("--layers", type=int, default=3, show_default=True)
@click.option("--limit", type=int, default=None, help="Use the first N statements only.")
def symmetry(
    data: tuple[Path, ...],
    out: Path,
    seed: int,
    epochs: int,
    draws: int,
    hidden: int,
    layers: int,
    limit: int | None,
) -> None:
    """Train the learned mirror detector (EGNN, pair and graph heads) on exact labels: seeded, progress bar,
    a checkpoint after every epoch; prints the training set's pair precision and recall."""
    import torch

    from neural.geometric import NetConfig
    from neural.geometric.fit import FitConfig, fit
    from tonggeo.symmetry.features import EDGE_FEATURES, NODE_FEATURES
    from tonggeo.symmetry.learned import LearnedDetector
    from tonggeo.symmetry.training import examples, load_labelled, pair_metrics

    torch.set_num_threads(max(1, min(torch.get_num_threads(), 2)))
    start = time.monotonic()
    with _bar("drawing") as update:
        items = load_labelled(
            list(data), seed, draws, limit=limit, progress=lambda d, t: update("drawing", d, t)
        )
        if not items:
            raise click.ClickException(f"no usable records in {', '.join(map(str, data))}")
        config = NetConfig("mirror", NODE_FEATURES, EDGE_FEATURES, hidden, layers)
        meta = {
            "data": [str(p) for p in data],
            "seed": seed,
            "draws": draws,
            "diagrams": len(items),
            "statements": len({it.problem.name for it in items}),
        }
        fit(
            config,
            examples(items),
            FitConfig(epochs=epochs, seed=seed),
            out,
            meta,
            progress=lambda e, t, loss: update(f"epoch loss {loss:.3f}", e, t),
        )
    detector = LearnedDetector.load(out)
    metrics = pair_metrics([set(detector.pairs(it.arrays)[0]) for it in items], items)
    seconds = time.monotonic() - start
    _, blob_meta = detector.model, dict(detector.meta)
    from neural.geometric.models import save

    save(
        detector.model,
        out,
        {**blob_meta, "train_metrics": metrics.to_json(), "total_seconds": round(seconds, 1)},
    )
    click.echo(
        json.dumps(
            {
                "model": str(out),
                "seconds": round(seconds, 1),
                "train": metrics.to_json(),
                "bytes": out.stat().st_size,
            }
        )
    )


COMMANDS = (symmetry_data, symmetry)
