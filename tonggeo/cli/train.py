"""`tonggeo train`: build language-model datasets from proposing output, and train the policy and value
models (`neural.lm`; torch is imported only when a model is trained)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tonggeo.cli.common import stderr_console

DIR = click.Path(file_okay=False, path_type=Path)
EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
def train() -> None:
    """Build training data and train the models that guide search (policy, value)."""


@train.command("data")
@click.argument("folders", nargs=-1, required=True, type=EXISTING_DIR)
@click.option(
    "--test",
    "test_dirs",
    multiple=True,
    required=True,
    type=EXISTING_DIR,
    help="Proposing folder(s) of the test split (a seed never trained on; repeatable).",
)
@click.option("--out", required=True, type=DIR, help="Dataset folder.")
@click.option(
    "--valid-share",
    type=float,
    default=0.05,
    show_default=True,
    help="Share of the training keys held out for validation.",
)
@click.option(
    "--augment",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Renamed copies of each training problem (random point renamings; valid/test never augmented).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the renamings.")
def data(
    folders: tuple[Path, ...],
    test_dirs: tuple[Path, ...],
    out: Path,
    valid_share: float,
    augment: int,
    seed: int,
) -> None:
    """Policy and value records from `tonggeo propose --out` FOLDERS (training.jsonl, problems.txt):
    deduplicated by canonical key, split train/valid/test by key (test from --test folders)."""
    from tonggeo.lm.dataset import DatasetError, build

    try:
        stats = build(list(folders), list(test_dirs), out, valid_share, augment, seed)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    for split in ("train", "valid", "test"):
        s = stats[split]
        click.echo(
            f"{split}: {s['problems']} problems ({s['aux_problems']} with aux), records {s['records']}"
        )
    click.echo(f"wrote {out}/policy, {out}/value, {out}/stats.json")


def _train(
    kind: str,
    data_dir: Path,
    config: str,
    out: Path,
    seed: int,
    epochs: int | None,
    batch_size: int | None,
    limit: int | None,
    device: str | None,
    stop_after: int | None,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from neural.lm.train import train as run
    from neural.lm.train import with_epochs

    folder = data_dir / kind if (data_dir / kind / "train.jsonl").exists() else data_dir
    if not (folder / "train.jsonl").exists():
        raise click.ClickException(f"{data_dir}: no {kind}/train.jsonl (build it with `tonggeo train data`)")
    console = stderr_console()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=None)

        def progress(phase: str, done: int, total: int) -> None:
            bar.update(task, description=phase, completed=done, total=total)

        history = run(
            folder,
            out,
            config,
            seed=seed,
            settings=with_epochs(config, epochs, batch_size),
            limit=limit,
            device=device,
            progress=progress,
            log=console.print,
            stop_after=stop_after,
        )
    if history:
        last = history[-1]
        click.echo(
            json.dumps(
                {
                    "model": str(out),
                    "valid_loss": round(last.valid_loss, 4),
                    "token_accuracy": round(last.token_accuracy, 4),
                    "first_token_accuracy": round(last.first_token_accuracy, 4),
                }
            )
        )


def _options(kind: str) -> click.Command:
    @click.option(
        "--data", "data_dir", required=True, type=EXISTING_DIR, help="Dataset folder (`train data`)."
    )
    @click.option(
        "--config",
        type=click.Choice(["tiny", "small", "base"]),
        default="tiny",
        show_default=True,
        help="Model size: tiny (2 CPU cores, < 1 h), small (~25M), base (~1B, GPU).",
    )
    @click.option(
        "--out",
        required=True,
        type=DIR,
        help="Model folder (Hugging Face format); resumes from OUT/checkpoint if there.",
    )
    @click.option("--seed", type=int, default=0, show_default=True)
    @click.option("--epochs", type=int, default=None, help="Override the config's epochs.")
    @click.option("--batch-size", type=int, default=None, help="Override the config's batch size.")
    @click.option("--limit", type=int, default=None, help="Train on the first N records only.")
    @click.option("--device", default=None, help="torch device (default: cuda if available, else cpu).")
    @click.option(
        "--stop-after",
        type=int,
        default=None,
        help="Stop after this many epochs (checkpointed; run the same command again to go on).",
    )
    def command(
        data_dir: Path,
        config: str,
        out: Path,
        seed: int,
        epochs: int | None,
        batch_size: int | None,
        limit: int | None,
        device: str | None,
        stop_after: int | None,
    ) -> None:
        _train(kind, data_dir, config, out, seed, epochs, batch_size, limit, device, stop_after)

    command.__doc__ = (
        f"Train the {kind} model on DATA/{kind}/{{train,valid}}.jsonl: progress bar, validation "
        "loss and accuracy each epoch, resumable checkpoints, seeded."
    )
    return click.command(kind)(command)


train.add_command(_options("policy"))
train.add_command(_options("value"))

from tonggeo.cli.train_symmetry import COMMANDS as SYMMETRY_COMMANDS  # noqa: E402 (registered last)

for command in SYMMETRY_COMMANDS:
    train.add_command(command)

from tonggeo.cli.train_prior import prior as _prior  # noqa: E402 (registered last)

train.add_command(_prior)
