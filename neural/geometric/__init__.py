"""Equivariant networks on geometric graphs: graph data and batching, EGNN layers, a Cartesian
tensor-product layer, frame averaging, and invariant/equivariant heads."""

from neural.geometric.egnn import EGNN, EGNNLayer, mlp
from neural.geometric.frames import FrameAveraging, principal_frames
from neural.geometric.graph import GeometricGraph, batch_graphs, complete_edges, graph
from neural.geometric.heads import GraphHead, NodeHead, PairHead, VectorHead
from neural.geometric.models import CheckpointError, GraphScorer, MirrorNet, NetConfig
from neural.geometric.scatter import scatter_mean, scatter_sum
from neural.geometric.tensor_product import TensorProductLayer, TensorProductNet

__all__ = [
    "EGNN",
    "CheckpointError",
    "EGNNLayer",
    "FrameAveraging",
    "GeometricGraph",
    "GraphHead",
    "GraphScorer",
    "MirrorNet",
    "NetConfig",
    "NodeHead",
    "PairHead",
    "TensorProductLayer",
    "TensorProductNet",
    "VectorHead",
    "batch_graphs",
    "complete_edges",
    "graph",
    "mlp",
    "principal_frames",
    "scatter_mean",
    "scatter_sum",
]
