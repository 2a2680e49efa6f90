"""`tonggeo serve`: the search service (HTTP API, web page, jobs kept in SQLite under --data) until
interrupted.  Off loopback it requires the API token it keeps in the data folder."""

from __future__ import annotations

from pathlib import Path

import click

from tonggeo.cli.common import stderr_console


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; any other than loopback requires the API token.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--data",
    "data",
    default=Path("tonggeo-data"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the job database and token.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Jobs run at once (one process each).",
)
@click.option(
    "--lm-url",
    default=None,
    metavar="URL",
    help="An OpenAI-compatible server (vLLM, `tonggeo serve-lm`) for the lm and mixed policies.",
)
@click.option(
    "--lm",
    "lm_dir",
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="MODEL_DIR",
    help="Start a model server for this model folder for the service's lifetime.",
)
@click.option(
    "--lm-model", default=None, help="Model name sent with --lm-url requests (default: the server's)."
)
@click.option(
    "--heuristic",
    "heuristic_only",
    is_flag=True,
    help="No model even if one is shipped (models/policy): heuristics only.",
)
@click.option(
    "--token/--no-token",
    "use_token",
    default=None,
    help="Require the API token (default: only when --host is not loopback).",
)
@click.option("--ray", "ray_address", default=None, metavar="ADDRESS|auto|local",
              help="Run the jobs as Ray tasks on this cluster (needs tonggeo[ray]; local: start Ray here).")
def serve(
    host: str,
    port: int,
    data: Path,
    workers: int,
    lm_url: str | None,
    lm_dir: Path | None,
    lm_model: str | None,
    heuristic_only: bool,
    use_token: bool | None,
    ray_address: str | None,
) -> None:
    """Serve the solver over HTTP: POST /v1/solve, GET /v1/jobs/ID (and /events, /figure.svg), the web page
    at /, OpenAPI at /docs.  Jobs survive restarts: those that were running run again."""
    import uvicorn

    from tonggeo.service import ServiceConfig, create_app
    from tonggeo.service.security import is_loopback, load_or_create_token
    from tonggeo.service.tasks import PolicyBackend

    console = stderr_console()
    if sum(x is not None for x in (lm_url, lm_dir)) + heuristic_only > 1:
        raise click.UsageError("give at most one of --lm-url, --lm and --heuristic")
    if use_token is False and not is_loopback(host):
        raise click.UsageError(f"--host {host} is not loopback: the API token is required (drop --no-token)")
    data.mkdir(parents=True, exist_ok=True)
    token: str | None = None
    if use_token or not is_loopback(host):
        token, new = load_or_create_token(data)
        if new:
            click.echo(f"API token (printed once; kept in {data / 'api-token'}): {token}")
        else:
            console.print(f"API token: in {data / 'api-token'}")
    server = None
    if lm_dir is None and lm_url is None and not heuristic_only:
        from tonggeo.lm.serving import SHIPPED_POLICY, has_shipped

        if has_shipped():
            lm_dir = SHIPPED_POLICY
    if lm_dir is not None:
        from tonggeo.lm.serving import Backend, ServerError, start, vllm_python

        backend_kind: Backend = "vllm" if vllm_python() is not None else "transformers"
        console.print(f"starting a {backend_kind} server for {lm_dir} (vLLM on CPU takes 1-3 minutes)...")
        try:
            server = start(lm_dir, backend_kind, log=data / "model-server.log")
        except ServerError as exc:
            raise click.ClickException(str(exc)) from exc
        lm_url, lm_model = server.url, server.model
    backend = PolicyBackend(url=lm_url, model=lm_model)
    console.print(f"policy backend: {backend.name}; {workers} worker(s); jobs in {data / 'jobs.sqlite'}")
    pool_factory = None
    if ray_address is not None:
        from tonggeo.distributed.cluster import connect
        from tonggeo.distributed.service import RayWorkerPool

        connect(ray_address)  # a clear error now, not in the server's first request

        def pool_factory(n: int) -> RayWorkerPool:
            return RayWorkerPool(n, ray_address)

    app = create_app(ServiceConfig(data=data, workers=workers, backend=backend, token=token,
                                   pool_factory=pool_factory))
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    finally:
        if server is not None:
            server.stop()
