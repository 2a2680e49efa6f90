"""`tonggeo serve-lm`: an OpenAI-compatible completions server for a policy or value model (vLLM by
default, transformers where vLLM is not installed); prints the URL once it answers."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from tonggeo.cli.common import stderr_console


@click.command("serve-lm")
@click.argument("model_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--backend",
    type=click.Choice(["vllm", "transformers"]),
    default="vllm",
    show_default=True,
    help="vLLM (its Python: $TONGGEO_VLLM_PYTHON, .venv-vllm/bin/python or this one), or "
    "transformers (FastAPI).",
)
@click.option(
    "--log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the server's own output here (default: discarded).",
)
def serve_lm(model_dir: Path | None, port: int, backend: str, log: Path | None) -> None:
    """Serve MODEL_DIR (default: the shipped policy, models/policy) at http://127.0.0.1:PORT/v1 until
    interrupted (POST /v1/completions with n samples and logprobs)."""
    from tonggeo.lm.serving import SHIPPED_POLICY, Backend, ServerError, start, vllm_python

    console = stderr_console()
    model = model_dir or SHIPPED_POLICY
    if not (model / "config.json").exists():
        raise click.ClickException(f"{model}: no model there (train one with `tonggeo train policy`)")
    chosen: Backend = "vllm" if backend == "vllm" else "transformers"
    if chosen == "vllm" and vllm_python() is None:
        console.print(
            "vllm is not installed here (no $TONGGEO_VLLM_PYTHON, no .venv-vllm): "
            "serving with transformers instead"
        )
        chosen = "transformers"
    console.print(f"starting {chosen} server for {model} (vLLM on CPU takes 1-3 minutes)...")
    # `kill` (SIGTERM) raises SystemExit, so the `finally` below (or start's own cleanup) stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server = start(model, chosen, port=port, log=log)
    except ServerError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        click.echo(f"serving {model} ({chosen}) at {server.url}", nl=True)
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if server.process.returncode not in (0, -15, None):
        raise click.ClickException(f"server exited with status {server.process.returncode}")
