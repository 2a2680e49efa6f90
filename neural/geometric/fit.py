"""Training loops for the mirror detector and the graph scorer: seeded, minibatched, with class-balanced
binary cross-entropy, a progress callback and a checkpoint written after every epoch."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from neural.geometric.graph import GeometricGraph, batch_graphs
from neural.geometric.models import GraphScorer, MirrorNet, NetConfig, build, save


@dataclass(frozen=True)
class Example:
    """A graph with its labels: `pair_labels` [P] (mirror detector; empty for the scorer) and `label`;
    `pair_weights` [P] weighs each pair's loss (None: 1 each; 0 leaves a pair out of training)."""

    graph: GeometricGraph
    pair_labels: Tensor
    label: float
    pair_weights: Tensor | None = None

    def weights(self) -> Tensor:
        return torch.ones_like(self.pair_labels) if self.pair_weights is None else self.pair_weights


@dataclass(frozen=True)
class FitConfig:
    epochs: int = 30
    batch_size: int = 16
    lr: float = 3e-3
    weight_decay: float = 1e-5
    seed: int = 0
    max_pair_weight: float = 20.0
    """Cap of the positive-pair weight (negatives/positives); 1.0 leaves the pair loss unweighted, so the
    pair probabilities stay calibrated."""


Progress = Callable[[int, int, float], None]
"""Called with (epoch, epochs, mean training loss) after each epoch."""


def _loss(
    model: nn.Module,
    batch: GeometricGraph,
    pair_labels: Tensor,
    labels: Tensor,
    pos_weight: Tensor,
    pair_weight: Tensor,
    pair_weights: Tensor | None = None,
) -> Tensor:
    bce = nn.functional.binary_cross_entropy_with_logits
    if isinstance(model, MirrorNet):
        pair_logits, graph_logits = model(batch)
        loss = bce(graph_logits, labels, pos_weight=pos_weight)
        if pair_labels.numel():
            loss = loss + bce(pair_logits, pair_labels, weight=pair_weights, pos_weight=pair_weight)
        return loss
    assert isinstance(model, GraphScorer)
    return bce(model(batch), labels, pos_weight=pos_weight)


def fit(
    config: NetConfig,
    examples: Sequence[Example],
    settings: FitConfig,
    checkpoint: Path,
    meta: dict[str, Any],
    progress: Progress | None = None,
) -> tuple[nn.Module, list[float]]:
    """Train a fresh network of `config` on `examples`; the checkpoint (with `meta` and the loss
    history) is rewritten after each epoch."""
    if not examples:
        raise ValueError("no training examples")
    torch.manual_seed(settings.seed)
    gen = torch.Generator().manual_seed(settings.seed)
    model = build(config)
    opt = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    labels_all = torch.tensor([e.label for e in examples])
    positives = float(labels_all.sum())
    pos_weight = torch.tensor(max(len(examples) - positives, 1.0) / max(positives, 1.0))
    pair_all = (
        torch.cat([e.pair_labels for e in examples]) if examples[0].pair_labels.numel() else torch.zeros(0)
    )
    pair_pos = float(pair_all.sum())
    pair_weight = torch.tensor(max(pair_all.numel() - pair_pos, 1.0) / max(pair_pos, 1.0))
    pair_weight = pair_weight.clamp(max=settings.max_pair_weight)
    history: list[float] = []
    steps = settings.epochs * math.ceil(len(examples) / settings.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=settings.lr, total_steps=max(steps, 1))
    start = time.monotonic()
    for epoch in range(settings.epochs):
        model.train()
        order = torch.randperm(len(examples), generator=gen).tolist()
        total = 0.0
        for k in range(0, len(order), settings.batch_size):
            chunk = [examples[i] for i in order[k : k + settings.batch_size]]
            batch = batch_graphs([e.graph for e in chunk])
            labels = torch.tensor([e.label for e in chunk])
            pair_labels = torch.cat([e.pair_labels for e in chunk])
            weights = torch.cat([e.weights() for e in chunk]) if pair_labels.numel() else None
            loss = _loss(model, batch, pair_labels, labels, pos_weight, pair_weight, weights)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(chunk)
        history.append(total / len(examples))
        model.eval()
        save(
            model,
            checkpoint,
            {
                **meta,
                "epoch": epoch + 1,
                "loss_history": history,
                "train_seconds": round(time.monotonic() - start, 1),
            },
        )
        if progress is not None:
            progress(epoch + 1, settings.epochs, history[-1])
    return model, history
