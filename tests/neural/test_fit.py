"""The training loop: pair weights leave pairs out of the loss, and a seeded fit is reproducible."""

from __future__ import annotations

from pathlib import Path

import torch

from neural.geometric import GeometricGraph, MirrorNet, NetConfig, graph
from neural.geometric.fit import Example, FitConfig, _loss, fit


def _graph(seed: int) -> GeometricGraph:
    gen = torch.Generator().manual_seed(seed)
    g = graph(torch.randn(5, 2, generator=gen), torch.randn(5, 3, generator=gen))
    attr = torch.randn(g.edge_index.shape[1], 2, generator=gen)
    pairs = torch.tensor([[0, 1, 2], [4, 3, 3]])
    return GeometricGraph(g.pos, g.features, g.edge_index, attr, pairs, g.batch)


def test_zero_pair_weights_leave_only_the_graph_loss() -> None:
    torch.manual_seed(0)
    model = MirrorNet(NetConfig("mirror", 3, 2, hidden=8, layers=1, pair_edges=True))
    g, labels, one = _graph(0), torch.tensor([1.0, 0.0, 1.0]), torch.tensor(1.0)
    graph_only = nn_bce(model(g)[1], torch.tensor([1.0]))
    masked = _loss(model, g, labels, torch.tensor([1.0]), one, one, torch.zeros(3))
    full = _loss(model, g, labels, torch.tensor([1.0]), one, one, None)
    assert torch.allclose(masked, graph_only) and not torch.allclose(full, graph_only)


def nn_bce(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, target)


def test_seeded_fit_is_reproducible(tmp_path: Path) -> None:
    labels, weights = torch.tensor([1.0, 0.0, 0.0]), torch.tensor([1.0, 1.0, 0.0])
    examples = [Example(_graph(s), labels, 1.0, weights) for s in range(4)]
    config = NetConfig("mirror", 3, 2, hidden=8, layers=1, pair_edges=True)
    _, first = fit(config, examples, FitConfig(epochs=3, batch_size=2), tmp_path / "a.pt", {})
    _, second = fit(config, examples, FitConfig(epochs=3, batch_size=2), tmp_path / "b.pt", {})
    assert first == second and len(first) == 3 and all(x == x for x in first)
