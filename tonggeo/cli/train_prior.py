"""`tonggeo train prior`: the learned prior over auxiliary constructions (`tonggeo.symmetry.prior`),
labelled from proposing's training records against the heuristic policy's root candidates, trained with
torch (imported only here), evaluated by top-k hits against the heuristic's own order on the test runs."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from tonggeo.cli.train_symmetry import OUT_FILE, _bar


@click.command("prior")
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--test-run", "test_runs", multiple=True, default=("test",), show_default=True,
              help="Runs (folder names containing this) held out for testing; repeatable.")
@click.option("--out", required=True, type=OUT_FILE, help="Checkpoint (.npz; rewritten during training).")
@click.option("-s", "--seed", type=int, default=0, show_default=True, help="Seed of training and drawings.")
@click.option("--epochs", type=int, default=40, show_default=True)
@click.option("--hidden", type=int, default=16, show_default=True, help="Hidden width (0: logistic).")
@click.option("--pool", type=int, default=64, show_default=True, help="Heuristic candidates per record.")
@click.option("-k", type=int, default=8, show_default=True, help="Top-k of the hit rates.")
def prior(data: tuple[Path, ...], test_runs: tuple[str, ...], out: Path, seed: int, epochs: int, hidden: int,
          pool: int, k: int) -> None:
    """Train the prior on proposing records (training.jsonl files or `tonggeo propose --out` folders in
    DATA): progress bar, seeded, checkpoints; prints train/test top-k hits of the prior and the heuristic."""
    import numpy as np

    from solvers.search.prior_policy import heuristic_pool
    from tonggeo.diagram.model import Diagram
    from tonggeo.dsl.ast import Problem
    from tonggeo.symmetry.prior_training import (
        Candidate,
        TrainConfig,
        build_samples,
        hit_rates,
        read_records,
        split,
        train,
    )

    def candidates(problem: Problem, rng: np.random.Generator) -> tuple[Diagram, list[Candidate]]:
        node, ranked = heuristic_pool(problem, rng, pool)
        return node.state.diagram, [(r.clause, r.coords, r.score) for r in ranked]

    start = time.monotonic()
    records = read_records(data)
    train_records, test_records = split(records, test_runs)
    if not train_records:
        raise click.ClickException(f"no training records with aux clauses in {', '.join(map(str, data))}")
    with _bar("labelling") as update:
        train_samples = build_samples(
            train_records, candidates, seed, lambda d, t: update("labelling train", d, t)
        )
        test_samples = build_samples(
            test_records, candidates, seed, lambda d, t: update("labelling test", d, t)
        )
    meta: dict[str, object] = {
        "data": [str(p) for p in data], "test_runs": list(test_runs), "seed": seed, "pool": pool,
        "train_records": len(train_records), "test_records": len(test_records),
        "train_runs": sorted({r.run for r in train_records}),
        "test_runs_found": sorted({r.run for r in test_records}),
        "label_seconds": round(time.monotonic() - start, 1),
    }
    with _bar("training") as update:
        try:
            model = train(
                train_samples, TrainConfig(seed=seed, epochs=epochs, hidden=hidden), out, meta,
                lambda e, t, loss: update(f"epoch loss {loss:.3f}", e, t),
            )
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    report = {
        "model": str(out),
        "seconds": round(time.monotonic() - start, 1),
        "train": hit_rates(model, train_samples, k).to_json(),
        "test": hit_rates(model, test_samples, k).to_json(),
    }
    model = type(model)(model.mean, model.scale, model.layers, {**model.meta, "hits": report}, out)
    model.save(out)
    click.echo(json.dumps({**report, "bytes": out.stat().st_size}))
