"""A real two-node Ray cluster on this machine for the distributed tests: `ray start --head`, then a second
node joined to it, one CPU each, in a fresh temp dir and on free ports.  Torn down by killing exactly the
processes these two `ray start` commands left (their process groups and every descendant), not with
`ray stop`, which would also stop any other Ray runtime of this user on the machine."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

RAY = Path(sys.executable).with_name("ray")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, process group) of every process visible in /proc."""
    table: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[2]))
    return table


def descendants(groups: set[int]) -> set[int]:
    """Members of the process groups and all their descendants (Ray workers start their own groups)."""
    table = _processes()
    found = {pid for pid, (_, group) in table.items() if group in groups}
    grew = True
    while grew:
        more = {pid for pid, (parent, _) in table.items() if parent in found and pid not in found}
        found |= more
        grew = bool(more)
    return found


def kill_all(pids: set[int], grace: float = 3.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        end = time.monotonic() + (grace if sig == signal.SIGTERM else 5.0)
        while time.monotonic() < end and any(Path(f"/proc/{pid}").exists() for pid in pids):
            time.sleep(0.2)
        pids = {pid for pid in pids if Path(f"/proc/{pid}").exists()}
        if not pids:
            return


@dataclass
class LocalCluster:
    address: str
    temp: Path
    groups: set[int]
    env: dict[str, str]

    def processes(self) -> set[int]:
        return descendants(self.groups)


def _ray_start(args: list[str], env: dict[str, str], temp: Path) -> int:
    command = [str(RAY), "start", *args, "--num-cpus", "1", "--temp-dir", str(temp), "--disable-usage-stats",
               "--object-store-memory", str(100 * 2**20), "--dashboard-agent-listen-port", str(free_port())]
    started = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    out, _ = started.communicate(timeout=120)
    if started.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{out[-3000:]}")
    return started.pid  # its process group holds what it started


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    pytest.importorskip("ray")
    temp = Path(tempfile.mkdtemp(prefix="tgray", dir="/tmp"))  # short: Ray's socket paths have a length limit
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0", "OMP_NUM_THREADS": "1"}
    port = free_port()
    groups: set[int] = set()
    cluster = LocalCluster(f"127.0.0.1:{port}", temp, groups, env)
    saved = {k: os.environ.get(k) for k in ("RAY_AUTH_MODE", "RAY_USAGE_STATS_ENABLED")}
    os.environ.update({"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"})
    try:
        groups.add(_ray_start(["--head", "--port", str(port), "--node-ip-address", "127.0.0.1",
                               "--include-dashboard", "false", "--ray-client-server-port", str(free_port())],
                              env, temp))
        groups.add(_ray_start(["--address", cluster.address], env, temp))
        yield cluster
    finally:
        kill_all(cluster.processes())
        shutil.rmtree(temp, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
