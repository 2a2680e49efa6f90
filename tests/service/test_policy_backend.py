"""Jobs reach the solver registry with the configured policy: the registry's factories take options, and
a server given an OpenAI-compatible model URL runs `lm`/`mixed` jobs through `LMPolicy` (a model that
answers nothing usable costs the candidates it would have added, never the proof)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from service_helpers import AUX

from solvers.registry import REGISTRY, SolverEntry, SolverOptions, UnknownSolver, get_solver
from solvers.search.lm_policy import LMPolicy, MixedPolicy
from solvers.search.policy import HeuristicPolicy
from tonggeo.config import DEFAULT_SEARCH
from tonggeo.service import ServiceConfig, create_app
from tonggeo.service.tasks import PolicyBackend, Task, run_task, search_policy
from tonggeo.service.workers import WorkerEvent


def test_factories_take_options_and_names_stay_cheap() -> None:
    policy = HeuristicPolicy(DEFAULT_SEARCH)
    solver = get_solver("search", SolverOptions(policy=policy))
    assert solver.policy is policy  # type: ignore[attr-defined]
    assert get_solver("search").policy is None  # type: ignore[attr-defined]
    with pytest.raises(UnknownSolver, match="did you mean 'search'"):
        get_solver("serch")
    extra = REGISTRY.with_entry(SolverEntry("ddar2", "test", lambda o: get_solver("ddar")))
    with pytest.raises(ValueError, match="named 'ddar'"):
        extra.build("ddar2")
    code = "import sys, solvers.registry as r; r.available_solvers(); print('solvers.search' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"  # listing names imports no strategy


def test_job_policies_map_to_the_search_policies() -> None:
    backend = PolicyBackend(url="http://127.0.0.1:9/v1", model="m")
    assert search_policy("heuristic", backend) is None
    assert search_policy("lm", PolicyBackend()) is None
    lm = search_policy("lm", backend)
    assert isinstance(lm, LMPolicy) and lm.settings.url == backend.url and lm.settings.model == "m"
    assert isinstance(search_policy("mixed", backend), MixedPolicy)


class _Model(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint whose completions are never a usable clause."""

    calls: ClassVar[list[str]] = []

    def _send(self, payload: object) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._send({"data": [{"id": "toy"}]})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).calls.append(self.path)
        self._send({"choices": [{"text": "not a clause", "logprobs": {"token_logprobs": [-1.0]}}]})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def model_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Model)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()


class InlinePool:
    """Runs each task at once in the dispatcher thread."""

    def __init__(self, workers: int) -> None:
        self.done: list[WorkerEvent] = []

    @property
    def capacity(self) -> int:
        return 1

    def idle(self) -> int:
        return 1

    def submit(self, task: Task) -> None:
        self.done.append(WorkerEvent(task.job_id, "finished", outcome=run_task(task, lambda p: None)))

    def poll(self, timeout: float) -> list[WorkerEvent]:
        out, self.done = self.done, []
        time.sleep(0.05)
        return out

    def cancel(self, job_id: str) -> bool:
        return False

    def close(self) -> None:
        pass


def test_a_server_with_a_model_runs_lm_jobs_and_says_so(tmp_path: Path, model_url: str) -> None:
    config = ServiceConfig(data=tmp_path / "data", backend=PolicyBackend(url=model_url),
                           pool_factory=InlinePool)
    with TestClient(create_app(config)) as client:
        health = client.get("/healthz").json()
        assert health["policy_backend"] == f"lm ({model_url})" and health["model_reachable"] is True
        job_id = client.post("/v1/solve", json={"problem": AUX, "policy": "lm", "timeout": 60}).json()["id"]
        for _ in range(1200):
            job = client.get(f"/v1/jobs/{job_id}").json()
            if job["status"] not in ("queued", "running"):
                break
            time.sleep(0.1)
    assert job["status"] == "proved", job["result"]
    assert job["result"]["policy"] == "lm" and job["result"]["policy_backend"] == f"lm ({model_url})"
    assert any(path.endswith("/completions") for path in _Model.calls)
