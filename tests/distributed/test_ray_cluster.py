"""tonggeo on a real two-node Ray cluster (see conftest.py): proposing and solving with `--ray`, a worker
killed in the middle of a run (nothing lost, nothing duplicated), a head that cannot be reached (a clear
error naming the address), and the first verified proof cancelling the other search branches."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import LocalCluster, free_port

from solvers import Budget, SolveStatus
from solvers.search import HeuristicPolicy, Ranked, SearchSolver, SearchState
from tonggeo.cli import main
from tonggeo.config import SearchConfig
from tonggeo.dsl import parse_problem
from tonggeo.propose.index import ProblemIndex
from tonggeo.propose.run import RunStats

ray = pytest.importorskip("ray")

E051 = "a b = segment a b; c = s_angle b a c 30; d = mirror d b c; e = foot e d a b ? cong d e a c"


def _names(problems_txt: Path) -> list[str]:
    return [line for line in problems_txt.read_text().splitlines() if line.startswith("p_")]


def _assert_outputs_consistent(out: Path, stats: dict[str, object]) -> None:
    """Each emitted problem once in problems.txt, once in the index, with its proof: none twice, none lost."""
    names = _names(out / "problems.txt")
    assert len(names) == len(set(names)) == stats["unique"]
    with ProblemIndex(out / "index.sqlite", readonly=True) as index:
        keys = list(index.keys())
    assert len(keys) == len(set(keys)) == stats["unique"]
    proofs = {p.stem for p in (out / "proofs").glob("*.json")}
    assert proofs == set(names)


def test_import_tonggeo_does_not_import_ray() -> None:
    code = ("import sys, tonggeo, tonggeo.cli, tonggeo.distributed, solvers, solvers.search.pool; "
            "assert 'ray' not in sys.modules, 'ray imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("command", ["propose", "solve"])
def test_unreachable_head_is_a_clear_error_naming_the_address(tmp_path: Path, command: str) -> None:
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    problems = tmp_path / "p.txt"
    problems.write_text(f"e051\n{E051}\n")
    args = ["solve", str(problems)]
    if command == "propose":
        args = ["propose", "--out", str(tmp_path / "out"), "-t", "5"]
    start = time.monotonic()
    result = CliRunner().invoke(main, [*args, "--ray", address])
    assert time.monotonic() - start < 15
    assert result.exit_code == 1
    assert f"cannot reach the Ray head at {address}" in result.output
    assert "Traceback" not in result.output


def test_propose_on_the_cluster(ray_cluster: LocalCluster, tmp_path: Path) -> None:
    out = tmp_path / "run"
    args = ["propose", "--ray", ray_cluster.address, "--out", str(out), "-t", "25", "--depth", "5",
            "--seed", "5"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    stats = json.loads((out / "stats.json").read_text())
    assert set(RunStats().to_json()) <= set(stats)  # the local run's fields, and where the walks ran
    assert stats["nodes"] == 2 and stats["cluster_nodes"] == 2 and stats["cores"] == 2
    assert stats["walks"] == stats["walks_dispatched"] >= 2 and stats["walks_lost"] == 0
    _assert_outputs_consistent(out, stats)


_KILL_RUN = """
import json, sys
from dataclasses import replace
from pathlib import Path
from tonggeo.config import DEFAULT_PROPOSE
from tonggeo.distributed.propose import propose_on_cluster
config = replace(DEFAULT_PROPOSE, depth=4, figures=0)
propose_on_cluster(Path(sys.argv[2]), address=sys.argv[1], seconds=35, seed=11, config=config)
"""


def _walk_workers(cluster: LocalCluster) -> list[int]:
    found = []
    for pid in cluster.processes():
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if title.startswith(b"ray::traced"):  # a walk: `RayPool` runs `traced(_work, ...)`
            found.append(pid)
    return found


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    command = [sys.executable, "-c", _KILL_RUN, ray_cluster.address, str(out)]
    run = subprocess.Popen(command, env=ray_cluster.env)
    killed = None
    try:
        end = time.monotonic() + 120
        while killed is None and time.monotonic() < end and run.poll() is None:
            workers = _walk_workers(ray_cluster)
            if workers:
                time.sleep(1.0)  # well into the walk
                os.kill(workers[0], signal.SIGKILL)
                killed = workers[0]
            time.sleep(0.2)
        assert run.wait(timeout=300) == 0
    finally:
        if run.poll() is None:
            run.kill()
    assert killed is not None, "no walk was seen running"
    stats = json.loads((out / "stats.json").read_text())
    # every walk started was delivered, the killed one too (run again): none lost
    assert stats["walks"] == stats["walks_dispatched"] >= 2 and stats["walks_lost"] == 0
    _assert_outputs_consistent(out, stats)


def test_solve_on_the_cluster(ray_cluster: LocalCluster, tmp_path: Path) -> None:
    problems = tmp_path / "p.txt"
    problems.write_text(f"orthocenter\na b c = triangle; h = on_tline b a c, on_tline c a b ? perp a h b c\n"
                        f"e051\n{E051}\n")
    args = ["solve", str(problems), "--ray", ray_cluster.address, "-t", "90", "--json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    outcomes = {o["name"]: o for o in map(json.loads, result.output.splitlines()) if o}
    assert outcomes["orthocenter"]["status"] == "proved" and outcomes["orthocenter"]["aux"] == []
    assert outcomes["e051"]["status"] == "proved" and len(outcomes["e051"]["aux"]) == 1


@dataclass(frozen=True)
class _ReflectFirst:
    """The heuristic ranking with the first `reflect` candidate moved to the front."""

    def rank(self, node: SearchState, limit: int, rng: np.random.Generator) -> list[Ranked]:
        found = HeuristicPolicy(SearchConfig(jobs=1)).rank(node, 64, rng)
        front = [r for r in found if r.clause.to_text().split(" = ")[1].startswith("reflect")]
        return (front[:1] + [r for r in found if r not in front[:1]])[:limit]


@dataclass(frozen=True)
class _SlowValue:
    seconds: float

    def score(self, node: SearchState) -> float:
        time.sleep(self.seconds)
        return 0.0


def _running_tasks(cluster: LocalCluster) -> list[int]:
    """The cluster's worker processes running a remote task now."""
    return [pid for pid in cluster.processes()
            if Path(f"/proc/{pid}/cmdline").exists()
            and Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"ray::run_remote")]


def test_the_first_verified_proof_cancels_the_other_branches(ray_cluster: LocalCluster) -> None:
    from solvers.search.pool import RayExecutor, executor_override
    from tonggeo.distributed.cluster import ray_cluster as connected

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the policy and value above
    problem = parse_problem(E051, "E051-9")
    config = SearchConfig(depth=1, beam_width=1, candidates_per_expansion=1, root_candidates=8,
                          algebraic_share=0.0)
    solver = SearchSolver(config, policy=_ReflectFirst(), value=_SlowValue(60.0))
    with connected(ray_cluster.address), executor_override(lambda engine, jobs: RayExecutor(engine, 2)):
        start = time.monotonic()
        result = solver.solve(problem, Budget(seconds=150), np.random.default_rng(0))
        elapsed = time.monotonic() - start
        # a cancelled task's worker is killed by Ray's raylet, not at once: poll a while (well short of the
        # minute a branch left running would sleep)
        deadline = time.monotonic() + 15.0
        while True:
            time.sleep(1.0)
            left = _running_tasks(ray_cluster)
            if not left or time.monotonic() > deadline:
                break
    assert result.status == SolveStatus.PROVED and len(result.aux) == 1
    # seven open children sleep a minute each in the value: waiting for them would take minutes
    assert elapsed < 50, elapsed
    # the branches still running were cancelled (named by their command lines if not)
    assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in left]


AUX = ("L058-9\na b = segment a b; c = on_bline c a b; d = on_tline d b a b; e = intersection_lt e c d a a b "
       "? cong e c c d")


def _wait(client: Any, job_id: str, final: set[str], seconds: float = 120.0) -> dict[str, Any]:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        job: dict[str, Any] = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in final:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} not in {final} after {seconds} s: {job}")


def test_the_service_runs_its_jobs_on_the_cluster(ray_cluster: LocalCluster, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from tonggeo.distributed.service import RayWorkerPool
    from tonggeo.service import ServiceConfig, create_app

    pools: list[RayWorkerPool] = []

    def pool(workers: int) -> RayWorkerPool:
        pools.append(RayWorkerPool(workers, ray_cluster.address))
        return pools[-1]

    config = ServiceConfig(data=tmp_path / "data", workers=2, pool_factory=pool)
    with TestClient(create_app(config)) as client:
        solved = client.post("/v1/solve", json={"problem": AUX, "timeout": 90}).json()["id"]
        doomed = client.post("/v1/propose", json={"seconds": 120, "seed": 1}).json()  # runs 2 minutes
        _wait(client, doomed["id"], {"running"})
        assert client.delete(f"/v1/jobs/{doomed['id']}").json()["status"] == "cancelled"
        job = _wait(client, solved, {"proved", "unproved", "timeout", "error"})
        assert job["status"] == "proved", job
        assert job["result"]["proof"]["aux"] and job["progress"]
        assert client.get(f"/v1/jobs/{doomed['id']}").json()["status"] == "cancelled"
        assert pools[0].running() == set()
