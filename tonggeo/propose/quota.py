"""Goal-kind quotas of a run's aux problems, held exactly: no kind above `max_share` of the admitted problems
and classic kinds at least `min_classic` of them, at every moment (once anything is admitted).

A problem whose kind is over its share is not dropped: it waits, and is admitted together with others
as soon as a set of waiting problems keeps the admitted mix within the quotas (e.g. an eqratio waits for
an angle and a perpendicularity goal). What still waits when the run ends is dropped (counted over quota).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Generic, TypeVar

from tonggeo.propose.goals import CLASSIC_KINDS

T = TypeVar("T")


class Quota(Generic[T]):
    """Admits items by kind so that the admitted ones keep the quotas; `slack` lets each kind run that many
    items ahead of its cap (0: exact)."""

    def __init__(self, max_share: float, min_classic: float, slack: int = 0) -> None:
        self.max_share = max_share
        self.min_classic = min_classic
        self.slack = slack
        self.kinds: dict[str, int] = {}
        """Admitted items by kind."""
        self.total = 0
        self.classic = 0
        self.waiting: dict[str, list[T]] = {}
        """Items not admitted yet, by kind, oldest first."""

    @property
    def pending(self) -> int:
        return sum(len(v) for v in self.waiting.values())

    def backlog(self, limit: int) -> tuple[str, ...]:
        """Kinds with at least `limit` items waiting (none when `limit` is 0): more would only wait."""
        return tuple(sorted(k for k, items in self.waiting.items() if 0 < limit <= len(items)))

    def _cap(self, total: int) -> int:
        return math.floor(self.max_share * total + 1e-9) + self.slack

    def _plan(self) -> dict[str, int] | None:
        """The largest admitted counts by kind (each at least what is admitted) within the quotas, or None
        when nothing more can be admitted."""
        have = {k: self.kinds.get(k, 0) + len(self.waiting.get(k, ())) for k in {*self.kinds, *self.waiting}}
        other_admitted = self.total - self.classic
        for total in range(sum(have.values()), self.total, -1):
            cap = self._cap(total)
            if any(n > cap for n in self.kinds.values()):
                continue
            classic = {k: min(n, cap) for k, n in have.items() if k in CLASSIC_KINDS}
            other = {k: min(n, cap) for k, n in have.items() if k not in CLASSIC_KINDS}
            classic_take = min(sum(classic.values()), total - other_admitted)
            other_take = total - classic_take
            if classic_take < math.ceil(self.min_classic * total - 1e-9) - self.slack:
                continue
            if other_take > sum(other.values()) or classic_take < self.classic:
                continue
            plan = dict(self.kinds)
            for pool, take in ((classic, classic_take), (other, other_take)):
                left = take - sum(self.kinds.get(k, 0) for k in pool)
                for kind in sorted(pool, key=lambda k: self.kinds.get(k, 0)):
                    extra = min(pool[kind] - self.kinds.get(kind, 0), left)
                    plan[kind] = self.kinds.get(kind, 0) + extra
                    left -= extra
            return plan
        return None

    def offer(self, kind: str, item: T) -> list[T]:
        """Queue `item`; returns the items admitted now (it and/or earlier ones, possibly none)."""
        self.waiting.setdefault(kind, []).append(item)
        plan = self._plan()
        if plan is None:
            return []
        admitted: list[T] = []
        for k, n in plan.items():
            queue = self.waiting.get(k, [])
            take = n - self.kinds.get(k, 0)
            admitted.extend(queue[:take])
            self.waiting[k] = queue[take:]
            for _ in range(take):
                self.add(k)
        self.waiting = {k: v for k, v in self.waiting.items() if v}
        return admitted

    def allows(self, kind: str) -> bool:
        """Whether one more item of `kind` alone keeps the quotas (with the slack)."""
        total = self.total + 1
        if self.kinds.get(kind, 0) + 1 > self._cap(total):
            return False
        classic = self.classic + (kind in CLASSIC_KINDS)
        return classic >= math.ceil(self.min_classic * total - 1e-9) - self.slack

    def add(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.total += 1
        self.classic += kind in CLASSIC_KINDS


def share_ok(kinds: dict[str, int], max_share: float, min_classic: float) -> bool:
    """Whether counts by kind keep the quotas exactly."""
    total = sum(kinds.values())
    if total == 0:
        return True
    classic = sum(n for k, n in kinds.items() if k in CLASSIC_KINDS)
    return max(kinds.values()) <= max_share * total + 1e-9 and classic >= min_classic * total - 1e-9


def post_backlog(path: Path, kinds: tuple[str, ...]) -> None:
    """Publish the run's backlog (`Quota.backlog`) to the walks that are already running, one kind per
    line: written beside `path` and renamed over it, so a reader sees the old list or the new one whole."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(f"{kind}\n" for kind in kinds))
    os.replace(tmp, path)


class LiveBacklog:
    """A running walk's view of its run's backlog (`post_backlog`'s file, read at each call): the kinds it
    should stop finishing now, not only those that had a backlog when it started (`Task.skip`). No file
    (a walk on another machine, or a run without feedback): nothing."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def __call__(self) -> frozenset[str]:
        try:
            return frozenset(self.path.read_text().split())
        except OSError:
            return frozenset()
