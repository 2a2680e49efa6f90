"""Which walk to start next: bases in turn, or bases (and symmetry) drawn by what they have yielded so far.

With `base_choice` 'turns' (`Turns`) each walk is symmetric or not so that symmetric walks take
`symmetric_share` of the run's walk CPU (`share_of` 'cpu') or of its walks ('walks'), and each kind takes
the bases in turn. A symmetric walk costs 5-20 times the CPU of a plain one (two points a step, more
branches), so a share of walks says little about where the run's time goes; a share of CPU does.

A run's aux problems are mostly eqratio, and the goal-kind quota (`tonggeo.propose.quota`) holds back
what it cannot pair with classic goals (perp, para, cyclic, coll, cong, eqangle). With `base_choice`
'yield' the run treats each (base, symmetric) pair as an arm: it is drawn with odds proportional to the
classic-goal aux problems its walks returned per CPU second (plus a prior, so an arm that has not yielded
yet keeps being tried), mixed with a uniform share (`explore`) so that no arm is ever starved.

With `base_choice` 'fertile' (`Fertile`, the default) symmetry follows `symmetric_share` of the CPU as
with 'turns', and the base of each walk is drawn by the aux problems that base's recent walks of that
kind let in per CPU second: new to the run and admitted under the goal-kind quotas, counting the waiting
problems of other walks that a find releases (the run's output is bound by its scarce classic kinds, so
a find of a kind already in backlog earns nothing). Bases differ by 20x in that rate (BENCHMARKS.md,
Propose, session 18).
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

    def start(self) -> bool:
        """The next walk's symmetry, counted as started (in flight)."""
        symmetric = self.symmetric_next()
        self.started[symmetric] += 1
        self.flying[symmetric] += 1
        self.count += 1
        return symmetric

    def next(self) -> Task:
        symmetric = self.start()
        base = self.bases[(self.started[symmetric] - 1) % len(self.bases)]
        return Task(base, symmetric, (self.seed, self.count - 1))

    def record(self, task: Task, result: TaskResult, new: int = 0) -> None:
        """Count a finished walk's CPU time (`new`, the aux problems it let into the run, is not read)."""
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

    def record(self, task: Task, result: TaskResult, new: int = 0) -> None:
        """Credit the walk's classic-goal finds (`new` is not read) and CPU time to its arm."""
        arm = self.arms.get((task.base, task.symmetric))
        if arm is None:
            return
        arm.seconds += max(result.cpu_seconds or result.seconds, 1e-3)
        arm.finds += sum(1 for p in result.proposals if p.aux and p.goal.split()[0] in CLASSIC_KINDS)


FERTILE_PRIOR_FINDS = 1.0
"""Admitted aux problems each (base, symmetry) is credited with before its first walk (about 360 per CPU-hour:
optimistic enough that every base is tried early)."""
FERTILE_PRIOR_SECONDS = 10.0
"""CPU seconds (and one walk) each (base, symmetry) is charged with before its first walk."""


@dataclass(slots=True)
class Fertile:
    """Symmetry by CPU share as in `Turns`; within each kind (symmetric or plain) the base drawn by what its
    recent walks of that kind let in: aux problems admitted (new to the run, under the quotas) per CPU
    second, as `propose` credits them (`record`'s `new`).

    Each record decays the arm's earlier finds, seconds and walks by `decay`, so the rate follows the
    base's recent walks (repeats pile up as one base is walked many times). With odds `explore` the base
    is uniform over the bases; otherwise a base is drawn with odds rate**`power` / mean walk CPU, so that
    the kind's CPU goes to bases in proportion to rate**`power` (a walk of one base may cost ten of
    another's). A base that returns nothing keeps its `explore` share."""

    bases: Sequence[str]
    symmetric_share: float
    seed: int
    share_of: str = "cpu"
    explore: float = 0.3
    decay: float = 0.9
    power: float = 2.0
    turns: Turns = field(init=False)
    finds: dict[tuple[str, bool], float] = field(default_factory=dict)
    seconds: dict[tuple[str, bool], float] = field(default_factory=dict)
    walks: dict[tuple[str, bool], float] = field(default_factory=dict)
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        if not self.bases:
            raise ValueError("no bases to walk from")
        if not 0.0 <= self.explore <= 1.0 or not 0.0 < self.decay <= 1.0:
            raise ValueError(f"explore {self.explore} must lie in [0, 1] and decay {self.decay} in (0, 1]")
        self.turns = Turns(self.bases, self.symmetric_share, self.seed, self.share_of)
        self.rng = np.random.default_rng((self.seed, 1))
        for base in self.bases:
            for symmetric in (True, False):
                self.finds[(base, symmetric)] = FERTILE_PRIOR_FINDS
                self.seconds[(base, symmetric)] = FERTILE_PRIOR_SECONDS
                self.walks[(base, symmetric)] = 1.0

    def odds(self, symmetric: bool) -> dict[str, float]:
        """Probability of each base for the next walk of the kind."""
        weight = {}
        for base in self.bases:
            key = (base, symmetric)
            rate = self.finds[key] / self.seconds[key]
            weight[base] = rate**self.power / (self.seconds[key] / self.walks[key])
        total = sum(weight.values())
        n = len(self.bases)
        return {base: self.explore / n + (1.0 - self.explore) * (w / total if total > 0 else 1.0 / n)
                for base, w in weight.items()}

    def next(self) -> Task:
        symmetric = self.turns.start()
        odds = self.odds(symmetric)
        p = np.array([odds[b] for b in self.bases])
        base = self.bases[int(self.rng.choice(len(self.bases), p=p / p.sum()))]
        return Task(base, symmetric, (self.seed, self.turns.count - 1))

    def record(self, task: Task, result: TaskResult, new: int = 0) -> None:
        """Count the walk's CPU time for the symmetric share and credit its base with `new` (the aux
        problems its finds admitted to the run)."""
        self.turns.record(task, result)
        key = (task.base, task.symmetric)
        if key not in self.finds:
            return
        self.finds[key] = self.decay * self.finds[key] + new
        self.seconds[key] = self.decay * self.seconds[key] + max(result.cpu_seconds or result.seconds, 1e-3)
        self.walks[key] = self.decay * self.walks[key] + 1.0
