"""Which walk to start next: bases in turn, or bases and symmetry drawn by what they have yielded so far.

With `base_choice` 'turns' (`Turns`) each walk is symmetric or not so that symmetric walks take
`symmetric_share` of the run's walk CPU (`share_of` 'cpu') or of its walks ('walks'), and each kind takes
the bases in turn. A symmetric walk costs 5-20 times the CPU of a plain one (two points a step, more
branches), so a share of walks says little about where the run's time goes; a share of CPU does.

A run's aux problems are mostly eqratio, and the goal-kind quota (`tonggeo.propose.quota`) holds back
what it cannot pair with classic goals (perp, para, cyclic, coll, cong, eqangle). With `base_choice`
'yield' the run treats each (base, symmetric) pair as an arm: it is drawn with odds proportional to the
classic-goal aux problems its walks returned per CPU second (plus a prior, so an arm that has not yielded
yet keeps being tried), mixed with a uniform share (`explore`) so that no arm is ever starved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tonggeo.propose.goals import CLASSIC_KINDS
from tonggeo.propose.pipeline import Task, TaskResult

PRIOR_FINDS = 1.0
"""Classic finds each arm is credited with before it has run (odds before evidence)."""
PRIOR_SECONDS = 90.0
"""CPU seconds each arm is charged with before it has run (about one walk's budget)."""


@dataclass(slots=True)
class Arm:
    finds: float = PRIOR_FINDS
    seconds: float = PRIOR_SECONDS

    @property
    def rate(self) -> float:
        return self.finds / self.seconds


PRIOR_WALK_SECONDS = 10.0
"""CPU seconds a walk in flight is assumed to cost before any walk of its kind has finished."""


@dataclass(slots=True)
class Turns:
    """Bases in turn, symmetry by share; `record` each finished walk's result (its CPU time).

    With `share_of` 'cpu' the next walk is symmetric when symmetric walks, finished and in flight (each in
    flight counted at its kind's mean so far), hold less than `symmetric_share` of the CPU; before any walk
    has finished (and with 'walks') it is drawn, symmetric with odds `symmetric_share`."""

    bases: Sequence[str]
    symmetric_share: float
    seed: int
    share_of: str = "cpu"
    count: int = 0
    spent: dict[bool, float] = field(default_factory=lambda: {True: 0.0, False: 0.0})
    finished: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    flying: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    started: dict[bool, int] = field(default_factory=lambda: {True: 0, False: 0})
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        if self.share_of not in ("cpu", "walks"):
            raise ValueError(f"unknown share_of {self.share_of!r} (cpu, walks)")
        self.rng = np.random.default_rng(self.seed)

    def expected(self, symmetric: bool) -> float:
        """CPU seconds of the kind's finished walks plus its walks in flight at the kind's mean."""
        done = self.finished[symmetric]
        mean = self.spent[symmetric] / done if done else PRIOR_WALK_SECONDS
        return self.spent[symmetric] + self.flying[symmetric] * mean

    def symmetric_next(self) -> bool:
        draw = bool(self.rng.random() < self.symmetric_share)
        if self.share_of == "walks" or not (self.finished[True] and self.finished[False]):
            return draw
        ours, theirs = self.expected(True), self.expected(False)
        return ours < self.symmetric_share * (ours + theirs)

    def next(self) -> Task:
        symmetric = self.symmetric_next()
        base = self.bases[self.started[symmetric] % len(self.bases)]
        self.started[symmetric] += 1
        self.flying[symmetric] += 1
        self.count += 1
        return Task(base, symmetric, (self.seed, self.count - 1))

    def record(self, task: Task, result: TaskResult) -> None:
        self.flying[task.symmetric] = max(0, self.flying[task.symmetric] - 1)
        self.finished[task.symmetric] += 1
        self.spent[task.symmetric] += max(result.cpu_seconds or result.seconds, 1e-3)


@dataclass(slots=True)
class ArmChooser:
    """Draws walks by yield; `record` each finished walk's result."""

    bases: Sequence[str]
    symmetric_share: float
    seed: int
    explore: float = 0.3
    arms: dict[tuple[str, bool], Arm] = field(default_factory=dict)
    count: int = 0
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        for base in self.bases:
            for symmetric in (True, False):
                self.arms[(base, symmetric)] = Arm()

    def odds(self) -> dict[tuple[str, bool], float]:
        """Probability of each arm: `explore` spread by the configured symmetric share, the rest by yield."""
        rates = {key: arm.rate for key, arm in self.arms.items()}
        total = sum(rates.values())
        n = len(self.bases)
        out: dict[tuple[str, bool], float] = {}
        for (base, symmetric), rate in rates.items():
            uniform = (self.symmetric_share if symmetric else 1.0 - self.symmetric_share) / n
            out[(base, symmetric)] = self.explore * uniform + (1.0 - self.explore) * rate / total
        return out

    def next(self) -> Task:
        keys = list(self.arms)
        odds = self.odds()
        p = np.array([odds[k] for k in keys])
        base, symmetric = keys[int(self.rng.choice(len(keys), p=p / p.sum()))]
        self.count += 1
        return Task(base, symmetric, (self.seed, self.count - 1))

    def record(self, task: Task, result: TaskResult) -> None:
        arm = self.arms.get((task.base, task.symmetric))
        if arm is None:
            return
        arm.seconds += max(result.cpu_seconds or result.seconds, 1e-3)
        arm.finds += sum(1 for p in result.proposals if p.aux and p.goal.split()[0] in CLASSIC_KINDS)
