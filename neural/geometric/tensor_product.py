"""A Cartesian tensor-product message-passing layer on scalar and vector channels (irreps l = 0, 1 with an
l = 2 edge harmonic), exactly O(d)-equivariant in R^2 and R^3.

Each message from j to i couples the sender's scalars s_j and vectors v_j with the edge's harmonics
(1, u, u u^T - I/d, u the unit direction from i to j) along the paths
    0 x 0 -> 0,  0 x 1 -> 1,  1 x 0 -> 1,  1 x 1 -> 0 (dot),  1 x 2 -> 1 (traceless projection),
each weighted per channel by an MLP of the distance (Gaussian basis) and the edge attributes, as the
radial networks of tensor-field networks and e3nn do.  No cross product is used, so reflections are
respected too.  Updates gate the vectors by invariant scalars.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from neural.geometric.egnn import mlp
from neural.geometric.graph import GeometricGraph
from neural.geometric.scatter import scatter_mean

PATHS = 5


def gaussian_basis(dist: Tensor, count: int, cutoff: float) -> Tensor:
    """[E, count] Gaussians of the distance centred on a uniform grid over [0, cutoff]."""
    centres = torch.linspace(0.0, cutoff, count, dtype=dist.dtype, device=dist.device)
    width = cutoff / max(count - 1, 1)
    return torch.exp(-(((dist[:, None] - centres) / width) ** 2))


class TensorProductLayer(nn.Module):
    """Scalars s [N, C] and vectors v [N, C, d] in, the same shapes out."""

    def __init__(self, channels: int, edge_dim: int, radial: int = 16, cutoff: float = 4.0) -> None:
        super().__init__()
        self.channels, self.radial, self.cutoff = channels, radial, cutoff
        self.weights = mlp([radial + edge_dim + 2 * channels, channels, PATHS * channels])
        self.scalar_update = mlp([3 * channels, channels, channels])
        self.vector_mix = nn.Linear(channels, channels, bias=False)
        self.gate = mlp([2 * channels, channels, channels])

    def forward(
        self, s: Tensor, v: Tensor, x: Tensor, edge_index: Tensor, edge_attr: Tensor
    ) -> tuple[Tensor, Tensor]:
        src, dst = edge_index[0], edge_index[1]
        n, dim = x.shape
        rel = x[src] - x[dst]
        dist = (rel * rel).sum(-1).clamp(min=1e-12).sqrt()
        unit = rel / dist[:, None]
        basis = gaussian_basis(dist, self.radial, self.cutoff)
        w = self.weights(torch.cat([basis, edge_attr, s[dst], s[src]], dim=-1)).view(-1, PATHS, self.channels)
        s_j, v_j = s[src], v[src]
        along = torch.einsum("ecd,ed->ec", v_j, unit)
        # (u u^T - I/d) v_j, for every channel
        projected = along[:, :, None] * unit[:, None, :] - v_j / dim
        m_scalar = w[:, 0] * s_j + w[:, 3] * along
        m_vector = (
            (w[:, 1] * s_j)[:, :, None] * unit[:, None, :]
            + w[:, 2, :, None] * v_j
            + w[:, 4, :, None] * projected
        )
        agg_s = scatter_mean(m_scalar, dst, n)
        agg_v = scatter_mean(m_vector, dst, n)
        v_new = v + self.vector_mix(agg_v.transpose(1, 2)).transpose(1, 2)
        norms = (v_new * v_new).sum(-1).add(1e-12).sqrt()
        s_new = s + self.scalar_update(torch.cat([s, agg_s, norms], dim=-1))
        gate = torch.sigmoid(self.gate(torch.cat([s_new, norms], dim=-1)))
        return s_new, v_new * gate[:, :, None]


class TensorProductNet(nn.Module):
    """Embedding, then `layers` tensor-product layers (vectors start at zero); returns scalars [N, C] and
    vectors [N, C, d]."""

    def __init__(
        self, in_features: int, edge_dim: int, channels: int = 16, layers: int = 2, cutoff: float = 4.0
    ) -> None:
        super().__init__()
        self.channels = channels
        self.embed = nn.Linear(in_features, channels)
        self.layers = nn.ModuleList(
            TensorProductLayer(channels, edge_dim, cutoff=cutoff) for _ in range(layers)
        )

    def forward(self, g: GeometricGraph) -> tuple[Tensor, Tensor]:
        s = self.embed(g.features)
        v = g.pos.new_zeros(g.num_nodes, self.channels, g.dim)
        for layer in self.layers:
            s, v = layer(s, v, g.pos, g.edge_index, g.edge_attr)
        return s, v
