"""Quota feedback: once a goal kind has a backlog waiting for its share, new walks skip that kind (no branches
aimed at it, none of its aux problems finished), since the quota would only hold them back."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from tonggeo.config import DEFAULT_DDAR, DEFAULT_PROPOSE
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.facts import fact_text
from tonggeo.propose.deduce import deduce, extend_deduction, restrict
from tonggeo.propose.extract import hard_facts, unlocked
from tonggeo.propose.pipeline import Proposal, Task, TaskResult, _Emitter
from tonggeo.propose.quota import LiveBacklog, Quota, post_backlog
from tonggeo.propose.run import BACKLOG_FILE, propose

STATEMENT = (
    "a b c = r_triangle a b c; d = psquare d a c; e = psquare e a b; f = foot f a b e; g = foot g a c d; "
    "h = nsquare h f d; i = nsquare i g e; k = intersection_lt k a f i f h; l = shift l b h k"
)
AUX = "n = parallelogram d a l n"
GOAL = "eqangle a b a l b c d f"


def test_backlog_names_the_kinds_with_enough_waiting() -> None:
    quota: Quota[int] = Quota(max_share=0.4, min_classic=0.5)
    for i in range(5):
        quota.offer("eqratio", i)
    quota.offer("perp", 9)
    assert quota.backlog(5) == ("eqratio",)
    assert quota.backlog(6) == ()
    assert quota.backlog(0) == ()  # 0: feedback off
    assert quota.backlog(1) == ("eqratio", "perp")


def _unlocked_goal() -> tuple[Any, Any, Any]:
    walk = parse_problem(f"{STATEMENT}; {AUX}", "walk")
    diagram = build_diagram(walk, np.random.default_rng(1))
    statement = deduce(restrict(diagram, walk.clauses[:-1]), seconds=30)
    goal = [f for f in hard_facts(statement) if fact_text(f) == GOAL]
    grown = extend_deduction(statement, diagram, seconds=30, goals=goal)
    return unlocked(grown, goal, statement), diagram, grown


def test_a_walk_told_to_skip_a_kind_does_not_finish_its_problems() -> None:
    found, diagram, grown = _unlocked_goal()
    assert [fact_text(e.goal) for e in found] == [GOAL]
    config = replace(DEFAULT_PROPOSE, saturation_seconds=30.0)
    skipping = _Emitter(Task("r_triangle", False, (0,), skip=("eqangle",)), config, DEFAULT_DDAR,
                        lambda key: False)
    skipping.emit(found, diagram, grown, lambda: False)
    assert skipping.proposals == [] and skipping.drops == {"quota": 1}
    other = _Emitter(Task("r_triangle", False, (0,), skip=("eqratio",)), config, DEFAULT_DDAR,
                     lambda key: False)
    other.emit(found, diagram, grown, lambda: False)
    assert "quota" not in other.drops
    assert [p.goal for p in other.proposals] == [GOAL]


class _Canned(Executor):
    """Runs nothing: every walk returns one new eqratio aux problem (the kind piles up waiting)."""

    def __init__(self) -> None:
        self.tasks: list[Task] = []
        self.live: list[frozenset[str]] = []
        """What a walk reading the run's backlog file would see when each walk is handed out."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        task: Task = args[0]
        self.tasks.append(task)
        self.live.append(LiveBacklog(args[4])())
        n = len(self.tasks)
        goal = f"eqratio a b a c d e d {'fghijk'[n % 6]}"
        proposal = Proposal(name=f"p{n}", key=f"k{n:012d}", text=f"x = free x | y = free y ? {goal}",
                            goal=goal, aux=("y = free y",), steps=3, symmetric=False, points=2,
                            base=task.base, score=0.0, proof_text="", proof_json="", facts=(),
                            plain_key=f"plain{n}")
        future: Future[Any] = Future()
        future.set_result(TaskResult((proposal,), 1, 0.0, 2))
        return future


def test_the_run_tells_new_walks_which_kinds_have_a_backlog(tmp_path: Path) -> None:
    pool = _Canned()
    config = replace(DEFAULT_PROPOSE, quota_backlog=3, figures=0)
    stats = propose(tmp_path / "out", seconds=0.5, jobs=1, seed=0, config=config, executor=lambda jobs: pool)
    assert stats.with_aux == 0 and stats.over_quota >= 3  # a lone kind is never admitted
    skips = [t.skip for t in pool.tasks]
    assert skips[:3] == [(), (), ()]  # nothing waits yet when the first walks are handed out
    assert ("eqratio",) in skips
    first = skips.index(("eqratio",))
    assert all(s == ("eqratio",) for s in skips[first:])
    # walks already running learn it too: the file they read names the kind from then on, and is gone
    # when the run ends
    assert pool.live[:3] == [frozenset()] * 3 and pool.live[first] == {"eqratio"}
    assert not (tmp_path / "out" / BACKLOG_FILE).exists()
    off = _Canned()
    propose(tmp_path / "off", seconds=0.3, jobs=1, seed=0, config=replace(config, quota_backlog=0),
            executor=lambda jobs: off)
    assert all(t.skip == () for t in off.tasks)


def test_the_live_backlog_reads_what_the_run_posted(tmp_path: Path) -> None:
    path = tmp_path / BACKLOG_FILE
    live = LiveBacklog(path)
    assert live() == frozenset()  # no file: nothing to skip (a walk on another machine)
    post_backlog(path, ("eqratio", "perp"))
    assert live() == {"eqratio", "perp"}
    post_backlog(path, ())
    assert live() == frozenset()


def test_a_running_walk_stops_finishing_a_kind_once_the_run_has_a_backlog_of_it() -> None:
    found, diagram, grown = _unlocked_goal()
    config = replace(DEFAULT_PROPOSE, saturation_seconds=30.0)
    now: set[str] = set()
    emitter = _Emitter(Task("r_triangle", False, (0,)), config, DEFAULT_DDAR, lambda key: False,
                       backlog=lambda: frozenset(now))
    now.add("eqangle")  # the walk started with no backlog; the run piled up this kind meanwhile
    emitter.emit(found, diagram, grown, lambda: False)
    assert emitter.proposals == [] and emitter.drops == {"quota": 1}
    now.clear()
    emitter.emit(found, diagram, grown, lambda: False)
    assert [p.goal for p in emitter.proposals] == [GOAL]
