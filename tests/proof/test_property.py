"""Property: on random proposing figures saturated by DDAR, the checker accepts every derived fact's
proof (the benchmark `benchmarks/checker_property.py` runs the same over 1,000 figures)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tonggeo.facts.justification import Given
from tonggeo.proof import ProofChecker, extract_proof
from tonggeo.propose.bases import BASES
from tonggeo.propose.deduce import deduce
from tonggeo.propose.walk import random_walk


@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), base=st.sampled_from(sorted(BASES)), depth=st.integers(1, 3))
def test_every_derived_fact_of_a_random_figure_is_accepted(seed: int, base: str, depth: int) -> None:
    walk = random_walk(base, np.random.default_rng(seed), depth=depth)
    deduction = deduce(walk.diagram, seconds=10)
    records = deduction.db.records
    ids = [r.id for r in records if not isinstance(r.why, Given)]
    points = {k: (float(v[0]), float(v[1])) for k, v in walk.diagram.points.items()}
    proof = extract_proof(records, ids, [records[i].fact for i in ids], deduction.problem.name, points)
    report = ProofChecker(deduction.problem, points).check(proof)
    assert report.ok, report.errors[:5]
