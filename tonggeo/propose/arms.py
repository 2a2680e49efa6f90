"""Which walk to start next: bases in turn, or bases and symmetry drawn by what they have yielded so far.

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
