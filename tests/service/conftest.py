"""Fixtures of the service tests: a real server shared by a test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from service_helpers import Server, start_server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server (two workers) shared by a test module."""
    server = start_server(tmp_path_factory.mktemp("service") / "data", 2)
    try:
        yield server
    finally:
        server.stop()
