"""Readouts: invariant heads for graphs, nodes and node pairs, and an equivariant head for node vectors."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from neural.geometric.egnn import mlp
from neural.geometric.scatter import scatter_mean, scatter_sum


class GraphHead(nn.Module):
    """[B, out] from node scalars [N, C]: an MLP of the mean and the sum over each graph's nodes."""

    def __init__(self, channels: int, out: int = 1, hidden: int = 32) -> None:
        super().__init__()
        self.net = mlp([2 * channels, hidden, out])

    def forward(self, h: Tensor, batch: Tensor, num_graphs: int) -> Tensor:
        count = torch.bincount(batch, minlength=num_graphs).clamp(min=1).to(h.dtype)[:, None]
        pooled = scatter_sum(h, batch, num_graphs)
        return self.net(torch.cat([pooled / count, pooled / count.sqrt()], dim=-1))


class NodeHead(nn.Module):
    """[N, out] from node scalars [N, C]."""

    def __init__(self, channels: int, out: int = 1, hidden: int = 32) -> None:
        super().__init__()
        self.net = mlp([channels, hidden, out])

    def forward(self, h: Tensor) -> Tensor:
        return self.net(h)


class PairHead(nn.Module):
    """[P, out] for node pairs [2, P], symmetric in the two nodes: an MLP of h_a + h_b, h_a * h_b,
    |h_a - h_b|, the distance |x_a - x_b| (over the graph's mean distance to its centroid), the graph's
    mean node scalars and, when `extra` > 0, invariant attributes of the pair itself [P, extra] (which
    must be symmetric in a and b for the head to be), which also reach the output through a linear skip
    (wide and deep: a decisive pair attribute need not be relearned through the MLP)."""

    def __init__(self, channels: int, out: int = 1, hidden: int = 32, extra: int = 0) -> None:
        super().__init__()
        self.extra = extra
        self.net = mlp([4 * channels + 1 + extra, hidden, out])
        self.skip = nn.Linear(extra, out, bias=False) if extra else None

    def forward(
        self,
        h: Tensor,
        x: Tensor,
        pairs: Tensor,
        batch: Tensor,
        num_graphs: int,
        pair_attr: Tensor | None = None,
    ) -> Tensor:
        a, b = pairs[0], pairs[1]
        centroid = scatter_mean(x, batch, num_graphs)
        spread = scatter_mean((x - centroid[batch]).norm(dim=-1, keepdim=True), batch, num_graphs)
        dist = (x[a] - x[b]).norm(dim=-1, keepdim=True) / spread[batch[a]].clamp(min=1e-12)
        context = scatter_mean(h, batch, num_graphs)[batch[a]]
        parts = [h[a] + h[b], h[a] * h[b], (h[a] - h[b]).abs(), dist, context]
        if self.extra:
            if pair_attr is None or pair_attr.shape != (a.shape[0], self.extra):
                raise ValueError(f"this pair head needs pair attributes [P, {self.extra}]")
            parts.append(pair_attr)
        out = self.net(torch.cat(parts, dim=-1))
        if self.skip is not None and pair_attr is not None:
            out = out + self.skip(pair_attr)
        return out


class VectorHead(nn.Module):
    """[N, out, d] equivariant vectors: `out` combinations of the C vector channels [N, C, d] with
    weights that are an MLP of the node scalars (invariant), so the result rotates with the input."""

    def __init__(self, channels: int, out: int = 1, hidden: int = 32) -> None:
        super().__init__()
        self.out = out
        self.weights = mlp([channels, hidden, out * channels])

    def forward(self, h: Tensor, vectors: Tensor) -> Tensor:
        n, channels, _ = vectors.shape
        w = self.weights(h).view(n, self.out, channels)
        return torch.einsum("noc,ncd->nod", w, vectors)
