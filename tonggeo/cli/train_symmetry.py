"""`tonggeo train symmetry-data|symmetry|prior`: label proposing walks with the exact detector, and
train the learned mirror detector and the aux-construction prior (`neural.geometric`; torch is imported
only when a model is trained)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tonggeo.cli.common import stderr_console

if TYPE_CHECKING:
    import numpy as np

    from tonggeo.dsl.ast import Problem
    from tonggeo.symmetry.training import Labelled

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


def walk_problems(rng: np.random.Generator, *, max_depth: int = 5) -> Iterator[Problem]:
    """Endless statements of proposing's random walks (the stream `tonggeo.symmetry.dataset.build` labels):
    a random base, 1..max_depth steps, symmetric half the time."""
    from tonggeo.constructions.bases import BASES
    from tonggeo.diagram import DiagramError
    from tonggeo.dsl.ast import Problem
    from tonggeo.propose.walk import random_walk

    bases = sorted(BASES)
    count = 0
    while True:
        base = bases[int(rng.integers(len(bases)))]
        depth = int(rng.integers(1, max_depth + 1))
        try:
            walk = random_walk(base, rng, depth=depth, symmetric=bool(rng.random() < 0.5))
        except DiagramError:
            continue
        count += 1
        clauses = walk.diagram.problem.clauses
        yield Problem(f"walk_{count}", clauses, ())


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
        stats = build(out, count, seed, walk_problems, timeout=timeout,
                      progress=lambda d, t: update("labelling", d, t))
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
@click.option(
    "--valid-share",
    type=float,
    default=0.2,
    show_default=True,
    help="Share of the statements kept apart to choose the pair threshold (never trained on).",
)
@click.option(
    "--pair-weight", type=float, default=1.0, show_default=True, help="Cap of the positive-pair loss weight."
)
@click.option(
    "--numeric-filter/--no-numeric-filter",
    default=True,
    show_default=True,
    help="Report only pairs an involution of the drawing's incidences also swaps (and train the pair "
    "head on those pairs only: it learns which of them to veto).",
)
def symmetry(
    data: tuple[Path, ...],
    out: Path,
    seed: int,
    epochs: int,
    draws: int,
    hidden: int,
    layers: int,
    limit: int | None,
    valid_share: float,
    pair_weight: float,
    numeric_filter: bool,
) -> None:
    """Train the learned mirror detector (EGNN, pair and graph heads) on exact labels: seeded, progress bar,
    a checkpoint after every epoch; the pair threshold is chosen on a validation split of the statements
    (best precision at recall >= 0.95); prints training and validation pair precision and recall."""
    import torch

    from neural.geometric import NetConfig
    from neural.geometric.fit import FitConfig, fit
    from neural.geometric.models import save
    from tonggeo.symmetry.features import EDGE_FEATURES, NODE_FEATURES
    from tonggeo.symmetry.learned import LearnedDetector
    from tonggeo.symmetry.training import (
        choose_threshold,
        examples,
        load_labelled,
        pair_metrics,
        split_statements,
    )

    torch.set_num_threads(max(1, min(torch.get_num_threads(), 2)))
    start = time.monotonic()
    with _bar("drawing") as update:
        items = load_labelled(
            list(data), seed, draws, limit=limit, progress=lambda d, t: update("drawing", d, t)
        )
        if not items:
            raise click.ClickException(f"no usable records in {', '.join(map(str, data))}")
        train, valid = split_statements(items, valid_share, seed)
        if not train:
            raise click.ClickException("no training statements left after the validation split")
        config = NetConfig("mirror", NODE_FEATURES, EDGE_FEATURES, hidden, layers, pair_edges=True)
        meta = {
            "data": [str(p) for p in data],
            "seed": seed,
            "draws": draws,
            "diagrams": len(train),
            "statements": len({it.problem.name + repr(it.problem.clauses) for it in train}),
            "valid_diagrams": len(valid),
            "numeric_filter": numeric_filter,
        }
        fit(
            config,
            examples(train, candidates_only=numeric_filter),
            FitConfig(epochs=epochs, seed=seed, max_pair_weight=pair_weight),
            out,
            meta,
            progress=lambda e, t, loss: update(f"epoch loss {loss:.3f}", e, t),
        )
    detector = LearnedDetector.load(out)

    def accepted(item: Labelled, cut: float) -> set[tuple[str, str]]:
        probs, _ = detector.probabilities(item.arrays)
        names = item.arrays.pair_names()
        return {names[k] for k in detector.accepted(item.arrays, probs, cut)}

    threshold, valid_metrics = choose_threshold(accepted, valid) if valid else (0.5, None)
    train_metrics = pair_metrics([accepted(it, threshold) for it in train], train)
    seconds = time.monotonic() - start
    extra = {
        "threshold": threshold,
        "threshold_note": f"best validation precision at recall >= 0.95 ({len(valid)} drawings)",
        "train_metrics": train_metrics.to_json(),
        "valid_metrics": valid_metrics.to_json() if valid_metrics else None,
        "total_seconds": round(seconds, 1),
    }
    save(detector.model, out, {**dict(detector.meta), **extra})
    click.echo(json.dumps({"model": str(out), "bytes": out.stat().st_size, **extra}))


COMMANDS = (symmetry_data, symmetry)
