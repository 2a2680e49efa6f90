"""Training and evaluation sets for the learned detector: labelled records (`dataset`) drawn afresh
(several drawings per statement, seeded), featurized, and paired with the exact detector's labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tonggeo.diagram import DiagramError, build_diagram
from tonggeo.dsl.ast import Problem
from tonggeo.symmetry.dataset import problem_text, read
from tonggeo.symmetry.features import FeatureError, GraphArrays, featurize

if TYPE_CHECKING:
    from neural.geometric.fit import Example


@dataclass(frozen=True)
class Labelled:
    """One drawing of a labelled statement: its graph, the exact pairs and whether it is symmetric."""

    problem: Problem
    arrays: GraphArrays
    pairs: frozenset[tuple[str, str]]
    symmetric: bool
    exact_seconds: float

    def pair_labels(self) -> np.ndarray:
        return np.array([float(p in self.pairs) for p in self.arrays.pair_names()])


def load_labelled(
    paths: Sequence[Path],
    seed: int,
    draws: int = 1,
    *,
    max_seconds: float = 9.5,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Labelled]:
    """`draws` drawings of each record of `paths` whose exact detection finished (no error, saturation
    at a fixpoint and under `max_seconds`: a timed-out saturation gives unreliable labels)."""
    records = [r for path in paths for r in read(path) if complete(r[1], max_seconds)]
    if limit is not None:
        records = records[:limit]
    rng = np.random.default_rng(seed)
    out: list[Labelled] = []
    for k, (problem, record) in enumerate(records):
        pairs = frozenset(tuple(sorted(p)) for p in record["pairs"])  # type: ignore[attr-defined]
        for _ in range(draws):
            try:
                diagram = build_diagram(problem, rng, require_goals=False)
                arrays = featurize(problem, diagram.points)
            except (DiagramError, FeatureError):
                continue
            out.append(Labelled(problem, arrays, pairs, bool(record["symmetric"]), float(record["seconds"])))  # type: ignore[arg-type]
        if progress is not None:
            progress(k + 1, len(records))
    return out


def complete(record: Mapping[str, object], max_seconds: float = 9.5) -> bool:
    """True when the record's exact labelling is trustworthy: its saturation reached a fixpoint (records
    written before that was stored: it finished under `max_seconds`) and no pair's involution search ran
    out of steps."""
    if record.get("saturation") not in (None, "fixpoint") or record.get("pairs_complete") is False:
        return False
    return float(record["seconds"]) < max_seconds  # type: ignore[arg-type]


def split_statements(
    items: Sequence[Labelled], share: float, seed: int
) -> tuple[list[Labelled], list[Labelled]]:
    """(train, valid): `share` of the distinct statements, drawn with `seed`, go to valid with all their
    drawings, so no statement is on both sides."""
    texts = sorted({problem_text(it.problem) for it in items})
    rng = np.random.default_rng(seed)
    held = set(rng.choice(len(texts), size=round(share * len(texts)), replace=False).tolist())
    valid_texts = {texts[k] for k in held}
    train = [it for it in items if problem_text(it.problem) not in valid_texts]
    return train, [it for it in items if problem_text(it.problem) in valid_texts]


CUTS = tuple(np.round(np.arange(0.0, 1.0, 0.05), 2).tolist())
"""Candidate pair thresholds (0: with the numeric filter, the network vetoes nothing)."""


def choose_threshold(
    accepted: Callable[[Labelled, float], set[tuple[str, str]]],
    items: Sequence[Labelled],
    min_recall: float = 0.95,
    grid: Sequence[float] = CUTS,
) -> tuple[float, PairMetrics]:
    """The cut of `grid` with the best precision among those keeping recall >= `min_recall` on `items`
    (ties: the lower cut), else the one with the best recall; `accepted(item, cut)` gives the reported
    pairs.  A margin above the 0.9 recall asked, since the cut is chosen on a small validation split."""
    scored = [(cut, pair_metrics([accepted(it, cut) for it in items], items)) for cut in grid]
    good = [(cut, m) for cut, m in scored if m.recall >= min_recall]
    if good:
        return max(good, key=lambda cm: (cm[1].precision, -cm[0]))
    return max(scored, key=lambda cm: (cm[1].recall, cm[1].precision))


def examples(items: Sequence[Labelled], candidates_only: bool = False) -> list[Example]:
    """Training examples; with `candidates_only` the pair loss counts only the pairs a numeric involution
    swaps (the ones the numeric filter lets through), so the network learns the veto it is used for."""
    import torch

    from neural.geometric.fit import Example
    from tonggeo.symmetry.learned import to_graph

    return [
        Example(
            to_graph(it.arrays),
            torch.as_tensor(it.pair_labels(), dtype=torch.float32),
            float(it.symmetric),
            torch.as_tensor(_candidates(it), dtype=torch.float32) if candidates_only else None,
        )
        for it in items
    ]


def _candidates(item: Labelled) -> np.ndarray:
    numeric = item.arrays.numeric_pairs()
    return np.array([float(p in numeric) for p in item.arrays.pair_names()])


@dataclass(frozen=True)
class PairMetrics:
    precision: float
    recall: float
    true_positives: int
    predicted: int
    actual: int
    symmetric_accuracy: float
    diagrams: int

    def to_json(self) -> dict[str, float]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def pair_metrics(predicted: Sequence[set[tuple[str, str]]], items: Sequence[Labelled]) -> PairMetrics:
    """Precision and recall of predicted mirror pairs against the exact pairs, over all diagrams."""
    tp = sum(len(p & it.pairs) for p, it in zip(predicted, items, strict=True))
    n_pred = sum(len(p) for p in predicted)
    n_act = sum(len(it.pairs) for it in items)
    agree = sum(bool(p) == it.symmetric for p, it in zip(predicted, items, strict=True))
    return PairMetrics(
        tp / n_pred if n_pred else 1.0,
        tp / n_act if n_act else 1.0,
        tp,
        n_pred,
        n_act,
        agree / len(items) if items else 0.0,
        len(items),
    )
