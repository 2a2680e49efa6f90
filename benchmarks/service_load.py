"""Load on `tonggeo serve`: concurrent clients submit easy problems on the loopback; every job must finish.

Starts a server (heuristic policy, fresh data folder), lets `--clients` threads submit `--jobs` jobs between
them as fast as the server answers, then waits for every job to be final.  Reports p50/p95 submit latency
(POST /v1/solve until 202) and jobs per minute (first submit to last job final), and writes its section
of BENCHMARKS.md.

    python benchmarks/service_load.py --clients 50 --jobs 200 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from _report import replace_section

ROOT = Path(__file__).resolve().parents[1]
SECTION = "Service load (tonggeo serve)"
PROBLEMS = (
    "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c",
    "a b = segment a b; m = midpoint m a b; o = on_tline o m a b ? cong o a o b",
    "a b c = triangle a b c; h = on_tline h b a c, on_tline h c a b ? perp a h b c",
)
FINAL = {"proved", "unproved", "holds_generically", "timeout", "error", "cancelled"}


def call(url: str, method: str = "GET", body: Any = None, timeout: float = 120.0) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    argv = [
        sys.executable,
        "-c",
        "from tonggeo.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--data",
        str(data),
        "--workers",
        str(workers),
        "--heuristic",
    ]
    log = (data.parent / "server.log").open("wb")
    process = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, OMP_NUM_THREADS="1")
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {(data.parent / 'server.log').read_text()}")
        try:
            if call(url + "/healthz", timeout=2)[0] == 200:
                return process, url
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise SystemExit("server did not start")


def run(clients: int, jobs: int, workers: int, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tonggeo-load-") as tmp:
        process, url = start(Path(tmp) / "data", workers)
        try:
            time.sleep(20.0)  # let the workers finish their warm-up (imports, first compile)
            latencies: list[float] = []
            ids: list[str] = []
            refused: list[str] = []
            lock = threading.Lock()
            counter = iter(range(jobs))

            def client() -> None:
                while True:
                    with lock:
                        k = next(counter, None)
                    if k is None:
                        return
                    body = {"problem": PROBLEMS[k % len(PROBLEMS)], "timeout": 60, "seed": k}
                    sent = time.perf_counter()
                    status, answer = call(url + "/v1/solve", "POST", body)
                    spent = time.perf_counter() - sent
                    with lock:
                        latencies.append(spent)
                        if status == 202:
                            ids.append(answer["id"])
                        else:
                            refused.append(f"{status} {answer}")

            began = time.monotonic()
            threads = [threading.Thread(target=client) for _ in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            submitted = time.monotonic() - began
            statuses: dict[str, str] = {}
            messages: dict[str, str] = {}
            deadline = time.monotonic() + timeout
            while len(statuses) < len(ids) and time.monotonic() < deadline:
                offset, seen = 0, {}
                while True:
                    _, page = call(f"{url}/v1/jobs?limit=100&offset={offset}")
                    seen.update({j["id"]: j["status"] for j in page["jobs"]})
                    messages.update({j["id"]: (j["result"] or {}).get("message", "") for j in page["jobs"]})
                    offset += 100
                    if offset >= page["total"]:
                        break
                statuses = {i: seen[i] for i in ids if seen.get(i) in FINAL}
                time.sleep(0.5)
            elapsed = time.monotonic() - began
            _, health = call(url + "/healthz")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    latencies.sort()
    return {
        "clients": clients,
        "jobs": jobs,
        "workers": workers,
        "accepted": len(ids),
        "refused": refused,
        "final": len(statuses),
        "statuses": dict(Counter(statuses.values())),
        "submit_seconds": submitted,
        "elapsed": elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        "max": latencies[-1],
        "failures": sorted({messages.get(i, "")[:200] for i, s in statuses.items() if s != "proved"}),
        "per_minute": 60.0 * len(statuses) / elapsed,
        "total_jobs": sum(health["jobs"].values()),
    }


def render(r: dict[str, Any], command: str) -> str:
    ok = r["final"] == r["accepted"] == r["jobs"] and r["total_jobs"] == r["jobs"]
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        f"## {SECTION}",
        "",
        f"Command: `{command}`. Machine: {os.cpu_count()} cores shared with other work, "
        f"{platform.platform()}, Python {platform.python_version()}; date {date}.",
        f"{r['clients']} concurrent clients submit {r['jobs']} easy problems (3 kinds, seed = job number, "
        f"heuristic policy) to one server with {r['workers']} worker process(es) on 127.0.0.1.",
        "",
        "| accepted | final | statuses | submit p50 (ms) | submit p95 (ms) | submit max (ms) "
        "| all submitted (s) | all final (s) | jobs/minute |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {r['accepted']}/{r['jobs']} | {r['final']} | {statuses} | {1000 * r['p50']:.0f} "
        f"| {1000 * r['p95']:.0f} | {1000 * r['max']:.0f} | {r['submit_seconds']:.1f} | {r['elapsed']:.1f} "
        f"| {r['per_minute']:.0f} |",
        "",
        f"Every job completed, none lost or duplicated (the store holds exactly {r['total_jobs']} jobs): "
        f"{'yes' if ok else 'NO'}." + (f" Refused: {r['refused'][:3]}" if r["refused"] else "")
        + (f" Not proved: {r['failures'][:3]}" if r["failures"] else ""),
        f"The server took submissions at {r['accepted'] / r['submit_seconds']:.0f}/s (parse, limits, SQLite "
        "insert on one event loop); with every client sending at once, a submission's latency is mostly its "
        "wait behind the others. Jobs per minute is bound by the solver on the shared cores (each job: DDAR, "
        "proof check, figure); workers run at a lower priority so the API keeps answering.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800.0, help="Seconds to wait for every job.")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--no-write", action="store_true", help="Print the section only.")
    args = parser.parse_args()
    result = run(args.clients, args.jobs, args.workers, args.timeout)
    command = (
        f"python benchmarks/service_load.py --clients {args.clients} --jobs {args.jobs} "
        f"--workers {args.workers}"
    )
    section = render(result, command)
    print(section)
    if not args.no_write:
        replace_section(args.output, SECTION, section)


if __name__ == "__main__":
    main()
