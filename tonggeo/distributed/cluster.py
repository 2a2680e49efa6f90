"""Connecting to a Ray cluster for one run: `local` starts a Ray runtime on this machine, `auto` joins the
cluster this machine belongs to, anything else is a head's address (`HOST:PORT` or `ray://HOST:PORT`).

A head that cannot be reached fails fast (a TCP probe with a timeout before Ray's own retries), with a
message that names the address.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType

import click

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a head's port to answer before giving up."""


class ClusterError(click.ClickException):
    """Ray is missing or the cluster cannot be reached; the message says which, and names the address."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """The cluster a run is connected to: as addressed, its CPUs and live nodes, and the driver's node."""

    address: str
    cpus: int
    nodes: int
    driver_node: str


def import_ray() -> ModuleType:
    """The ray module, or a ClusterError saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise ClusterError(f"--ray needs Ray: pip install 'tonggeo[ray]' ({exc})") from exc
    return ray


def split_address(address: str) -> tuple[str, int]:
    """(host, port) of `HOST:PORT` or `ray://HOST:PORT` (the client port defaults to 10001)."""
    rest = address.removeprefix("ray://")
    host, sep, port = rest.rpartition(":")
    if not sep:
        if address.startswith("ray://"):
            return rest, 10001
        raise ClusterError(f"Ray address {address!r} is not HOST:PORT, ray://HOST:PORT, auto or local")
    try:
        number = int(port)
    except ValueError:
        raise ClusterError(f"Ray address {address!r}: port {port!r} is not a number") from None
    return host.strip("[]"), number


def probe(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise ClusterError unless something accepts TCP connections at the address within `timeout` s."""
    host, port = split_address(address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ClusterError(
            f"cannot reach the Ray head at {address}: {reason} (waited up to {timeout:g} s; is "
            f"`ray start --head` running there, and is the port open?)"
        ) from None


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 into a scratch file for the block: Ray's C++ core logs each failed attempt to
    reach a head there, which would bury the one clear error."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as scratch:
        os.dup2(scratch.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _init(ray: ModuleType, address: str, num_cpus: int | None) -> None:
    options: dict[str, object] = {"logging_level": logging.ERROR, "log_to_driver": False}
    if address == "local":
        ray.init(num_cpus=num_cpus, include_dashboard=False, **options)
        return
    if address != "auto":
        probe(address)
    # Ray's attempts (about one a second) to reach the head's GCS: bounded by the connect timeout
    os.environ.setdefault("RAY_gcs_server_port_wait_time_s", str(int(CONNECT_TIMEOUT)))
    try:
        with _quiet_stderr():
            ray.init(address=address, **options)
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if address == "auto":
            raise ClusterError(
                f"no running Ray cluster found for --ray auto ({first}); start one with `ray start --head` "
                f"or give its address"
            ) from None
        raise ClusterError(
            f"cannot reach the Ray head at {address}: no Ray head answered there within "
            f"{CONNECT_TIMEOUT:g} s ({first})"
        ) from None


def connect(address: str, *, num_cpus: int | None = None) -> tuple[Cluster, bool]:
    """Connected to the cluster at `address` (or the one this process is already connected to, e.g.
    inside a Ray task); True if this call connected (the caller then calls `ray.shutdown()`)."""
    ray = import_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    owned = not ray.is_initialized()
    if owned:
        _init(ray, address, num_cpus)
    try:
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        cpus = int(ray.cluster_resources().get("CPU", 0))
        return Cluster(address, cpus, len(nodes), ray.get_runtime_context().get_node_id()), owned
    except BaseException:
        if owned:
            ray.shutdown()
        raise


@contextmanager
def ray_cluster(address: str, *, num_cpus: int | None = None) -> Iterator[Cluster]:
    """Connected to the cluster at `address` for the block (disconnected after it; a `local` runtime is
    stopped).  If this process is already connected (e.g. inside a Ray task), that connection is used."""
    cluster, owned = connect(address, num_cpus=num_cpus)
    try:
        yield cluster
    finally:
        if owned:
            import ray

            ray.shutdown()


def describe(exc: BaseException) -> str:
    """One line for a Ray error: a task's own exception (type and message), or what happened to its worker."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException) and cause is not exc:
        return f"{type(cause).__name__}: {cause}".splitlines()[0]
    lines = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[-1].strip() if lines else ''}"
