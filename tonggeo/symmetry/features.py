"""Drawing plus construction graph to plain arrays for the equivariant networks of `neural` (the torch
graph is built on the neural side, so this module stays torch-free).

Nodes are the points: where their clause put them (construction kind, place among the clause's points,
how many clauses use them), how many incidences the drawing shows through them, and whether an
involution of those incidences (`numeric`) moves them; a pair swapped by one is flagged on its edge.
Lines and circles enter as attributes of the point pairs: how many points are collinear with,
equidistant from or concyclic with the pair, how many segments are as long as, parallel or perpendicular
to it.  Coordinates are centred and scaled to unit mean radius; a drawing too degenerate to normalise
is a `FeatureError`.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tonggeo.dsl.ast import Clause, Problem
from tonggeo.symmetry.numeric import numeric_involutions

KIND_BUCKETS = 16
PLACES = 4
NODE_FEATURES = KIND_BUCKETS + PLACES + 12
EDGE_FEATURES = 12
SWAPPED = EDGE_FEATURES - 1
"""Edge column: 1 when an involution of the drawing's incidences (`numeric`) swaps the two points."""
TOL = 1e-7
"""Incidence tolerance on the normalised drawing (diagrams are solved to ~1e-12)."""


class FeatureError(ValueError):
    """A drawing that cannot be featurized (too few points, coincident points, non-finite coordinates)."""


@dataclass(frozen=True)
class GraphArrays:
    """`names` [N]; `pos` [N, 2]; `features` [N, NODE_FEATURES]; `edge_index` [2, N(N-1)] (complete,
    ordered); `edge_attr` [E, EDGE_FEATURES]; `pairs` [2, N(N-1)/2] (i < j), the pairs a detector scores."""

    names: tuple[str, ...]
    pos: np.ndarray
    features: np.ndarray
    edge_index: np.ndarray
    edge_attr: np.ndarray
    pairs: np.ndarray

    def pair_names(self) -> list[tuple[str, str]]:
        """The names of each pair of `pairs`, sorted within the pair (as exact labels write them)."""
        return [_sorted_pair(self.names[i], self.names[j]) for i, j in self.pairs.T]

    def numeric_pairs(self) -> set[tuple[str, str]]:
        """The pairs (sorted names) an involution of the drawing's incidences swaps."""
        src, dst = self.edge_index
        hit = self.edge_attr[:, SWAPPED] > 0.5
        return {_sorted_pair(self.names[a], self.names[b]) for a, b in zip(src[hit], dst[hit], strict=True)}


def _sorted_pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def kind_bucket(name: str) -> int:
    """A stable bucket of a construction name (crc32, not Python's salted hash)."""
    return zlib.crc32(name.encode()) % KIND_BUCKETS


def normalised(points: Mapping[str, np.ndarray], names: Sequence[str]) -> np.ndarray:
    """Coordinates centred on their centroid and scaled to mean distance 1 from it."""
    if len(names) < 2:
        raise FeatureError(f"a drawing needs at least two points to compare, got {len(names)}")
    pos = np.array([np.asarray(points[n], dtype=np.float64)[:2] for n in names])
    if not np.isfinite(pos).all():
        bad = [n for n, p in zip(names, pos, strict=True) if not np.isfinite(p).all()]
        raise FeatureError(f"non-finite coordinates for point(s) {', '.join(bad)}")
    pos = pos - pos.mean(axis=0)
    scale = float(np.linalg.norm(pos, axis=1).mean())
    if not np.isfinite(scale) or scale <= 0.0:
        raise FeatureError("every point is at the same place")
    pos = pos / scale
    dist = np.linalg.norm(pos[:, None] - pos[None], axis=-1) + np.eye(len(names))
    if dist.min() < 1e-9:
        i, j = np.unravel_index(int(dist.argmin()), dist.shape)
        raise FeatureError(f"points {names[int(i)]} and {names[int(j)]} coincide")
    return pos


def _clause_features(clauses: Sequence[Clause], names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Node features from the construction graph, and the [N, N] 'same clause' / 'argument of' relation."""
    index = {n: k for k, n in enumerate(names)}
    n = len(names)
    node = np.zeros((n, KIND_BUCKETS + PLACES + 3))
    uses = np.zeros((n, n))  # uses[i, j]: point i is an argument of the clause that made j
    same = np.zeros((n, n))
    for clause in clauses:
        own = [index[p] for p in clause.point_names if p in index]
        args = {a for call in clause.calls for a in call.args} - set(clause.point_names)
        for place, k in enumerate(own):
            node[k, kind_bucket(clause.calls[0].name) if clause.calls else 0] = 1.0
            node[k, KIND_BUCKETS + min(place, PLACES - 1)] = 1.0
            node[k, KIND_BUCKETS + PLACES] = float(len(clause.calls) > 1)
            node[k, KIND_BUCKETS + PLACES + 1] = float(not args)
            for a in args:
                if a in index:
                    uses[index[a], k] = 1.0
            for m in own:
                same[k, m] = 1.0
    node[:, KIND_BUCKETS + PLACES + 2] = np.log1p(uses.sum(axis=1))
    np.fill_diagonal(same, 0.0)
    return node, np.stack([same, uses, uses.T], axis=-1)


def _incidences(pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-point counts [N, 5] and per-pair counts [N, N, 5] of collinear points, equidistant points,
    equal segments, concyclic points, perpendicular and parallel segments (pairs: the segment ij)."""
    n = len(pos)
    diff = pos[None, :, :] - pos[:, None, :]  # diff[i, j] = p_j - p_i
    dist = np.linalg.norm(diff, axis=-1)
    # collinear: k on line ij
    cross = diff[:, :, None, 0] * diff[:, None, :, 1] - diff[:, :, None, 1] * diff[:, None, :, 0]
    coll = np.abs(cross) < TOL * (dist[:, :, None] * dist[:, None, :] + 1e-300)
    distinct = (
        (np.arange(n)[:, None, None] != np.arange(n)[None, :, None])
        & (np.arange(n)[None, :, None] != np.arange(n)[None, None, :])
        & (np.arange(n)[:, None, None] != np.arange(n)[None, None, :])
    )
    coll &= distinct
    pair_coll = coll.sum(axis=2)
    # equidistant: |k i| = |k j|
    eq = np.abs(dist[:, None, :] - dist[None, :, :])  # eq[i, j, k] = | |ik| - |jk| |
    pair_eqd = ((eq < TOL) & distinct).sum(axis=2)
    iu, ju = np.triu_indices(n, 1)
    seg_len = dist[iu, ju]
    angle = np.arctan2(diff[iu, ju, 1], diff[iu, ju, 0])
    same_len = np.abs(seg_len[:, None] - seg_len[None, :]) < TOL
    sin = np.abs(np.sin(angle[:, None] - angle[None, :]))
    cos = np.abs(np.cos(angle[:, None] - angle[None, :]))
    np.fill_diagonal(same_len, False)
    para = sin < TOL
    np.fill_diagonal(para, False)
    perp = cos < TOL
    seg_counts = np.stack([same_len.sum(1), perp.sum(1), para.sum(1)], axis=-1).astype(float)
    pair_seg = np.zeros((n, n, 3))
    pair_seg[iu, ju] = seg_counts
    pair_seg[ju, iu] = seg_counts
    # concyclic: circles through each triple, points on them
    pair_cyc = np.zeros((n, n))
    if n >= 4:
        i, j, k = (a.ravel() for a in np.meshgrid(*[np.arange(n)] * 3, indexing="ij"))
        keep = (i < j) & (j < k)
        i, j, k = i[keep], j[keep], k[keep]
        a, b, c = pos[i], pos[j], pos[k]
        d = 2 * (
            a[:, 0] * (b[:, 1] - c[:, 1]) + b[:, 0] * (c[:, 1] - a[:, 1]) + c[:, 0] * (a[:, 1] - b[:, 1])
        )
        ok = np.abs(d) > 1e-9
        sa, sb, sc = (a * a).sum(1), (b * b).sum(1), (c * c).sum(1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ux = (sa * (b[:, 1] - c[:, 1]) + sb * (c[:, 1] - a[:, 1]) + sc * (a[:, 1] - b[:, 1])) / d
            uy = (sa * (c[:, 0] - b[:, 0]) + sb * (a[:, 0] - c[:, 0]) + sc * (b[:, 0] - a[:, 0])) / d
        centre = np.stack([ux, uy], axis=-1)[ok]
        radius = np.linalg.norm(pos[i[ok]] - centre, axis=-1)
        on = np.abs(np.linalg.norm(pos[None, :, :] - centre[:, None, :], axis=-1) - radius[:, None]) < TOL * (
            1 + radius[:, None]
        )
        extra = on.sum(axis=1) - 3  # points beyond the triple itself
        for t in np.nonzero(extra > 0)[0]:
            members = np.nonzero(on[t])[0]
            pair_cyc[np.ix_(members, members)] += 1.0
        np.fill_diagonal(pair_cyc, 0.0)
    pair = np.concatenate([pair_coll[..., None], pair_eqd[..., None], pair_seg, pair_cyc[..., None]], axis=-1)
    node = pair.sum(axis=1)
    return node, pair


def featurize(
    problem: Problem,
    points: Mapping[str, np.ndarray],
    goal_points: Sequence[str] = (),
    marked: Sequence[str] = (),
) -> GraphArrays:
    """The graph of a drawing of `problem` (its statement clauses, plus any aux clauses it carries);
    `goal_points` and `marked` points (a candidate construction's, for the prior) are flagged."""
    names = tuple(points)
    pos = normalised(points, names)
    clauses = [*problem.clauses, *problem.aux]
    node_clause, edge_clause = _clause_features(clauses, names)
    node_inc, pair_inc = _incidences(pos)
    n = len(names)
    in_goal = np.array([float(p in set(goal_points)) for p in names])
    flag = np.array([float(p in set(marked)) for p in names])
    index = {p: k for k, p in enumerate(names)}
    swapped = np.zeros((n, n))
    for sigma in numeric_involutions(points, pos):
        for a, b in sigma.items():
            if a != b:
                swapped[index[a], index[b]] = 1.0
    moved = swapped.max(axis=1)
    features = np.concatenate(
        [node_clause, np.log1p(node_inc), in_goal[:, None], flag[:, None], moved[:, None]], axis=1
    )
    src, dst = np.nonzero(~np.eye(n, dtype=bool))
    edge_attr = np.concatenate(
        [
            edge_clause[src, dst],
            np.log1p(pair_inc[src, dst]),
            (in_goal[src] * in_goal[dst])[:, None],
            (flag[src] + flag[dst])[:, None],
            swapped[src, dst][:, None],
        ],
        axis=1,
    )
    iu, ju = np.triu_indices(n, 1)
    return GraphArrays(names, pos, features, np.stack([src, dst]), edge_attr, np.stack([iu, ju]))
