"""Full networks for geometric priors: a mirror-pair detector and a graph scorer, EGNN backbones with the
invariant heads; saved and loaded as one file holding their size, weights and free-form metadata."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from neural.geometric.egnn import EGNN
from neural.geometric.graph import GeometricGraph
from neural.geometric.heads import GraphHead, PairHead


@dataclass(frozen=True)
class NetConfig:
    kind: str
    """'mirror' (pair + graph logits) or 'scorer' (graph logit)."""
    in_features: int
    edge_dim: int
    hidden: int = 32
    layers: int = 3
    pair_edges: bool = False
    """Mirror net only: the pair head also reads the pair's own edge attributes (both directions summed),
    so an attribute of the pair itself reaches the readout directly, not only through messages."""


class MirrorNet(nn.Module):
    """Logits that each pair of `g.pairs` are mirror images [P], and that each graph has a symmetry [B]."""

    def __init__(self, config: NetConfig) -> None:
        super().__init__()
        self.config = config
        self.backbone = EGNN(config.in_features, config.edge_dim, config.hidden, config.layers)
        self.pair = PairHead(config.hidden, extra=config.edge_dim if config.pair_edges else 0)
        self.graph = GraphHead(config.hidden)

    def forward(self, g: GeometricGraph) -> tuple[Tensor, Tensor]:
        h, x = self.backbone(g)
        extra = pair_edge_attr(g) if self.config.pair_edges else None
        pair = self.pair(h, x, g.pairs, g.batch, g.num_graphs, extra)[:, 0]
        return pair, self.graph(h, g.batch, g.num_graphs)[:, 0]


def pair_edge_attr(g: GeometricGraph) -> Tensor:
    """[P, A]: the attributes of edge a->b plus those of b->a for each pair (a, b) of `g.pairs`; zero for a
    direction the graph has no edge for.  Symmetric in a and b, invariant like the attributes."""
    n = max(g.num_nodes, 1)
    keys = g.edge_index[0] * n + g.edge_index[1]
    order = torch.argsort(keys)
    ordered = keys[order]
    out = g.edge_attr.new_zeros((g.pairs.shape[1], g.edge_attr.shape[1]))
    if ordered.numel() == 0:
        return out
    for a, b in ((g.pairs[0], g.pairs[1]), (g.pairs[1], g.pairs[0])):
        wanted = a * n + b
        slot = torch.searchsorted(ordered, wanted).clamp(max=ordered.numel() - 1)
        found = ordered[slot] == wanted
        out = out + torch.where(found[:, None], g.edge_attr[order[slot]], torch.zeros_like(out))
    return out


class GraphScorer(nn.Module):
    """One logit per graph [B] (e.g. that a proof uses the candidate construction flagged in the features)."""

    def __init__(self, config: NetConfig) -> None:
        super().__init__()
        self.config = config
        self.backbone = EGNN(config.in_features, config.edge_dim, config.hidden, config.layers)
        self.graph = GraphHead(config.hidden)

    def forward(self, g: GeometricGraph) -> Tensor:
        h, _ = self.backbone(g)
        return self.graph(h, g.batch, g.num_graphs)[:, 0]


class CheckpointError(Exception):
    """A checkpoint that is missing or cannot be read; the message names the file."""


def build(config: NetConfig) -> nn.Module:
    match config.kind:
        case "mirror":
            return MirrorNet(config)
        case "scorer":
            return GraphScorer(config)
    raise ValueError(f"unknown network kind {config.kind!r}")


def save(model: nn.Module, path: Path, meta: dict[str, Any]) -> None:
    """Write the model's config, weights and `meta` (JSON-like values) to `path` (atomically)."""
    config = model.config
    assert isinstance(config, NetConfig)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save({"config": asdict(config), "state": model.state_dict(), "meta": meta}, tmp)
    tmp.replace(path)


def load(path: Path) -> tuple[nn.Module, dict[str, Any]]:
    """The model saved at `path` (in eval mode) and its metadata; CheckpointError naming the file when it
    is missing, unreadable or does not fit its config."""
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
        model = build(NetConfig(**blob["config"]))
        model.load_state_dict(blob["state"])
    except Exception as exc:  # any failure to read the file is the same error for the caller
        raise CheckpointError(
            f"{path}: corrupt or incompatible checkpoint ({type(exc).__name__}: {exc})"
        ) from exc
    model.eval()
    return model, dict(blob.get("meta", {}))
