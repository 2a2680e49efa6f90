"""The learned detector: an equivariant network of `neural` (EGNN backbones) over
`features.featurize` graphs.  torch is imported here only when a model is loaded or used.

The detector reads the drawing alone (no saturation): the probability that each pair of points are
mirror images, and a score that the figure has a symmetry.  Its guesses are suggestions: search re-checks
each one with `exact.is_configuration_symmetry` before using it.  The learned prior of auxiliary
constructions lives in `tonggeo.symmetry.prior`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tonggeo.diagram import DiagramError, build_diagram
from tonggeo.dsl.ast import Problem
from tonggeo.symmetry.detect import Detection, detect_exact
from tonggeo.symmetry.features import FeatureError, GraphArrays, featurize

if TYPE_CHECKING:
    from neural.geometric import GeometricGraph

CHECKPOINTS = Path(__file__).parent / "checkpoints"
DEFAULT_DETECTOR = CHECKPOINTS / "detector.pt"
NEUTRAL_PRIOR = 0.5


class ModelUnavailable(Exception):
    """A checkpoint that is missing, corrupt, or needs torch where it is not installed (names the file)."""


def to_graph(arrays: GraphArrays) -> GeometricGraph:
    """The torch graph of featurized arrays (float32)."""
    import torch

    from neural.geometric import GeometricGraph

    n = len(arrays.names)
    return GeometricGraph(
        pos=torch.as_tensor(arrays.pos, dtype=torch.float32),
        features=torch.as_tensor(arrays.features, dtype=torch.float32),
        edge_index=torch.as_tensor(arrays.edge_index, dtype=torch.long),
        edge_attr=torch.as_tensor(arrays.edge_attr, dtype=torch.float32),
        pairs=torch.as_tensor(arrays.pairs, dtype=torch.long),
        batch=torch.zeros(n, dtype=torch.long),
    )


def _load(path: Path, kind: str) -> tuple[Any, dict[str, Any]]:
    try:
        from neural.geometric.models import CheckpointError, load
    except ImportError as exc:
        raise ModelUnavailable(
            f"{path}: the learned models need torch (pip install 'tonggeo[neural]')"
        ) from exc
    try:
        model, meta = load(path)
    except CheckpointError as exc:
        raise ModelUnavailable(str(exc)) from exc
    found = getattr(model, "config").kind  # noqa: B009 (nn.Module attributes are untyped)
    if found != kind:
        raise ModelUnavailable(f"{path}: a {found} network, not a {kind} network")
    return model, meta


def goal_points(problem: Problem) -> list[str]:
    return [a for goal in problem.goals for a in goal.args if isinstance(a, str)]


@dataclass(frozen=True)
class LearnedDetector:
    model: Any
    meta: Mapping[str, Any]
    path: Path
    threshold: float = 0.5
    numeric_filter: bool = False
    """Keep only pairs that an involution of the drawing's incidences also swaps (`numeric`): a check
    without saturation, part of the detector (and of its time)."""

    @classmethod
    def load(cls, path: Path = DEFAULT_DETECTOR, threshold: float | None = None) -> LearnedDetector:
        model, meta = _load(path, "mirror")
        cut = float(meta.get("threshold", 0.5)) if threshold is None else threshold
        return cls(model, meta, path, cut, bool(meta.get("numeric_filter", False)))

    def accepted(self, arrays: GraphArrays, probs: np.ndarray, threshold: float | None = None) -> np.ndarray:
        """Indices of `arrays.pairs` the detector reports: probability at or above the threshold and, with
        the numeric filter, swapped by an involution of the drawing's incidences."""
        cut = self.threshold if threshold is None else threshold
        keep = probs >= cut
        if self.numeric_filter:
            numeric = arrays.numeric_pairs()
            keep &= np.array([p in numeric for p in arrays.pair_names()], dtype=bool)
        return np.nonzero(keep)[0]

    def probabilities(self, arrays: GraphArrays) -> tuple[np.ndarray, float]:
        """Mirror probability of each pair of `arrays.pairs`, and the figure's symmetry score."""
        import torch

        with torch.no_grad():
            pair_logits, graph_logits = self.model(to_graph(arrays))
        probs = torch.sigmoid(pair_logits).numpy().astype(np.float64)
        score = float(torch.sigmoid(graph_logits)[0])
        if not (np.isfinite(probs).all() and np.isfinite(score)):
            raise FeatureError("the network gave non-finite scores for this drawing")
        return probs, score

    def pairs(self, arrays: GraphArrays) -> tuple[list[tuple[str, str]], np.ndarray, float]:
        probs, score = self.probabilities(arrays)
        names = arrays.pair_names()
        return sorted(names[k] for k in self.accepted(arrays, probs)), probs, score

    def detect(self, problem: Problem, rng: np.random.Generator) -> Detection:
        """Draw the problem, featurize the drawing, read the pairs off the network (no saturation)."""
        start = time.monotonic()
        try:
            diagram = build_diagram(problem, rng, require_goals=False)
            arrays = featurize(problem, diagram.points, goal_points(problem))
            pairs, _, score = self.pairs(arrays)
        except (DiagramError, FeatureError) as exc:
            return Detection(problem.name, False, (), time.monotonic() - start, "learned", error=str(exc))
        return Detection(
            problem.name, bool(pairs), tuple(pairs), time.monotonic() - start, "learned", score=score
        )

    def suggest(
        self, problem: Problem, points: Mapping[str, np.ndarray], limit: int = 2
    ) -> list[dict[str, str]]:
        """Up to `limit` candidate involutions, most probable pairs first (a greedy matching each): guesses
        to be re-checked exactly.  Empty for a drawing that cannot be featurized."""
        try:
            arrays = featurize(problem, points, goal_points(problem))
            probs, _ = self.probabilities(arrays)
        except FeatureError:
            return []
        names = arrays.pair_names()
        accepted = set(self.accepted(arrays, probs).tolist())
        order = [k for k in np.argsort(-probs) if k in accepted]
        out: list[dict[str, str]] = []
        for first in order[:limit]:
            sigma: dict[str, str] = {}
            for k in [first, *order]:
                a, b = names[k]
                if a not in sigma and b not in sigma:
                    sigma[a], sigma[b] = b, a
            if sigma and sigma not in out:
                out.append(sigma)
        return out


def detect(
    problem: Problem,
    rng: np.random.Generator,
    detector: str = "exact",
    *,
    checkpoint: Path = DEFAULT_DETECTOR,
    timeout: float = 30.0,
    warn: Callable[[str], None] | None = None,
    loaded: LearnedDetector | None = None,
) -> Detection:
    """Detection by `detector` ('learned' or 'exact'); a learned detector whose checkpoint cannot be
    loaded is reported through `warn` (naming the file) and exact detection is used instead."""
    if detector == "learned":
        try:
            model = loaded if loaded is not None else LearnedDetector.load(checkpoint)
        except ModelUnavailable as exc:
            if warn is not None:
                warn(f"{exc}; falling back to exact detection")
        else:
            return model.detect(problem, rng)
    elif detector != "exact":
        raise ValueError(f"unknown detector {detector!r} (learned or exact)")
    return detect_exact(problem, rng, timeout=timeout)
