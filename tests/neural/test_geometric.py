"""Every layer, head and full model of neural.geometric is checked with neural.testing, in float32 and
float64 (float64 error at most 1e-5), in R^2 and R^3, on single graphs and batches."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from neural.geometric import (
    EGNN,
    EGNNLayer,
    FrameAveraging,
    GeometricGraph,
    GraphHead,
    GraphScorer,
    MirrorNet,
    NetConfig,
    NodeHead,
    PairHead,
    TensorProductLayer,
    TensorProductNet,
    VectorHead,
    batch_graphs,
    graph,
)
from neural.geometric.egnn import mlp
from neural.geometric.models import pair_edge_attr
from neural.testing import assert_equivariant, assert_invariant, equivariance_error, random_transforms

DTYPES = [torch.float32, torch.float64]
FEATURES, EDGE = 5, 3


def make_graph(n: int, dim: int, seed: int, dtype: torch.dtype) -> GeometricGraph:
    gen = torch.Generator().manual_seed(seed)
    pos = torch.randn(n, dim, generator=gen, dtype=torch.float64) * torch.tensor(
        [3.0, 1.5, 0.7][:dim], dtype=torch.float64
    )
    features = torch.randn(n, FEATURES, generator=gen, dtype=torch.float64)
    g = graph(pos, features)
    attr = torch.randn(g.edge_index.shape[1], EDGE, generator=gen, dtype=torch.float64)
    attr = (attr + attr[_reverse(g.edge_index)]) / 2  # symmetric edge attributes
    pairs = torch.tensor([[0, 1, 2], [3, 4, n - 1]])
    return GeometricGraph(pos, features, g.edge_index, attr, pairs, g.batch).to(dtype)


def _reverse(edge_index: torch.Tensor) -> torch.Tensor:
    lookup = {(int(a), int(b)): k for k, (a, b) in enumerate(edge_index.T)}
    return torch.tensor([lookup[(int(b), int(a))] for a, b in edge_index.T])


def make_batch(dim: int, dtype: torch.dtype) -> GeometricGraph:
    return batch_graphs(
        [make_graph(7, dim, 1, dtype), make_graph(5, dim, 2, dtype), make_graph(9, dim, 3, dtype)]
    )


def seeded(module: nn.Module, dtype: torch.dtype) -> nn.Module:
    torch.manual_seed(0)
    return module.to(dtype)


@pytest.fixture(params=[(d, t) for d in (2, 3) for t in DTYPES], ids=lambda p: f"R{p[0]}-{str(p[1])[6:]}")
def case(request: pytest.FixtureRequest) -> tuple[int, torch.dtype]:
    return request.param


def test_egnn_layer(case: tuple[int, torch.dtype]) -> None:
    dim, dtype = case
    g = make_batch(dim, dtype)
    layer = seeded(EGNNLayer(FEATURES, EDGE), dtype)
    err = assert_equivariant(
        lambda x: layer(x.features, x.pos, x.edge_index, x.edge_attr), g, ["node", "node_position"]
    )
    if dtype == torch.float64:
        assert err <= 1e-5


def test_egnn_moves_points(case: tuple[int, torch.dtype]) -> None:
    dim, dtype = case
    g = make_graph(6, dim, 4, dtype)
    _, x = seeded(EGNN(FEATURES, EDGE), dtype)(g)
    assert (x - g.pos).abs().max() > 1e-6  # the position update is live, so its equivariance is tested


def test_tensor_product_layer(case: tuple[int, torch.dtype]) -> None:
    dim, dtype = case
    g = make_batch(dim, dtype)
    layer = seeded(TensorProductLayer(FEATURES, EDGE), dtype)

    def run(x: GeometricGraph) -> tuple[torch.Tensor, torch.Tensor]:
        # input vectors built equivariantly from the graph: offsets from the centroid times features
        vectors = (x.pos - x.pos.mean(0))[:, None, :] * x.features[:, :, None]
        return layer(x.features, vectors, x.pos, x.edge_index, x.edge_attr)

    err = assert_equivariant(run, g, ["node", "node_vector"])
    if dtype == torch.float64:
        assert err <= 1e-5


def test_tensor_product_net_and_vector_head(case: tuple[int, torch.dtype]) -> None:
    dim, dtype = case
    g = make_batch(dim, dtype)
    net = seeded(TensorProductNet(FEATURES, EDGE, channels=8), dtype)
    head = seeded(VectorHead(8, out=2), dtype)
    node = seeded(NodeHead(8, out=3), dtype)

    def run(x: GeometricGraph) -> tuple[torch.Tensor, torch.Tensor]:
        s, v = net(x)
        return node(s), head(s, v)

    _s, v = run(g)
    assert v.abs().max() > 1e-6  # vectors are not trivially zero
    assert_equivariant(run, g, ["node", "node_vector"])


def test_heads_on_egnn(case: tuple[int, torch.dtype]) -> None:
    dim, dtype = case
    g = make_batch(dim, dtype)
    net = seeded(EGNN(FEATURES, EDGE, hidden=16), dtype)
    pair = seeded(PairHead(16, out=2), dtype)
    whole = seeded(GraphHead(16), dtype)

    def run(x: GeometricGraph) -> tuple[torch.Tensor, torch.Tensor]:
        h, pos = net(x)
        return pair(h, pos, x.pairs, x.batch, x.num_graphs), whole(h, x.batch, x.num_graphs)

    assert_invariant(run, g)


def test_pair_head_is_symmetric() -> None:
    g = make_graph(6, 2, 7, torch.float64)
    head = seeded(PairHead(FEATURES), torch.float64)
    a = head(g.features, g.pos, g.pairs, g.batch, 1)
    b = head(g.features, g.pos, g.pairs.flip(0), g.batch, 1)
    assert torch.allclose(a, b)


class _PlainMLP(nn.Module):
    """A backbone with no symmetry at all: an MLP of coordinates and features, per node."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.net = mlp([dim + FEATURES, 16, 4])
        self.vec = mlp([dim + FEATURES, 16, 2 * dim])

    def forward(self, g: GeometricGraph) -> tuple[torch.Tensor, torch.Tensor]:
        z = torch.cat([g.pos, g.features], dim=-1)
        return self.net(z), self.vec(z).view(g.num_nodes, 2, g.dim)


@pytest.mark.parametrize("group", ["O", "SO"])
def test_frame_averaging_makes_any_backbone_equivariant(case: tuple[int, torch.dtype], group: str) -> None:
    dim, dtype = case
    g = make_batch(dim, dtype)
    backbone = seeded(_PlainMLP(dim), dtype)
    wrapped = FrameAveraging(backbone, group)

    def run(x: GeometricGraph) -> tuple[torch.Tensor, torch.Tensor]:
        out, vec = wrapped(x)
        assert vec is not None
        return out, vec

    if group == "O":
        assert_equivariant(run, g, ["node", "node_vector"])
    else:
        # rotations only: the transforms alternate rotations and reflections, so check rotations alone
        trs = [t for k, t in enumerate(random_transforms(g, 6, seed=3)) if k % 2 == 0]
        tol = 1e-5 if dtype == torch.float64 else 1e-4
        assert equivariance_error(run, g, ["node", "node_vector"], trs) <= tol
    # and the backbone alone is not: the check can fail
    assert (
        equivariance_error(lambda x: backbone(x), g, ["node", "node_vector"], random_transforms(g, 2, 0))
        > 1e-2
    )


@pytest.mark.parametrize("kind", ["mirror", "mirror+pair_edges", "scorer"])
def test_full_models(case: tuple[int, torch.dtype], kind: str) -> None:
    dim, dtype = case
    g = make_batch(dim, dtype)
    kind, _, extra = kind.partition("+")
    config = NetConfig(kind, FEATURES, EDGE, hidden=16, layers=3, pair_edges=bool(extra))
    model = seeded(MirrorNet(config) if kind == "mirror" else GraphScorer(config), dtype)
    kinds = ["invariant", "invariant"] if kind == "mirror" else ["invariant"]
    err = assert_equivariant(model, g, kinds)
    if dtype == torch.float64:
        assert err <= 1e-5


def test_check_detects_a_broken_layer() -> None:
    g = make_graph(6, 2, 9, torch.float64)
    with pytest.raises(AssertionError, match="equivariance error"):
        assert_invariant(lambda x: x.pos[:, :1].sum(0), g)
    with pytest.raises(AssertionError):
        assert_equivariant(lambda x: x.pos * 1.0, g, ["node_vector"])  # positions translate


@pytest.mark.parametrize("pair_edges", [False, True])
def test_batching_matches_single_graphs(pair_edges: bool) -> None:
    graphs = [make_graph(5, 3, s, torch.float64) for s in (1, 2)]
    config = NetConfig("mirror", FEATURES, EDGE, hidden=8, layers=2, pair_edges=pair_edges)
    model = seeded(MirrorNet(config), torch.float64)
    pair_b, graph_b = model(batch_graphs(graphs))
    singles = [model(g) for g in graphs]
    assert torch.allclose(pair_b, torch.cat([p for p, _ in singles]))
    assert torch.allclose(graph_b, torch.cat([s for _, s in singles]))


def test_pair_edge_attributes_sum_both_directions() -> None:
    g = make_graph(6, 2, 3, torch.float64)
    attr = pair_edge_attr(g)
    src, dst = g.edge_index.tolist()
    for k, (a, b) in enumerate(g.pairs.T.tolist()):
        expected = torch.zeros(g.edge_attr.shape[1], dtype=torch.float64)
        for e, (s, d) in enumerate(zip(src, dst, strict=True)):
            if (s, d) in ((a, b), (b, a)):
                expected += g.edge_attr[e]
        assert torch.allclose(attr[k], expected)


def test_graph_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="R\\^2 or R\\^3"):
        graph(torch.zeros(3, 4))
    with pytest.raises(ValueError, match="different dimensions"):
        batch_graphs([graph(torch.zeros(3, 2)), graph(torch.zeros(3, 3))])
