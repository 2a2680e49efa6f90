"""Goal-kind quotas of a run: no kind above its share, classic kinds at least theirs, held exactly (over-share
problems wait for others to balance them); stats report them."""

from __future__ import annotations

import numpy as np

from tonggeo.propose.goals import CLASSIC_KINDS
from tonggeo.propose.quota import Quota, share_ok
from tonggeo.propose.run import RunStats


def test_quota_holds_exactly_at_every_moment() -> None:
    quota: Quota[int] = Quota(max_share=0.4, min_classic=0.5)
    stream = ["eqratio"] * 70 + ["eqangle"] * 20 + ["perp"] * 10 + ["cong"] * 10 + ["simtri"] * 10
    order = np.random.default_rng(0).permutation(len(stream))
    admitted: list[int] = []
    for i in order:
        admitted.extend(quota.offer(stream[i], int(i)))
        assert share_ok(quota.kinds, 0.4, 0.5), quota.kinds
    assert len(admitted) == quota.total == len(set(admitted))
    assert quota.total + quota.pending == len(stream)
    # the most the quotas allow: classic kinds 40 in all, so 80 problems (eqangle capped at 32)
    assert quota.total >= 75
    assert quota.kinds["eqratio"] <= 0.4 * quota.total
    assert sum(n for k, n in quota.kinds.items() if k in CLASSIC_KINDS) >= 0.5 * quota.total


def test_a_lone_kind_waits_until_others_balance_it() -> None:
    quota: Quota[str] = Quota(max_share=0.4, min_classic=0.5)
    assert quota.offer("eqratio", "r1") == []
    assert quota.offer("eqratio", "r2") == []
    assert quota.offer("perp", "p1") == []  # two kinds cannot keep each under 40%
    # three kinds: one each (cap 1 of 3), classic 2 of 3; r2 still waits (2 of 4 would be 50%)
    assert sorted(quota.offer("eqangle", "a1")) == ["a1", "p1", "r1"]
    assert quota.pending == 1
    assert sorted(quota.offer("cong", "c1")) == ["c1", "r2"]  # 5 items: cap 2, classic 3 >= 2.5
    assert quota.pending == 0 and quota.kinds == {"eqratio": 2, "perp": 1, "eqangle": 1, "cong": 1}


def test_admitted_items_never_come_back() -> None:
    quota: Quota[int] = Quota(max_share=0.4, min_classic=0.5)
    seen: list[int] = []
    rng = np.random.default_rng(3)
    kinds = ["eqratio", "eqangle", "perp", "simtri", "cong"]
    for i in range(300):
        seen.extend(quota.offer(kinds[int(rng.choice(5, p=[0.6, 0.15, 0.1, 0.1, 0.05]))], i))
    assert len(seen) == len(set(seen))
    assert share_ok(quota.kinds, 0.4, 0.5)


def test_slack_lets_a_kind_run_ahead() -> None:
    quota: Quota[int] = Quota(max_share=0.4, min_classic=0.5, slack=2)
    assert quota.allows("eqratio")
    assert quota.offer("eqratio", 1) == [1]
    strict: Quota[int] = Quota(max_share=0.4, min_classic=0.5)
    assert not strict.allows("eqratio")


def test_stats_report_statements_kinds_depth() -> None:
    stats = RunStats(seconds=10.0, cpu_seconds=10.0, unique=3, with_aux=2, statements=2,
                     statements_with_aux=1, goal_kinds={"perp": 1, "eqratio": 1}, depths=[4, 12],
                     aux_counts=[1, 2], found_kinds={"eqratio": 3, "perp": 1})
    data = stats.to_json()
    assert data["statements"] == 2 and data["goal_kinds"] == {"perp": 1, "eqratio": 1}
    assert data["found_kinds"] == {"eqratio": 3, "perp": 1}
    assert data["median_depth"] == 8.0 and data["median_aux"] == 1.5
    assert "depths" not in data and data["statements_with_aux_per_cpu_hour"] == 360.0
