"""The featurizer, the learned detector's bad-input behaviour (degenerate drawings, missing or corrupt
checkpoints) and its equivariance, and that `import tonggeo` / `tonggeo solve` never load torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from neural.geometric import MirrorNet, NetConfig
from neural.geometric.models import save
from neural.testing import assert_invariant
from tonggeo.cli import main
from tonggeo.diagram import build_diagram
from tonggeo.dsl import parse_problem
from tonggeo.symmetry.features import EDGE_FEATURES, NODE_FEATURES, FeatureError, featurize
from tonggeo.symmetry.learned import LearnedDetector, ModelUnavailable, detect, to_graph

ISO = "a b c = iso_triangle a b c; d = midpoint d b c; e = foot e b a c; f = foot f c a b ? cong b e c f"


def _drawing() -> tuple[object, dict[str, np.ndarray]]:
    problem = parse_problem(ISO, "iso")
    return problem, dict(build_diagram(problem, np.random.default_rng(0)).points)


def _checkpoint(path: Path) -> Path:
    torch.manual_seed(0)
    save(MirrorNet(NetConfig("mirror", NODE_FEATURES, EDGE_FEATURES, hidden=8, layers=2)), path, {"seed": 0})
    return path


def test_features_do_not_depend_on_placement() -> None:
    problem, points = _drawing()
    base = featurize(problem, points)  # type: ignore[arg-type]
    angle = 0.7
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) * 1e4
    moved = featurize(problem, {k: rot @ v + 5e3 for k, v in points.items()})  # type: ignore[arg-type]
    assert base.features.shape == (6, NODE_FEATURES) and base.edge_attr.shape == (30, EDGE_FEATURES)
    assert np.allclose(base.features, moved.features) and np.allclose(base.edge_attr, moved.edge_attr)
    b, c = base.names.index("b"), base.names.index("c")
    assert np.allclose(base.features[b, 20:], base.features[c, 20:])  # mirror points look alike


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ({"a": np.array([0.0, 0.0])}, "at least two points"),
        (
            {"a": np.array([0.0, 0.0]), "b": np.array([1.0, 0.0]), "c": np.array([0.0, 0.0])},
            "a and c coincide",
        ),
        ({"a": np.array([0.0, 0.0]), "b": np.array([np.inf, 0.0])}, "non-finite"),
        ({"a": np.array([1e300, 1e300]), "b": np.array([1e300, 1e300])}, "same place"),
    ],
)
def test_degenerate_drawings_are_clear_errors(points: dict[str, np.ndarray], message: str) -> None:
    problem = parse_problem("a b = segment a b; c = midpoint c a b", "p")
    with pytest.raises(FeatureError, match=message):
        featurize(problem, points)


def test_huge_coordinates_give_finite_scores(tmp_path: Path) -> None:
    problem, points = _drawing()
    detector = LearnedDetector.load(_checkpoint(tmp_path / "d.pt"))
    huge = {k: v * 1e150 for k, v in points.items()}
    probs, score = detector.probabilities(featurize(problem, huge))  # type: ignore[arg-type]
    assert np.isfinite(probs).all() and np.isfinite(score)


def test_the_full_model_is_invariant_on_a_featurized_drawing(tmp_path: Path) -> None:
    problem, points = _drawing()
    detector = LearnedDetector.load(_checkpoint(tmp_path / "d.pt"))
    g = to_graph(featurize(problem, points)).to(torch.float64)  # type: ignore[arg-type]
    model = detector.model.double()
    assert assert_invariant(model, g) <= 1e-5


def test_missing_and_corrupt_checkpoints_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.pt"
    with pytest.raises(ModelUnavailable, match=r"none\.pt: checkpoint not found"):
        LearnedDetector.load(missing)
    corrupt = tmp_path / "bad.pt"
    corrupt.write_bytes(b"not a checkpoint")
    with pytest.raises(ModelUnavailable, match=r"bad\.pt: corrupt"):
        LearnedDetector.load(corrupt)
    warnings: list[str] = []
    found = detect(
        parse_problem(ISO, "iso"),
        np.random.default_rng(0),
        "learned",
        checkpoint=corrupt,
        warn=warnings.append,
    )
    assert found.detector == "exact" and found.pairs == (("b", "c"), ("e", "f"))
    assert "bad.pt" in warnings[0] and "falling back to exact" in warnings[0]


def test_cli_prints_one_json_object_per_problem(tmp_path: Path) -> None:
    problems = tmp_path / "p.txt"
    problems.write_text(f"iso\n{ISO}\nbroken\na b c = triangle a b c; d = midpoint d b ? cong a b a c\n")
    ckpt = _checkpoint(tmp_path / "d.pt")
    result = CliRunner().invoke(
        main, ["symmetry", str(problems), "--detector", "learned", "--checkpoint", str(ckpt), "--json"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["name"] for x in lines] == ["iso", "broken"]
    assert set(lines[0]) == {"name", "symmetric", "pairs", "seconds", "error"}
    assert lines[0]["error"] is None and lines[1]["error"] and "midpoint" in lines[1]["error"]


def test_import_and_default_solve_never_load_torch(tmp_path: Path) -> None:
    problems = tmp_path / "p.txt"
    problems.write_text("p\na b c = triangle a b c; d = midpoint d b c; e = midpoint e a c ? para d e a b\n")
    code = (
        "import sys\nimport tonggeo, solvers\nimport tonggeo.symmetry, tonggeo.symmetry.learned\n"
        "assert 'torch' not in sys.modules, 'import'\n"
        "from tonggeo.cli import main\n"
        "try:\n    main(['solve', sys.argv[1], '-t', '20'])\nexcept SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules, 'solve'\nprint('no torch')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(problems)], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "no torch" in out.stdout


def test_the_shipped_detector_loads_and_finds_the_isosceles_mirror() -> None:
    detector = LearnedDetector.load()
    assert "threshold" in detector.meta and detector.path.stat().st_size < 1_000_000
    found = detector.detect(parse_problem(ISO, "iso"), np.random.default_rng(0))
    assert found.error is None and found.detector == "learned"
    assert ("b", "c") in found.pairs and ("e", "f") in found.pairs
