"""Records pickle through the registered reducers (`tonggeo.ddar.shipping`) and come back equal."""

from __future__ import annotations

import copyreg
import dataclasses
import pickle

import numpy as np

from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.ddar.shipping import frozen_record_classes
from tonggeo.ddar.state import initial_state
from tonggeo.dsl import parse_problem


def test_every_frozen_record_class_has_a_reducer_rebuilding_it_positionally() -> None:
    classes = frozen_record_classes()
    assert {"Coll", "EqAngle", "RuleStep", "AlgebraStep", "FactRecord"} <= {c.__name__ for c in classes}
    for cls in classes:
        assert cls in copyreg.dispatch_table
        assert all(f.init for f in dataclasses.fields(cls)), cls  # cls(*values) rebuilds every field


def test_saturated_records_round_trip_equal() -> None:
    problem = parse_problem("a b c = triangle a b c; h = orthocenter h a b c; d = midpoint d a b"
                            " ? coll a a b",
                            "ship")
    state = initial_state(problem, np.random.default_rng(0))
    Saturator(state.db, plans_for(load_rules())).run(())
    kinds = {type(r.why).__name__ for r in state.db.records}
    assert {"Given", "RuleStep"} <= kinds
    back = pickle.loads(pickle.dumps(state.db.records))
    assert back == state.db.records
    assert [type(r.fact) for r in back] == [type(r.fact) for r in state.db.records]
