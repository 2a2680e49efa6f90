"""The HTTP API over an in-process app (FastAPI's TestClient) with a worker pool the test controls:
validation, limits, JSON errors, token, paging, cancelling, server-sent events, the figure preview."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from service_helpers import AUX, EASY

from tonggeo.cli import main
from tonggeo.service import ServiceConfig, create_app
from tonggeo.service.security import Limits, is_loopback, load_or_create_token
from tonggeo.service.tasks import Task, run_task
from tonggeo.service.workers import WorkerEvent


class HeldPool:
    """A `WorkerPool` that runs a task (inline, in the dispatcher thread) only once the test releases it."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.held: dict[str, Task] = {}
        self.released: set[str] = set()
        self.cancelled: list[str] = []

    @property
    def capacity(self) -> int:
        return self.workers

    def idle(self) -> int:
        return self.workers - len(self.held)

    def submit(self, task: Task) -> None:
        self.held[task.job_id] = task

    def poll(self, timeout: float) -> list[WorkerEvent]:
        events = []
        for job_id in [j for j in self.held if j in self.released]:
            task = self.held.pop(job_id)
            events.append(WorkerEvent(job_id, "finished", outcome=run_task(task, lambda p: None)))
        for job_id in self.held:
            events.append(WorkerEvent(job_id, "progress", progress={"phase": "search", "nodes": 1}))
        return events

    def cancel(self, job_id: str) -> bool:
        self.cancelled.append(job_id)
        return self.held.pop(job_id, None) is not None

    def close(self) -> None:
        self.held.clear()


@pytest.fixture
def pool() -> HeldPool:
    return HeldPool(1)


def make_client(tmp_path: Path, pool: HeldPool, **config: object) -> TestClient:
    settings = ServiceConfig(data=tmp_path / "data", pool_factory=lambda n: pool, **config)  # type: ignore[arg-type]
    return TestClient(create_app(settings))


@pytest.fixture
def client(tmp_path: Path, pool: HeldPool) -> Iterator[TestClient]:
    with make_client(tmp_path, pool) as c:
        yield c


def wait_status(client: TestClient, job_id: str, wanted: str) -> dict[str, object]:
    import time

    for _ in range(200):
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] == wanted:
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"{job_id} never became {wanted}: {job}")


def is_error(response: Any, status: int, error: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    if error is not None:
        assert body["error"] == error, body


def test_health_says_heuristic_without_a_model(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["policy_backend"] == "heuristic" and health["model_reachable"] is None


def test_solve_runs_through_the_registry_and_reports_the_policy(client: TestClient, pool: HeldPool) -> None:
    response = client.post("/v1/solve", json={"problem": EASY, "timeout": 30})
    assert response.status_code == 202 and set(response.json()) == {"id", "status"}
    job_id = response.json()["id"]
    wait_status(client, job_id, "running")
    pool.released.add(job_id)
    job = wait_status(client, job_id, "proved")
    result = job["result"]
    assert isinstance(result, dict)
    assert result["policy"] == "heuristic" and result["policy_backend"] == "heuristic"
    assert result["proof"]["goals"] == ["para b c d e"] and "Steps:" in result["proof_text"]
    svg = client.get(result["figure_url"])
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert 'data-point="d"' in svg.text and 'class="line' in svg.text
    events = client.get(f"/v1/jobs/{job_id}/events").text
    assert events.startswith("event: done") and json.loads(events.split("data: ", 1)[1])["status"] == "proved"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"problem": "a b c = triangle a b c ? perp a b a x"}, "invalid_problem"),
        ({"problem": "a b = segment a b; m = midpoint m a b"}, "invalid_problem"),
        ({"problem": EASY, "policy": "lm"}, "policy_unavailable"),
        ({"problem": EASY, "policy": "mixed"}, "policy_unavailable"),
        ({"problem": EASY, "solver": "magic"}, "unknown_solver"),
        ({"problem": EASY, "timeout": 10_000}, "budget_too_large"),
        ({"problem": EASY + "\n" + AUX}, "invalid_problem"),
    ],
    ids=["undefined_point", "no_goal", "lm_without_model", "mixed_without_model", "solver", "budget", "two"],
)
def test_bad_solve_requests_are_400_json(client: TestClient, body: dict[str, object], error: str) -> None:
    is_error(client.post("/v1/solve", json=body), 400, error)


def test_parse_errors_name_line_and_column(client: TestClient) -> None:
    response = client.post("/v1/solve", json={"problem": "p\na b c = triangle a b c ? perp a b a x"})
    is_error(response, 400, "invalid_problem")
    assert "request:2:" in response.json()["detail"] and "^" in response.json()["detail"]


def test_validation_errors_use_the_json_error_body(client: TestClient) -> None:
    is_error(client.post("/v1/solve", json={"timeout": "soon"}), 422, "invalid_request")
    broken = client.post("/v1/solve", content=b"{not json", headers={"content-type": "application/json"})
    is_error(broken, 422)
    is_error(client.post("/v1/solve", json={"problem": EASY, "path": "/etc/passwd"}), 422)
    is_error(client.get("/v1/jobs?limit=0"), 422)
    is_error(client.get("/no/such/page"), 404, "not_found")
    is_error(client.get("/v1/jobs/ffff"), 404, "not_found")
    is_error(client.put("/v1/solve"), 405)


def test_limits_on_body_points_and_clauses(tmp_path: Path, pool: HeldPool) -> None:
    limits = Limits(max_body_bytes=2000, max_points=6, max_clauses=3)
    with make_client(tmp_path, pool, limits=limits) as c:
        is_error(c.post("/v1/solve", json={"problem": "x" * 5000}), 413, "request_too_large")
        many = ("a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c; f = midpoint f b c "
                "? para d e b c")
        is_error(c.post("/v1/solve", json={"problem": many}), 400, "problem_too_large")
        points = "a b c = triangle a b c; d e f g = centroid d e f g a b c; h = midpoint h a b ? para d e b c"
        is_error(c.post("/v1/solve", json={"problem": points}), 400, "problem_too_large")


def test_cancel_a_running_job_and_a_queued_one(client: TestClient, pool: HeldPool) -> None:
    first = client.post("/v1/solve", json={"problem": EASY}).json()["id"]
    second = client.post("/v1/solve", json={"problem": AUX}).json()["id"]
    wait_status(client, first, "running")
    assert client.get(f"/v1/jobs/{second}").json()["status"] == "queued"
    assert client.delete(f"/v1/jobs/{second}").json()["status"] == "cancelled"
    assert client.delete(f"/v1/jobs/{first}").json()["status"] == "cancelled"
    for _ in range(100):
        if first in pool.cancelled:
            break
        import time

        time.sleep(0.05)
    assert first in pool.cancelled and first not in pool.held
    assert client.get(f"/v1/jobs/{first}").json()["status"] == "cancelled"
    assert client.get(f"/v1/jobs/{second}/events").text.startswith("event: done")


def test_jobs_are_paged_newest_first(client: TestClient) -> None:
    ids = [client.post("/v1/solve", json={"problem": EASY, "seed": k}).json()["id"] for k in range(5)]
    page = client.get("/v1/jobs?offset=1&limit=2").json()
    assert page["total"] == 5 and [j["id"] for j in page["jobs"]] == ids[::-1][1:3]
    assert client.get("/v1/jobs?status=queued").json()["total"] >= 4
    is_error(client.get("/v1/jobs?status=lost"), 400, "unknown_status")


def test_figure_preview_and_reference(client: TestClient) -> None:
    preview = client.post("/v1/figure", json={"problem": AUX}).json()
    assert preview["name"] == "L058-9" and preview["points"] == ["a", "b", "c", "d", "e"]
    assert preview["svg"].count('class="point') == 5
    reference = client.get("/v1/dsl").json()
    assert any(c["name"] == "midpoint" for c in reference["constructions"])
    assert {g["name"] for g in reference["goals"]} >= {"perp", "para", "cong"}
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text


def test_propose_is_a_job(client: TestClient, pool: HeldPool) -> None:
    response = client.post("/v1/propose", json={"seconds": 3, "seed": 1})
    assert response.status_code == 202
    job_id = response.json()["id"]
    wait_status(client, job_id, "running")
    pool.released.add(job_id)
    for status in ("proved", "unproved"):
        try:
            job = wait_status(client, job_id, status)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError(client.get(f"/v1/jobs/{job_id}").json())
    assert job["kind"] == "propose" and isinstance(job["result"], dict) and "walks" in job["result"]
    is_error(client.post("/v1/propose", json={"seconds": 10**6}), 400, "budget_too_large")


def test_token_is_required_when_configured(tmp_path: Path, pool: HeldPool) -> None:
    token, new = load_or_create_token(tmp_path / "data")
    assert new and load_or_create_token(tmp_path / "data") == (token, False)
    assert (tmp_path / "data" / "api-token").stat().st_mode & 0o077 == 0
    with make_client(tmp_path, pool, token=token) as c:
        is_error(c.get("/v1/jobs"), 401, "unauthorized")
        is_error(c.get("/v1/jobs", headers={"Authorization": "Bearer wrong"}), 401)
        assert c.get("/v1/jobs", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert c.get(f"/v1/jobs?token={token}").status_code == 200
        assert c.get("/healthz").status_code == 200 and c.get("/").status_code == 200


def test_binding_off_loopback_needs_the_token() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--no-token"])
    assert result.exit_code == 2 and "token" in result.output
