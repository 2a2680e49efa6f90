"""The learned prior: invariance of its features, its checkpoint (round trip, missing, corrupt, another
feature set), degenerate figures (neutral prior, never NaN), records and their split, and training."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Clause, ConstructionCall, PointDecl
from tonggeo.symmetry.prior import (
    FEATURES,
    NEUTRAL,
    DegenerateFigure,
    Figure,
    PriorModel,
    PriorUnavailable,
    features,
    load_prior,
    symmetries_of,
)
from tonggeo.symmetry.prior_training import (
    Record,
    Sample,
    TrainConfig,
    hit_rates,
    read_records,
    split,
    train,
)

ISO = "a b c = iso_triangle a b c; d = foot d b a c; e = foot e c a b ? cong b d c e"
MIDPOINT = Clause((PointDecl("f"),), (ConstructionCall("midpoint", ("f", "b", "c")),))
FOOT = Clause((PointDecl("f"),), (ConstructionCall("foot", ("f", "a", "b", "c")),))


def _figure(
    transform: complex = 1, shift: complex = 0, flip: bool = False
) -> tuple[Figure, dict[str, complex]]:
    problem = parse_problem(ISO, "iso")
    points = build_diagram(problem, np.random.default_rng(0)).complex_points
    moved = {n: transform * (z.conjugate() if flip else z) + shift for n, z in points.items()}
    return Figure.of(moved, problem.clauses, problem.goals, (), symmetries_of(moved)), moved


def _move(z: complex, transform: complex, shift: complex, flip: bool) -> complex:
    return transform * (z.conjugate() if flip else z) + shift


def test_features_invariant_under_similarities_and_renaming() -> None:
    figure, points = _figure()
    base = features(figure, MIDPOINT, [(points["b"] + points["c"]) / 2], 1.5, 3)
    assert base.shape == (len(FEATURES),) and np.isfinite(base).all()
    for transform, shift, flip in [(np.exp(0.7j) * 3.5, 2 - 1j, False), (np.exp(-2.1j) * 0.01, 1e3j, True)]:
        moved, pts = _figure(transform, shift, flip)
        row = features(moved, MIDPOINT, [(pts["b"] + pts["c"]) / 2], 1.5, 3)
        np.testing.assert_allclose(row, base, atol=1e-9)
    # point order in the figure does not matter
    reordered = dict(reversed(list(points.items())))
    figure2 = Figure.of(reordered, parse_problem(ISO, "iso").clauses, parse_problem(ISO, "iso").goals)
    figure1 = Figure.of(points, parse_problem(ISO, "iso").clauses, parse_problem(ISO, "iso").goals)
    z = [(points["b"] + points["c"]) / 2]
    np.testing.assert_allclose(features(figure2, MIDPOINT, z), features(figure1, MIDPOINT, z), atol=1e-12)


def test_features_read_the_geometry_of_the_new_point() -> None:
    figure, points = _figure()
    names = list(FEATURES)
    mid = features(figure, MIDPOINT, [(points["b"] + points["c"]) / 2])
    far = features(figure, MIDPOINT, [points["a"] * 3 + 0.123 + 0.456j])
    assert mid[names.index("lines")] > 0 and mid[names.index("equidistant")] > 0
    assert far[names.index("lines")] == 0
    # the isosceles triangle's axis passes through a and the midpoint of bc
    assert figure.isometries, "the isosceles drawing has a mirror"
    assert mid[names.index("on_axis")] == 1.0 and far[names.index("on_axis")] == 0.0
    assert mid[names.index("kind_midpoint")] == 1.0 and mid[names.index("goal_cong")] == 1.0


def test_degenerate_figures_are_errors_or_neutral_never_nan() -> None:
    problem = parse_problem(ISO, "iso")
    with pytest.raises(DegenerateFigure):
        Figure.of({"a": 0j}, problem.clauses, problem.goals)
    with pytest.raises(DegenerateFigure):
        Figure.of({"a": 1 + 1j, "b": 1 + 1j}, problem.clauses, problem.goals)
    with pytest.raises(DegenerateFigure):
        Figure.of({"a": 0j, "b": complex(math.nan, 0)}, problem.clauses, problem.goals)
    figure, points = _figure(1e150)
    model = _model()
    on_known = (MIDPOINT, [points["a"]], 0.0)
    fine = (MIDPOINT, [(points["b"] + points["c"]) / 2], 0.0)
    scores = model.score(figure, [on_known, fine])
    assert scores[0] == NEUTRAL and 0.0 < scores[1] < 1.0 and all(np.isfinite(scores))
    assert model.score(None, [fine]) == [NEUTRAL]
    huge = np.full((1, len(FEATURES)), 1e300)
    assert np.isfinite(model.probabilities(huge)).all()


def _model(seed: int = 0) -> PriorModel:
    rng = np.random.default_rng(seed)
    n = len(FEATURES)
    layers = ((rng.normal(size=(n, 4)), rng.normal(size=4)), (rng.normal(size=(4, 1)), np.zeros(1)))
    return PriorModel(np.zeros(n), np.ones(n), layers, {"seed": seed})


def test_checkpoint_round_trip(tmp_path: Path) -> None:
    model = _model()
    path = tmp_path / "prior.npz"
    model.save(path)
    loaded = load_prior(path)
    rows = np.random.default_rng(1).normal(size=(5, len(FEATURES)))
    np.testing.assert_allclose(loaded.probabilities(rows), model.probabilities(rows))
    assert loaded.meta["seed"] == 0 and loaded.path == path


def test_missing_corrupt_or_foreign_checkpoint_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.npz"
    with pytest.raises(PriorUnavailable, match=r"nowhere\.npz: prior checkpoint not found"):
        load_prior(missing)
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"not a zip file at all")
    with pytest.raises(PriorUnavailable, match=r"corrupt\.npz: corrupt"):
        load_prior(corrupt)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, mean=np.zeros(3), scale=np.ones(3), w0=np.zeros((3, 1)), b0=np.zeros(1),
             meta=np.array(json.dumps({"features": ["x", "y", "z"]})))
    with pytest.raises(PriorUnavailable, match=r"foreign\.npz: trained on another feature set"):
        load_prior(foreign)
    nan = tmp_path / "nan.npz"
    bad = _model()
    PriorModel(bad.mean, bad.scale, ((bad.layers[0][0] * np.nan, bad.layers[0][1]), bad.layers[1]),
               {}).save(nan)
    with pytest.raises(PriorUnavailable, match=r"nan\.npz: corrupt"):
        load_prior(nan)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.mkdir(parents=True)
    (path / "training.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")


def test_records_split_by_run_and_statement(tmp_path: Path) -> None:
    shared = {"problem": "a b c = triangle a b c ? cong a b a c", "aux": ["d = midpoint d b c"],
              "statement_key": "k1"}
    _write(tmp_path / "train_s1", [shared, {**shared, "aux": []},
                                   {"problem": "p", "aux": ["x"], "statement_key": "k2"}])
    _write(tmp_path / "test_s9", [shared, {"problem": "q", "aux": ["y"], "statement_key": "k3"}])
    records = read_records([tmp_path])
    assert len(records) == 4  # duplicates within a run and records without aux are dropped
    train_records, test_records = split(records, ["test"])
    assert {r.key for r in train_records} == {"k1", "k2"}
    assert [r.key for r in test_records] == ["k3"]  # k1 is also a training statement


def _samples(count: int, seed: int) -> list[Sample]:
    """Synthetic samples whose positive has a large 'lines' feature."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        rows = rng.normal(size=(12, len(FEATURES)))
        labels = np.zeros(12, dtype=bool)
        k = int(rng.integers(12))
        rows[k, FEATURES.index("lines")] += 4.0
        labels[k] = True
        out.append(Sample(Record("r", str(i), "t", ("x",)), rows, labels))
    return out


def test_training_learns_a_signal_and_writes_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "prior.npz"
    model = train(_samples(40, 0), TrainConfig(epochs=15, hidden=8), path, {"note": "synthetic"})
    held_out = _samples(30, 1)
    rates = hit_rates(model, held_out, k=1)
    assert rates.reachable == 30 and rates.prior_hits >= 25 > rates.base_hits
    assert load_prior(path).meta["note"] == "synthetic"
    with pytest.raises(ValueError, match="no training sample"):
        train([Sample(Record("r", "k", "t", ("x",)), np.zeros((3, len(FEATURES))), np.zeros(3, bool))],
              TrainConfig(epochs=1), tmp_path / "none.npz", {})


def test_train_prior_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tonggeo.cli import main

    text = "a b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"
    _write(tmp_path / "train_s1", [{"problem": text, "aux": ["f = midpoint f b c"], "statement_key": "k1"}])
    other = "a b c = triangle a b c; d = midpoint d a b ? cong a d d b"
    _write(tmp_path / "test_s2", [{"problem": other, "aux": ["e = midpoint e a c"], "statement_key": "k2"}])
    out = tmp_path / "prior.npz"
    result = CliRunner().invoke(
        main, ["train", "prior", str(tmp_path), "--out", str(out), "--epochs", "3", "--pool", "16", "-k", "8"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["train"]["samples"] == 1 and report["test"]["samples"] == 1
    assert load_prior(out).meta["hits"]["train"]["reachable"] == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    failed = CliRunner().invoke(main, ["train", "prior", str(empty), "--out", str(tmp_path / "x.npz")])
    assert failed.exit_code != 0 and "no training records" in failed.output
