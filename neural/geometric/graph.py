"""Geometric graphs: points in R^2 or R^3 with invariant node features, attributed edges, point pairs to
score, and batching of several graphs into one (block-diagonal edges, a `batch` vector of graph ids)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import torch
from torch import Tensor


@dataclass(frozen=True)
class GeometricGraph:
    """`pos` [N, d] coordinates (d = 2 or 3), `features` [N, F] invariant node features, `edge_index`
    [2, E] (messages flow from row 0 to row 1), `edge_attr` [E, A] invariant edge attributes, `pairs`
    [2, P] node pairs a pair head scores, `batch` [N] graph id of each node, `num_graphs` graphs."""

    pos: Tensor
    features: Tensor
    edge_index: Tensor
    edge_attr: Tensor
    pairs: Tensor
    batch: Tensor
    num_graphs: int = 1

    def __post_init__(self) -> None:
        n, d = self.pos.shape
        if d not in (2, 3):
            raise ValueError(f"points must lie in R^2 or R^3, got dimension {d}")
        if self.features.shape[0] != n or self.batch.shape != (n,):
            raise ValueError(
                f"{n} points but features {tuple(self.features.shape)}, batch {tuple(self.batch.shape)}"
            )
        if self.edge_index.shape[0] != 2 or self.edge_attr.shape[0] != self.edge_index.shape[1]:
            raise ValueError(
                f"edge_index {tuple(self.edge_index.shape)} and edge_attr "
                f"{tuple(self.edge_attr.shape)} do not match"
            )
        if self.pairs.shape[0] != 2:
            raise ValueError(f"pairs must be [2, P], got {tuple(self.pairs.shape)}")

    @property
    def dim(self) -> int:
        return int(self.pos.shape[1])

    @property
    def num_nodes(self) -> int:
        return int(self.pos.shape[0])

    def to(
        self, dtype: torch.dtype | None = None, device: torch.device | str | None = None
    ) -> GeometricGraph:
        """The same graph with float tensors in `dtype` and everything on `device`."""

        def move(t: Tensor) -> Tensor:
            return t.to(device=device, dtype=dtype if t.is_floating_point() else None)

        return replace(
            self,
            pos=move(self.pos),
            features=move(self.features),
            edge_index=move(self.edge_index),
            edge_attr=move(self.edge_attr),
            pairs=move(self.pairs),
            batch=move(self.batch),
        )

    def transformed(self, rotation: Tensor, translation: Tensor, permutation: Tensor) -> GeometricGraph:
        """The graph with node i of the result being node `permutation[i]` of this one, moved to
        `rotation @ x + translation`; edges and pairs keep their order and are relabelled."""
        inverse = torch.empty_like(permutation)
        inverse[permutation] = torch.arange(permutation.numel(), device=permutation.device)
        return replace(
            self,
            pos=self.pos[permutation] @ rotation.T + translation,
            features=self.features[permutation],
            edge_index=inverse[self.edge_index],
            pairs=inverse[self.pairs],
            batch=self.batch[permutation],
        )


def complete_edges(n: int) -> Tensor:
    """All ordered pairs (i, j), i != j, of n nodes as a [2, n(n-1)] index."""
    idx = torch.arange(n)
    src, dst = torch.meshgrid(idx, idx, indexing="ij")
    keep = src != dst
    return torch.stack([src[keep], dst[keep]])


def graph(
    pos: Tensor,
    features: Tensor | None = None,
    edge_index: Tensor | None = None,
    edge_attr: Tensor | None = None,
    pairs: Tensor | None = None,
) -> GeometricGraph:
    """One graph; edges default to the complete graph, features and edge attributes to ones."""
    n = pos.shape[0]
    edges = complete_edges(n) if edge_index is None else edge_index
    return GeometricGraph(
        pos=pos,
        features=features if features is not None else torch.ones(n, 1, dtype=pos.dtype),
        edge_index=edges,
        edge_attr=edge_attr if edge_attr is not None else torch.ones(edges.shape[1], 1, dtype=pos.dtype),
        pairs=pairs if pairs is not None else torch.zeros(2, 0, dtype=torch.long),
        batch=torch.zeros(n, dtype=torch.long),
    )


def batch_graphs(graphs: Sequence[GeometricGraph]) -> GeometricGraph:
    """One graph holding `graphs` side by side: node indices of each are shifted past the previous ones."""
    if not graphs:
        raise ValueError("cannot batch zero graphs")
    dims = {g.dim for g in graphs}
    if len(dims) != 1:
        raise ValueError(f"graphs of different dimensions {sorted(dims)} cannot share a batch")
    offsets, batches, seen_nodes, seen_graphs = [], [], 0, 0
    for g in graphs:
        offsets.append(seen_nodes)
        batches.append(g.batch + seen_graphs)
        seen_nodes += g.num_nodes
        seen_graphs += g.num_graphs
    return GeometricGraph(
        pos=torch.cat([g.pos for g in graphs]),
        features=torch.cat([g.features for g in graphs]),
        edge_index=torch.cat([g.edge_index + o for g, o in zip(graphs, offsets, strict=True)], dim=1),
        edge_attr=torch.cat([g.edge_attr for g in graphs]),
        pairs=torch.cat([g.pairs + o for g, o in zip(graphs, offsets, strict=True)], dim=1),
        batch=torch.cat(batches),
        num_graphs=seen_graphs,
    )
