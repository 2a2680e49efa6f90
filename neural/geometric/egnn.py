"""E(n)-equivariant message passing (Satorras, Hoogeboom and Welling, 2021).

Messages read only invariants (node features, squared distances, edge attributes); positions move along
the differences x_i - x_j, so the layer commutes with rotations, reflections, translations and point
permutations in any dimension.
"""

from __future__ import annotations

import itertools

import torch
from torch import Tensor, nn

from neural.geometric.graph import GeometricGraph
from neural.geometric.scatter import scatter_mean, scatter_sum


def mlp(
    sizes: list[int], activation: type[nn.Module] = nn.SiLU, last_activation: bool = False
) -> nn.Sequential:
    """Linear layers of the given sizes with `activation` between them (and after the last if asked)."""
    layers: list[nn.Module] = []
    for k, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(a, b))
        if k < len(sizes) - 2 or last_activation:
            layers.append(activation())
    return nn.Sequential(*layers)


class EGNNLayer(nn.Module):
    """One EGNN layer: m_ij = phi_e(h_i, h_j, |x_i - x_j|^2, a_ij); x_i += mean_j (x_i - x_j) phi_x(m_ij)
    (differences normalised by 1 + |x_i - x_j|, as in the authors' code, for stable updates);
    h_i += phi_h(h_i, sum_j m_ij)."""

    def __init__(self, hidden: int, edge_dim: int, update_positions: bool = True) -> None:
        super().__init__()
        self.edge = mlp([2 * hidden + 1 + edge_dim, hidden, hidden], last_activation=True)
        self.node = mlp([2 * hidden, hidden, hidden])
        self.update_positions = update_positions
        self.coord = mlp([hidden, hidden, 1]) if update_positions else None

    def forward(self, h: Tensor, x: Tensor, edge_index: Tensor, edge_attr: Tensor) -> tuple[Tensor, Tensor]:
        src, dst = edge_index[0], edge_index[1]
        diff = x[dst] - x[src]
        dist2 = (diff * diff).sum(-1, keepdim=True)
        m = self.edge(torch.cat([h[dst], h[src], dist2, edge_attr], dim=-1))
        if self.coord is not None:
            step = diff / (1.0 + dist2.sqrt()) * self.coord(m)
            x = x + scatter_mean(step, dst, x.shape[0])
        h = h + self.node(torch.cat([h, scatter_sum(m, dst, h.shape[0])], dim=-1))
        return h, x


class EGNN(nn.Module):
    """Node features embedded to `hidden`, then `layers` EGNN layers; returns invariant node features
    [N, hidden] and equivariant positions [N, d]."""

    def __init__(
        self,
        in_features: int,
        edge_dim: int,
        hidden: int = 32,
        layers: int = 3,
        update_positions: bool = True,
    ) -> None:
        super().__init__()
        self.embed = nn.Linear(in_features, hidden)
        self.layers = nn.ModuleList(EGNNLayer(hidden, edge_dim, update_positions) for _ in range(layers))

    def forward(self, g: GeometricGraph) -> tuple[Tensor, Tensor]:
        h, x = self.embed(g.features), g.pos
        for layer in self.layers:
            h, x = layer(h, x, g.edge_index, g.edge_attr)
        return h, x
