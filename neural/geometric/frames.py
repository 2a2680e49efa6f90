"""Frame averaging (Puny et al., 2022): any backbone made exactly invariant or equivariant to O(d)/E(d)
(or SO(d)/SE(d)) by averaging it over the frames of the point cloud's principal axes.

The frames of a graph are its centroid and the eigenvectors of its covariance, with every choice of signs
(2^d frames for O(d); for SO(d), each sign choice with its last axis flipped where needed to make a
rotation).  Exactness needs distinct covariance eigenvalues; with repeated ones the frame is not unique
and the average is only approximately invariant.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import torch
from torch import Tensor, nn

from neural.geometric.graph import GeometricGraph
from neural.geometric.scatter import scatter_mean, scatter_sum

Backbone = Callable[[GeometricGraph], tuple[Tensor, Tensor | None]]
"""Maps a graph in canonical coordinates to invariant outputs (any shape) and node vectors [N, k, d]."""


def principal_frames(g: GeometricGraph, proper: bool = False) -> tuple[Tensor, list[Tensor]]:
    """Centroids [B, d] and the frames [B, d, d] (columns are axes) of every graph of the batch."""
    centroid = scatter_mean(g.pos, g.batch, g.num_graphs)
    centred = g.pos - centroid[g.batch]
    cov = scatter_sum(centred[:, :, None] * centred[:, None, :], g.batch, g.num_graphs)
    _, axes = torch.linalg.eigh(cov)
    frames = []
    for signs in itertools.product((1.0, -1.0), repeat=g.dim):
        frame = axes * torch.tensor(signs, dtype=axes.dtype, device=axes.device)
        if proper:
            flip = torch.ones_like(frame[:, 0, :])
            flip[:, -1] = torch.sign(torch.linalg.det(frame))
            frame = frame * flip[:, None, :]
        frames.append(frame)
    return centroid, frames


class FrameAveraging(nn.Module):
    """Wraps `backbone` (an nn.Module following `Backbone`): invariant outputs are averaged over the
    frames, node vectors are rotated back to the input's axes before averaging. `group` is 'O' (rotations
    and reflections) or 'SO' (rotations only); translations are removed through the centroid."""

    def __init__(self, backbone: nn.Module, group: str = "O") -> None:
        super().__init__()
        if group not in ("O", "SO"):
            raise ValueError(f"group must be 'O' or 'SO', got {group!r}")
        self.backbone = backbone
        self.proper = group == "SO"

    def forward(self, g: GeometricGraph) -> tuple[Tensor, Tensor | None]:
        centroid, frames = principal_frames(g, self.proper)
        centred = g.pos - centroid[g.batch]
        invariant: Tensor | None = None
        vectors: Tensor | None = None
        for frame in frames:
            node_frame = frame[g.batch]
            local = torch.einsum("nd,nde->ne", centred, node_frame)
            out, vec = self.backbone(
                GeometricGraph(local, g.features, g.edge_index, g.edge_attr, g.pairs, g.batch, g.num_graphs)
            )
            invariant = out if invariant is None else invariant + out
            if vec is not None:
                back = torch.einsum("nde,nke->nkd", node_frame, vec)
                vectors = back if vectors is None else vectors + back
        assert invariant is not None
        count = len(frames)
        return invariant / count, None if vectors is None else vectors / count
