"""Goal-kind quotas of a run: no kind above its share, classic kinds at least theirs; stats report them."""

from __future__ import annotations

from tonggeo.propose.run import Quota, RunStats


def test_quota_caps_a_dominant_kind() -> None:
    quota = Quota(max_share=0.4, min_classic=0.5, slack=2)
    stream = ["eqratio"] * 70 + ["eqangle"] * 20 + ["perp"] * 10 + ["cong"] * 10 + ["simtri"] * 10
    for kind in stream * 3:
        if quota.allows(kind):
            quota.add(kind)
    assert quota.total > 50
    for kind, n in quota.kinds.items():
        assert n <= 0.4 * quota.total + 2, kind
    assert quota.classic >= 0.5 * quota.total - 2


def test_stats_report_statements_kinds_depth() -> None:
    stats = RunStats(seconds=10.0, cpu_seconds=10.0, unique=3, with_aux=2, statements=2,
                     statements_with_aux=1, goal_kinds={"perp": 1, "eqratio": 1}, depths=[4, 12],
                     aux_counts=[1, 2])
    data = stats.to_json()
    assert data["statements"] == 2 and data["goal_kinds"] == {"perp": 1, "eqratio": 1}
    assert data["median_depth"] == 8.0 and data["median_aux"] == 1.5
    assert "depths" not in data and data["statements_with_aux_per_cpu_hour"] == 360.0
