"""Fuzz the OpenAPI spec of a real server with schemathesis (valid and invalid requests drawn from the
schema, hypothesis underneath): every answer is 2xx, or 4xx with a JSON `{"error", "detail"}` body, never
a 5xx; the server stays up."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from service_helpers import EASY, Server, start_server

EXAMPLES = 15
"""Requests per operation and mode."""


def check(case: Any) -> None:
    response = case.call(timeout=60)  # an events stream of a job that does not exist ends at once (404)
    assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "detail"}, (case.as_curl_command(), body)
        assert isinstance(body["error"], str) and body["error"]


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own (one worker: the fuzzed jobs must not starve the HTTP side of the 2 cores)."""
    server = start_server(tmp_path_factory.mktemp("fuzz") / "data", 1)
    try:
        yield server
    finally:
        server.stop()


def test_every_answer_is_2xx_or_a_4xx_json_error_and_the_server_stays_up(fuzzed_server: Server) -> None:
    live_server = fuzzed_server
    status, _ = live_server.request("POST", "/v1/solve", {"problem": EASY, "timeout": 30})
    assert status == 202
    schema = schemathesis.openapi.from_url(live_server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/v1/solve", "/v1/propose", "/v1/jobs", "/v1/jobs/{job_id}",
                                              "/v1/jobs/{job_id}/events", "/v1/jobs/{job_id}/figure.svg",
                                              "/healthz"}
    calls: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(mode))
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                      derandomize=True, database=None)
            def run(case: Any) -> None:
                check(case)
                calls.append(case.path)

            started = time.monotonic()
            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                assert mode is GenerationMode.NEGATIVE, operation.path
            print(f"{operation.method} {operation.path} {mode.value}: {time.monotonic() - started:.1f} s")
    assert len(calls) >= 10 * len(operations), len(calls)
    assert live_server.process.poll() is None
    status, health = live_server.request("GET", "/healthz")
    assert status == 200 and health["dispatcher_alive"] is True
