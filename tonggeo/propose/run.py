"""A proposing run: walks farmed out to worker processes until a time or count budget is spent; the
parent deduplicates against the persistent index, writes outputs and reports progress.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from tonggeo.config import DEFAULT_PROPOSE, ProposeConfig
from tonggeo.propose.arms import ArmChooser, Fertile, Turns
from tonggeo.propose.bases import BASES, UnknownBase
from tonggeo.propose.index import ProblemIndex
from tonggeo.propose.output import OutputWriter
from tonggeo.propose.pipeline import Proposal, Task, TaskResult, run_task
from tonggeo.propose.quota import LiveBacklog, Quota, post_backlog


@dataclass(slots=True)
class RunStats:
    """Counts of a run: `problems` verified, `unique` new to the index, `duplicates` found again (the
    workers skip the keys the index holds; the parent catches the ones two walks of a run share)."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    """Process CPU time of the parent and of every walk (the fair measure on a shared machine)."""
    cores: int = 1
    walks: int = 0
    problems: int = 0
    unique: int = 0
    with_aux: int = 0
    symmetric: int = 0
    symmetric_with_aux: int = 0
    duplicates: int = 0
    extracted: int = 0
    seed: int = 0
    bases: list[str] = field(default_factory=list)
    statements: int = 0
    """Distinct statements (figures up to renaming) of the new problems."""
    statements_with_aux: int = 0
    """Distinct statements of the new problems that need auxiliary constructions."""
    goal_kinds: dict[str, int] = field(default_factory=dict)
    """Goal kinds of the new aux problems (counts)."""
    over_quota: int = 0
    """Aux problems still waiting for their goal kind's share when the run ended, dropped (the quotas,
    `ProposeConfig.max_kind_share` and `min_classic_share`, hold exactly: `tonggeo.propose.quota`)."""
    found_kinds: dict[str, int] = field(default_factory=dict)
    """Goal kinds of every new aux problem the walks returned, before the quotas."""
    depths: list[int] = field(default_factory=list)
    """Walk depth at which each new aux problem was found."""
    aux_counts: list[int] = field(default_factory=list)
    """Auxiliary constructions of each new aux problem."""
    drops: dict[str, int] = field(default_factory=dict)
    """Candidates the walks dropped before finishing them, by reason (shape, alone holds, trivial, ...)."""
    mirror_aux: int = 0
    """New aux problems with at least one mirror aux clause (`tonggeo.propose.mirror`: no aux credit)."""
    engine_gaps: int = 0
    """Aux problems whose proof checks but that DDAR does not prove from scratch with their aux (not
    emitted; in gaps.txt: `ProposeConfig.scratch_share`)."""
    scratch_seconds: float = 0.0
    """Walk CPU seconds spent in those from-scratch checks (part of `cpu_seconds`)."""
    redraw_seconds: float = 0.0
    """Walk CPU seconds spent in the fresh-drawing checks (`ProposeConfig.redraw_checks`; part of
    `cpu_seconds`)."""
    repeat_aux: int = 0
    """New aux problems with at least one repeat aux clause (`tonggeo.propose.mirror`: no aux credit)."""
    twin_aux: int = 0
    """New aux problems with at least one twin aux clause (`tonggeo.propose.mirror`: one credit together)."""
    by_walk_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per base and symmetry ('segment', 'segment symmetric', ...): walks, their CPU seconds and the aux
    problems they returned (before the run's deduplication and quotas): where the CPU goes."""
    by_branch_family: dict[str, dict[str, float]] = field(default_factory=dict)
    """Per construction a branch adds: branches, the CPU seconds of their saturations, and the branches
    that derived a hard fact (`TaskResult.branch_families`): which aux constructions pay for their CPU."""

    @property
    def per_minute(self) -> float:
        return 60.0 * self.unique / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        hours = self.seconds * self.cores / 3600.0
        cpu_hours = self.cpu_seconds / 3600.0
        data["with_aux_per_core_hour"] = round(self.with_aux / hours, 1) if hours > 0 else 0.0
        data["unique_per_core_hour"] = round(self.unique / hours, 1) if hours > 0 else 0.0
        data["with_aux_per_cpu_hour"] = round(self.with_aux / cpu_hours, 1) if cpu_hours > 0 else 0.0
        data["unique_per_cpu_hour"] = round(self.unique / cpu_hours, 1) if cpu_hours > 0 else 0.0
        data["cpu_seconds"] = round(self.cpu_seconds, 2)
        data["symmetric_share"] = round(self.symmetric / self.unique, 3) if self.unique else 0.0
        data["seconds"] = round(self.seconds, 2)
        data.pop("depths")
        data.pop("aux_counts")
        data["median_depth"] = float(np.median(self.depths)) if self.depths else 0.0
        data["median_aux"] = float(np.median(self.aux_counts)) if self.aux_counts else 0.0
        data["statements_with_aux_per_cpu_hour"] = (
            round(self.statements_with_aux / cpu_hours, 1) if cpu_hours > 0 else 0.0)
        return data


BACKLOG_FILE = ".backlog"
"""The run's backlog kinds, in its output folder while it runs (`tonggeo.propose.quota.post_backlog`)."""


def _work(task: Task, config: ProposeConfig, index: str, deadline: float, backlog: str = "") -> TaskResult:
    """Worker entry point: known keys are read from the index and the run's backlog from its file (the
    parent writes both; a walk that sees neither, e.g. on another machine, finishes what it finds)."""
    path = Path(index)
    live = LiveBacklog(backlog) if backlog else None
    if not path.exists():
        return run_task(task, config=config, deadline=deadline, backlog=live)
    with ProblemIndex(path, readonly=True) as known:
        return run_task(task, config=config, known=known.__contains__, deadline=deadline, backlog=live)


def propose(
    out: Path,
    *,
    seconds: float | None = None,
    count: int | None = None,
    seed: int = 0,
    jobs: int = 1,
    bases: Sequence[str] | None = None,
    index: Path | None = None,
    config: ProposeConfig = DEFAULT_PROPOSE,
    progress: Callable[[RunStats], None] | None = None,
    executor: Callable[[int], Executor] | None = None,
) -> RunStats:
    """Propose until `seconds` have passed or `count` new problems were emitted (whichever first).
    `executor(jobs)` runs the walks (default: `jobs` worker processes, none for one job; `tonggeo.distributed`
    passes a pool of Ray tasks)."""
    chosen = list(bases) if bases else list(config.bases)
    for name in chosen:
        if name not in BASES:
            raise UnknownBase(name)
    if seconds is None and count is None:
        raise ValueError("give a time budget (seconds) or a problem count")
    if config.base_choice not in ("turns", "yield", "fertile"):
        raise ValueError(f"unknown base_choice {config.base_choice!r} (turns, yield, fertile)")
    out.mkdir(parents=True, exist_ok=True)
    index_path = index if index is not None else out / "index.sqlite"
    start, cpu = time.monotonic(), time.process_time()
    workers_cpu = 0.0
    deadline = time.time() + seconds if seconds is not None else float("inf")
    stats = RunStats(cores=jobs, seed=seed, bases=chosen)
    writer = OutputWriter(out)
    quota: Quota[Proposal] = Quota(config.max_kind_share, config.min_classic_share, config.quota_slack)
    chooser: ArmChooser | Turns | Fertile = (
        ArmChooser(chosen, config.symmetric_share, seed) if config.base_choice == "yield"
        else Fertile(chosen, config.symmetric_share, seed, config.share_of) if config.base_choice == "fertile"
        else Turns(chosen, config.symmetric_share, seed, config.share_of))
    waiting: set[str] = set()
    plain: set[str] = set()  # statement + goal up to renaming, of every problem offered (aux ignored)
    statements: set[str] = set()
    statements_aux: set[str] = set()
    run_id = f"{time.strftime('%Y%m%dT%H%M%S')}-seed{seed}"

    def done() -> bool:
        return time.time() >= deadline or (count is not None and stats.unique >= count)

    with ProblemIndex(index_path) as store:

        def admit(p: Proposal) -> None:
            new = store.add(p.key, name=p.name, text=p.text, aux=len(p.aux), symmetric=p.symmetric,
                            steps=p.steps, score=p.score, base=p.base, run=run_id)
            if not new:
                stats.duplicates += 1
                return
            writer.add(p)
            stats.unique += 1
            stats.with_aux += bool(p.aux)
            statements.add(p.statement_key or p.text.split(" ? ")[0].split(" | ")[0])
            stats.statements = len(statements)
            if p.aux:
                stats.goal_kinds = dict(sorted(quota.kinds.items(), key=lambda kv: -kv[1]))
                statements_aux.add(p.statement_key or p.text.split(" | ")[0])
                stats.statements_with_aux = len(statements_aux)
                stats.depths.append(p.depth)
                stats.aux_counts.append(len(p.aux))
                stats.mirror_aux += p.mirrored > 0
                stats.repeat_aux += p.repeats > 0
                stats.twin_aux += p.twins > 0
            stats.symmetric += p.symmetric
            stats.symmetric_with_aux += p.symmetric and bool(p.aux)

        def take(task: Task, result: TaskResult) -> None:
            nonlocal workers_cpu
            admitted = 0  # aux problems the walk's finds admitted under the quotas: the chooser's credit
            if jobs > 1 or executor is not None:
                workers_cpu += result.cpu_seconds
            stats.walks += 1
            arm = stats.by_walk_kind.setdefault(f"{task.base}{' symmetric' if task.symmetric else ''}",
                                                {"walks": 0, "cpu_seconds": 0.0, "aux": 0})
            arm["walks"] += 1
            arm["cpu_seconds"] = round(arm["cpu_seconds"] + result.cpu_seconds, 2)
            arm["aux"] += sum(1 for p in result.proposals if p.aux)
            stats.extracted += result.found
            stats.duplicates += result.repeats
            for reason, n in result.drops:
                stats.drops[reason] = stats.drops.get(reason, 0) + n
            for name, n, seconds, hits in result.branch_families:
                tally = stats.by_branch_family.setdefault(name, {"branches": 0, "cpu_seconds": 0.0,
                                                                 "unlocked": 0})
                tally["branches"] += n
                tally["cpu_seconds"] = round(tally["cpu_seconds"] + seconds, 3)
                tally["unlocked"] += hits
            stats.engine_gaps += len(result.gaps)
            stats.scratch_seconds = round(stats.scratch_seconds + result.scratch_seconds, 2)
            stats.redraw_seconds = round(stats.redraw_seconds + result.redraw_seconds, 2)
            writer.add_gaps(result.gaps)
            for p in result.proposals:
                if count is not None and stats.unique >= count:
                    break
                stats.problems += 1
                if p.plain_key and p.plain_key in plain:
                    stats.duplicates += 1  # the same statement and goal with other aux (another walk's)
                    continue
                plain.add(p.plain_key)
                if not p.aux:
                    admit(p)
                    continue
                if p.key in waiting or p.key in store:
                    stats.duplicates += 1
                    continue
                kind = p.goal.split()[0]
                stats.found_kinds[kind] = stats.found_kinds.get(kind, 0) + 1
                waiting.add(p.key)
                for q in quota.offer(kind, p):
                    waiting.discard(q.key)
                    admit(q)
                    admitted += 1  # waiting ones (another walk's) count too: this find let them in
                stats.over_quota = quota.pending
            chooser.record(task, result, admitted)
            publish()
            stats.seconds = time.monotonic() - start
            stats.cpu_seconds = time.process_time() - cpu + workers_cpu
            if progress is not None:
                progress(stats)

        backlog_path = out / BACKLOG_FILE
        posted: tuple[str, ...] = ()
        post_backlog(backlog_path, posted)  # nothing waits yet (a file left by an earlier run is stale)

        def publish() -> None:
            """Tell the running walks when the backlog changes (`LiveBacklog` reads the file)."""
            nonlocal posted
            kinds = quota.backlog(config.quota_backlog)
            if kinds != posted:
                post_backlog(backlog_path, kinds)
                posted = kinds

        def next_task() -> Task:
            task = chooser.next()
            backlog = quota.backlog(config.quota_backlog)
            return replace(task, skip=backlog) if backlog else task

        if jobs <= 1 and executor is None:
            while not done():
                task = next_task()
                take(task, run_task(task, config=config, known=store.__contains__, deadline=deadline,
                                    backlog=lambda: frozenset(quota.backlog(config.quota_backlog))))
        else:
            with executor(jobs) if executor is not None else ProcessPoolExecutor(max_workers=jobs) as pool:
                pending: set[Future[TaskResult]] = set()
                submitted: dict[Future[TaskResult], Task] = {}
                while True:
                    while not done() and len(pending) < 2 * jobs:
                        task = next_task()
                        future = pool.submit(_work, task, config, str(index_path), deadline,
                                             str(backlog_path))
                        submitted[future] = task
                        pending.add(future)
                    if not pending:
                        break
                    finished, pending = wait(pending, timeout=1.0, return_when=FIRST_COMPLETED)
                    for future in finished:
                        if not future.cancelled():
                            take(submitted.pop(future), future.result())
                    if done():
                        pending = {f for f in pending if not f.cancel()}
                    stats.seconds = time.monotonic() - start
                    if progress is not None:
                        progress(stats)
        stats.seconds = time.monotonic() - start
        stats.cpu_seconds = time.process_time() - cpu + workers_cpu
        backlog_path.unlink(missing_ok=True)
    writer.close(stats.to_json(), figures=config.figures, seed=seed)
    return stats
