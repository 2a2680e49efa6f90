"""Helpers of the service tests: a real `tonggeo serve` on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EASY = "midlines\na b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"
"""DDAR proves it at the root in well under a second."""
AUX = ("L058-9\na b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b "
       "? cong e c c d")
"""Needs one auxiliary point: a few seconds of search."""
FINAL = {"proved", "unproved", "holds_generically", "timeout", "error", "cancelled"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data: Path
    process: subprocess.Popen[bytes]
    log: Path

    def request(self, method: str, path: str, body: Any = None, token: str | None = None,
                timeout: float = 30.0) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as err:
            raw, status = err.read(), err.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def wait_final(self, job_id: str, timeout: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, job = self.request("GET", f"/v1/jobs/{job_id}")
            assert status == 200, job
            if job["status"] in FINAL:
                return dict(job)
            time.sleep(0.3)
        raise AssertionError(f"job {job_id} not final after {timeout} s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(data: Path, workers: int = 1, *extra: str, host: str = "127.0.0.1",
                 wait: float = 90.0) -> Server:
    """`tonggeo serve` in a child process; returns once /healthz answers."""
    port = free_port()
    log = data.parent / f"{data.name}-server-{port}.log"
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")
    argv = [sys.executable, "-c", "from tonggeo.cli import main; main()", "serve", "--host", host,
            "--port", str(port), "--data", str(data), "--workers", str(workers), "--heuristic", *extra]
    with log.open("ab") as sink:
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=env)
    server = Server(f"http://{host}:{port}", data, process, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited ({process.returncode}):\n{log.read_text()}")
        try:
            status, _ = server.request("GET", "/healthz", timeout=2.0)
            if status == 200:
                return server
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    server.stop(signal.SIGKILL)
    raise AssertionError(f"server not up after {wait} s:\n{log.read_text()}")
