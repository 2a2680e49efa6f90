"""Training data and training of the learned prior (`tonggeo.symmetry.prior`).

Labels come from proposing's training records (`training.jsonl` of `tonggeo propose` runs): each record
with auxiliary constructions is a statement, a goal and the aux clauses its proof used.  The statement is
drawn (seeded), a base policy offers its candidates for it (`pool`, e.g. the heuristic's root shortlist:
`solvers.search.prior_policy.heuristic_pool`), the record's aux clauses are drawn on the same figure, and
a candidate whose new point lands on a point of the aux clauses is a positive; the other candidates are
negatives.  Runs (one folder per proposing seed) and statements are split apart: a test run's record
whose statement also occurs in a training run is dropped from the test split.

The network (two ReLU layers and a logit) is trained with torch, imported only here, on a listwise loss
(the softmax of a statement's candidates should put its mass on the positives) plus binary
cross-entropy; the checkpoint holds numpy weights, so scoring never needs torch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tonggeo.ddar.premises import PremiseError
from tonggeo.diagram import DiagramError
from tonggeo.diagram.build import extend_diagram
from tonggeo.diagram.model import Diagram
from tonggeo.dsl import parse_problem
from tonggeo.dsl.ast import Clause, Problem
from tonggeo.dsl.errors import DslError
from tonggeo.symmetry.prior import (
    FEATURES,
    DegenerateFigure,
    Figure,
    PriorModel,
    features,
    symmetries_of,
)

Candidate = tuple[Clause, Sequence[complex], float]
Pool = Callable[[Problem, np.random.Generator], tuple[Diagram, Sequence[Candidate]]]
"""A base policy's candidates on a problem's figure, best first: (diagram, [(clause, coords, score)])."""


@dataclass(frozen=True)
class Record:
    """One proposing record with aux clauses: the run (folder) it came from, its statement key."""

    run: str
    key: str
    text: str
    aux: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    """The base policy's candidates for one record, as feature rows in the base's order, and which of
    them land on one of the record's aux points."""

    record: Record
    rows: np.ndarray
    labels: np.ndarray

    @property
    def reachable(self) -> bool:
        return bool(self.labels.any())


def read_records(paths: Iterable[Path]) -> list[Record]:
    """Records with aux clauses from `training.jsonl` files (or folders holding them, at any depth),
    distinct by (run, statement and goal, aux clauses); a line that is not a record is skipped."""
    out: list[Record] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    files = [f for p in paths for f in (sorted(p.rglob("training.jsonl")) if p.is_dir() else [p])]
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
                text, aux = str(data["problem"]), tuple(str(a) for a in data.get("aux") or ())
            except (ValueError, KeyError, TypeError):
                continue
            if not aux or (file.parent.name, text, aux) in seen:
                continue
            seen.add((file.parent.name, text, aux))
            key = str(data.get("statement_key") or text.split(" ? ")[0])
            out.append(Record(file.parent.name, key, text, aux))
    return out


def split(records: Sequence[Record], test_runs: Sequence[str]) -> tuple[list[Record], list[Record]]:
    """(train, test): test holds the records of runs whose name contains one of `test_runs`, less those
    whose statement occurs in a training record."""
    is_test = [any(t in r.run for t in test_runs) for r in records]
    train = [r for r, t in zip(records, is_test, strict=True) if not t]
    keys = {r.key for r in train}
    test = [r for r, t in zip(records, is_test, strict=True) if t and r.key not in keys]
    return train, test


def aux_points(record: Record, diagram: Diagram, rng: np.random.Generator) -> list[complex]:
    """Where the record's aux clauses land when drawn, in order, on `diagram`."""
    statement, goal = record.text.split(" ? ", 1)
    problem = parse_problem(f"{statement} | {'; '.join(record.aux)} ? {goal}", record.key)
    out: list[complex] = []
    for clause in problem.aux:
        diagram = extend_diagram(diagram, clause, rng)
        out.extend(diagram.complex_points[p] for p in clause.point_names)
    return out


def label(record: Record, pool: Pool, seed: int = 0, tol: float = 1e-6) -> Sample | None:
    """The record's sample, or None if its statement or aux clauses cannot be drawn."""
    rng = np.random.default_rng(seed)
    try:
        problem = parse_problem(record.text, record.key)
        diagram, candidates = pool(problem, rng)
        targets = aux_points(record, diagram, rng)
        points = diagram.complex_points
        figure = Figure.of(points, problem.clauses, problem.goals, (), symmetries_of(points))
    except (DslError, DiagramError, PremiseError, DegenerateFigure, ValueError, KeyError):
        return None
    rows, labels = [], []
    scale = tol * max(diagram.radius, 1e-9)
    for k, (clause, coords, score) in enumerate(candidates):
        try:
            rows.append(features(figure, clause, coords, score, k))
        except DegenerateFigure:
            continue
        labels.append(any(abs(z - w) <= scale for z in coords for w in targets))
    if not rows:
        return None
    return Sample(record, np.stack(rows), np.array(labels, dtype=bool))


def build_samples(
    records: Sequence[Record], pool: Pool, seed: int = 0, progress: Callable[[int, int], None] | None = None
) -> list[Sample]:
    out = []
    for k, record in enumerate(records):
        sample = label(record, pool, seed)
        if sample is not None:
            out.append(sample)
        if progress is not None:
            progress(k + 1, len(records))
    return out


@dataclass(frozen=True)
class HitRates:
    """Top-k hits of the prior's order and of the base policy's order over the same candidates."""

    k: int
    samples: int
    reachable: int
    prior_hits: int
    base_hits: int

    def to_json(self) -> dict[str, float | int]:
        return {
            "k": self.k, "samples": self.samples, "reachable": self.reachable,
            "prior_hits": self.prior_hits, "base_hits": self.base_hits,
            "prior_rate": round(self.prior_hits / max(self.reachable, 1), 3),
            "base_rate": round(self.base_hits / max(self.reachable, 1), 3),
        }


def hit_rates(model: PriorModel, samples: Sequence[Sample], k: int = 8) -> HitRates:
    """Whether a positive is among the first `k` candidates, by the prior's order (ties: the base's) and
    by the base's; `reachable` counts the samples with a positive among the candidates at all."""
    prior_hits = base_hits = 0
    for s in samples:
        probs = model.probabilities(s.rows)
        order = sorted(range(len(probs)), key=lambda i: (-probs[i], i))
        prior_hits += bool(s.labels[order[:k]].any())
        base_hits += bool(s.labels[:k].any())
    return HitRates(k, len(samples), sum(s.reachable for s in samples), prior_hits, base_hits)


@dataclass(frozen=True)
class TrainConfig:
    seed: int = 0
    epochs: int = 40
    hidden: int = 16
    """Width of the two hidden layers; 0: a logistic model on the features."""
    lr: float = 3e-3
    weight_decay: float = 1e-3
    bce_weight: float = 0.5


def train(
    samples: Sequence[Sample],
    config: TrainConfig,
    checkpoint: Path,
    meta: dict[str, object],
    progress: Callable[[int, int, float], None] | None = None,
    every: int = 20,
) -> PriorModel:
    """Train the prior on `samples` (seeded); the checkpoint is rewritten every `every` epochs and at
    the end.  Raises ValueError when no sample has a positive."""
    import torch
    from torch import nn

    used = [s for s in samples if s.reachable]
    if not used:
        raise ValueError("no training sample has its aux construction among the candidates")
    torch.manual_seed(config.seed)
    rows = np.concatenate([s.rows for s in used])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    xs = [torch.as_tensor((s.rows - mean) / scale, dtype=torch.float32) for s in used]
    ys = [torch.as_tensor(s.labels, dtype=torch.float32) for s in used]
    net = (
        nn.Sequential(
            nn.Linear(len(FEATURES), config.hidden), nn.ReLU(),
            nn.Linear(config.hidden, config.hidden), nn.ReLU(),
            nn.Linear(config.hidden, 1),
        )
        if config.hidden > 0
        else nn.Sequential(nn.Linear(len(FEATURES), 1))  # logistic: for a few hundred records
    )
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    positives = float(sum(float(y.sum()) for y in ys))
    pos_weight = torch.tensor(max((sum(len(y) for y in ys) - positives) / max(positives, 1.0), 1.0))
    gen = torch.Generator().manual_seed(config.seed)
    history: list[float] = []
    start = time.monotonic()

    def snapshot() -> PriorModel:
        linears = [m for m in net if isinstance(m, nn.Linear)]
        layers = tuple(
            (m.weight.detach().double().numpy().T.copy(), m.bias.detach().double().numpy().copy())
            for m in linears
        )
        info = {**meta, "train_config": config.__dict__, "loss": [round(v, 4) for v in history],
                "train_seconds": round(time.monotonic() - start, 1)}
        return PriorModel(mean, scale, layers, info, checkpoint)

    for epoch in range(config.epochs):
        total = 0.0
        for i in torch.randperm(len(xs), generator=gen).tolist():
            logits = net(xs[i])[:, 0]
            y = ys[i]
            listwise = torch.logsumexp(logits, 0) - torch.logsumexp(logits[y > 0], 0)
            bce = nn.functional.binary_cross_entropy_with_logits(logits, y, pos_weight=pos_weight)
            loss = listwise + config.bce_weight * bce
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach())
        history.append(total / len(xs))
        if progress is not None:
            progress(epoch + 1, config.epochs, history[-1])
        if (epoch + 1) % every == 0 or epoch + 1 == config.epochs:
            snapshot().save(checkpoint)
    return snapshot()
