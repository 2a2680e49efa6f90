"""CPU-time budgets for proposing: a walk's budget and its saturation caps are counted in this process's
CPU seconds, so that what a walk does no longer depends on how loaded the machine is.

The walk's own budget is exact (`time.process_time`). The engine's saturations stop at a wall-clock
(`time.monotonic`) deadline, so a cap of `s` CPU seconds is handed to them as `s / share` wall seconds,
where `share` is the CPU share this process has had since the budget started (measured, clamped to
`[min_share, 1]`): on an idle machine a cap is the same in both clocks, under load the wall deadline
stretches with the measured share. The clock functions are parameters (tests drive them by hand).
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]


class CpuBudget:
    """`seconds` of this process's CPU time from now (`math.inf` for no budget)."""

    def __init__(
        self,
        seconds: float,
        *,
        cpu: Clock = time.process_time,
        wall: Clock = time.monotonic,
        min_share: float = 0.02,
        window: float = 0.5,
    ) -> None:
        self.seconds = seconds
        self.cpu = cpu
        self.wall = wall
        self.min_share = min_share
        self.window = window
        """Wall seconds needed before the measured share is trusted (before that it is taken as 1)."""
        self.cpu0 = cpu()
        self.wall0 = wall()

    def used(self) -> float:
        """CPU seconds spent since the budget started."""
        return self.cpu() - self.cpu0

    def left(self) -> float:
        return self.seconds - self.used()

    def spent(self) -> bool:
        return self.used() >= self.seconds

    def share(self) -> float:
        """This process's measured CPU share since the budget started (1.0 until `window` wall seconds)."""
        elapsed = self.wall() - self.wall0
        if elapsed < self.window:
            return 1.0
        return min(1.0, max(self.min_share, self.used() / elapsed))

    def wall_seconds(self, cpu_seconds: float) -> float:
        """Wall seconds to give work capped at `cpu_seconds` of CPU time at the current share; never more
        than the CPU time left in the budget allows."""
        return max(0.0, min(cpu_seconds, self.left())) / self.share()


UNLIMITED = float("inf")
