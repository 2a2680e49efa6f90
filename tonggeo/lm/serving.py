"""Starting and stopping a local OpenAI-compatible server for a model folder: vLLM (in its own Python,
found by `vllm_python`) or the transformers backend (`neural.lm.server`), each in a child process, so
the caller never loads torch.  Used by `tonggeo serve-lm` and by `tonggeo solve --policy lm|mixed`
without --lm-url (a server for the run's duration)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Backend = Literal["vllm", "transformers"]
REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
SHIPPED_POLICY = MODELS / "policy"
SHIPPED_VALUE = MODELS / "value"
VLLM_ENV = "TONGGEO_VLLM_PYTHON"
MAX_MODEL_LEN = 512
"""vLLM's --max-model-len: the models' max_position_embeddings."""
VLLM_START_SECONDS = 600.0
"""vLLM on CPU takes 1.5-3 minutes to start."""
TRANSFORMERS_START_SECONDS = 180.0


class ServerError(RuntimeError):
    """The server could not be started, or died before it was ready."""


def vllm_python() -> str | None:
    """A Python that imports vllm: $TONGGEO_VLLM_PYTHON, .venv-vllm/bin/python beside the repo, or this
    one if vllm is importable here; None if there is none."""
    candidates = [os.environ.get(VLLM_ENV, ""), str(REPO / ".venv-vllm" / "bin" / "python")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    import importlib.util

    return sys.executable if importlib.util.find_spec("vllm") is not None else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def command(backend: Backend, model_dir: Path, port: int, name: str) -> tuple[list[str], dict[str, str]]:
    """The server's command line and environment."""
    env = dict(os.environ)
    if backend == "vllm":
        python = vllm_python()
        if python is None:
            raise ServerError("vllm is not installed (set TONGGEO_VLLM_PYTHON or create .venv-vllm)")
        env.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
        env.setdefault("OMP_NUM_THREADS", str(min(os.cpu_count() or 1, 4)))
        return [
            python,
            "-m",
            "vllm.entrypoints.openai.api_server",
            "--model",
            str(model_dir),
            "--served-model-name",
            name,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dtype",
            "float32",
            "--max-model-len",
            str(MAX_MODEL_LEN),
            "--enforce-eager",
            "--disable-log-stats",
        ], env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return [
        sys.executable,
        "-m",
        "neural.lm.server",
        str(model_dir),
        "--port",
        str(port),
        "--served-model-name",
        name,
    ], env


@dataclass
class Server:
    """A running server: its base URL (ending in /v1), model name and process."""

    url: str
    model: str
    process: subprocess.Popen[bytes]
    backend: Backend

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def ready(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/models", timeout=timeout) as response:
            return bool(json.loads(response.read()).get("data"))
    except (urllib.error.URLError, OSError, ValueError):
        return False


def start(
    model_dir: Path,
    backend: Backend = "transformers",
    port: int | None = None,
    name: str | None = None,
    log: Path | None = None,
    wait: float | None = None,
) -> Server:
    """Start a server for `model_dir` and wait until it answers.  Raises ServerError."""
    if not (model_dir / "config.json").exists():
        raise ServerError(f"{model_dir}: not a model folder (no config.json)")
    port = port or free_port()
    name = name or model_dir.name
    argv, env = command(backend, model_dir, port, name)
    sink = log.open("ab") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}/v1", name, process, backend)
    limit = (
        wait
        if wait is not None
        else (VLLM_START_SECONDS if backend == "vllm" else TRANSFORMERS_START_SECONDS)
    )
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerError(
                    f"{backend} server for {model_dir} exited with status {process.returncode}"
                    + (f" (log: {log})" if log else "")
                )
            if ready(server.url):
                return server
            time.sleep(1.0)
    except BaseException:  # Ctrl-C or SIGTERM while waiting: leave no server behind
        server.stop()
        raise
    server.stop()
    raise ServerError(f"{backend} server for {model_dir} not ready after {limit:.0f} s")


@contextmanager
def running(model_dir: Path, backend: Backend = "transformers", log: Path | None = None) -> Iterator[Server]:
    """A server for the duration of a `with` block."""
    server = start(model_dir, backend, log=log)
    try:
        yield server
    finally:
        server.stop()


def has_shipped() -> bool:
    return (SHIPPED_POLICY / "config.json").exists()
