"""Equivariance checks for networks on geometric graphs, in float32 and float64 (the library's own test
helpers, as e3nn ships `assert_equivariant`).

A checked function maps a `GeometricGraph` to a tensor or a tuple of tensors; `kinds` says how each output
transforms when the points are rotated or reflected (Q), translated (t) and permuted (node i of the moved
graph is node perm[i] of the original):
    'invariant'      unchanged (graph-level scalars, pair scores: pairs keep their order)
    'node'           rows permuted
    'node_vector'    rows permuted, then Q applied to the last axis (positions differences, forces)
    'node_position'  rows permuted, Q applied to the last axis, then t added
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from neural.geometric.graph import GeometricGraph

Outputs = Tensor | tuple[Tensor, ...]
KINDS = ("invariant", "node", "node_vector", "node_position")
TOLERANCE = {torch.float32: 1e-4, torch.float64: 1e-5}
"""Largest allowed error, relative to the largest output magnitude (at least 1)."""


def random_orthogonal(dim: int, generator: torch.Generator, reflection: bool, dtype: torch.dtype) -> Tensor:
    """A random element of O(dim) (Haar, QR with sign fix), of determinant -1 if `reflection`, else +1."""
    a = torch.randn(dim, dim, generator=generator, dtype=torch.float64)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r))
    if (torch.linalg.det(q) < 0) != reflection:
        q[:, 0] = -q[:, 0]
    return q.to(dtype)


@dataclass(frozen=True)
class Transform:
    rotation: Tensor
    translation: Tensor
    permutation: Tensor

    def apply(self, kind: str, out: Tensor) -> Tensor:
        match kind:
            case "invariant":
                return out
            case "node":
                return out[self.permutation]
            case "node_vector":
                return out[self.permutation] @ self.rotation.T
            case "node_position":
                return out[self.permutation] @ self.rotation.T + self.translation
        raise ValueError(f"unknown output kind {kind!r}; expected one of {KINDS}")


def random_transforms(
    g: GeometricGraph, count: int, seed: int, translate: bool = True, permute: bool = True
) -> list[Transform]:
    """`count` transforms alternating rotations and reflections, with random translations (scale 3) and
    node permutations."""
    gen = torch.Generator().manual_seed(seed)
    out = []
    for k in range(count):
        q = random_orthogonal(g.dim, gen, reflection=k % 2 == 1, dtype=g.pos.dtype)
        t = (
            3.0 * torch.randn(g.dim, generator=gen, dtype=torch.float64).to(g.pos.dtype)
            if translate
            else torch.zeros(g.dim, dtype=g.pos.dtype)
        )
        perm = torch.randperm(g.num_nodes, generator=gen) if permute else torch.arange(g.num_nodes)
        out.append(Transform(q, t, perm))
    return out


def equivariance_error(
    fn: Callable[[GeometricGraph], Outputs],
    g: GeometricGraph,
    kinds: Sequence[str],
    transforms: Sequence[Transform],
) -> float:
    """Largest error over outputs and transforms, relative to max(1, largest output magnitude)."""

    def as_tuple(o: Outputs) -> tuple[Tensor, ...]:
        return o if isinstance(o, tuple) else (o,)

    with torch.no_grad():
        base = as_tuple(fn(g))
        if len(base) != len(kinds):
            raise ValueError(f"{len(base)} outputs but {len(kinds)} kinds")
        worst = 0.0
        for tr in transforms:
            moved = as_tuple(fn(g.transformed(tr.rotation, tr.translation, tr.permutation)))
            for kind, b, m in zip(kinds, base, moved, strict=True):
                expected = tr.apply(kind, b)
                scale = max(1.0, float(expected.abs().max())) if expected.numel() else 1.0
                err = float((m - expected).abs().max()) / scale if m.numel() else 0.0
                if not torch.isfinite(m).all():
                    return float("inf")
                worst = max(worst, err)
    return worst


def assert_equivariant(
    fn: Callable[[GeometricGraph], Outputs],
    g: GeometricGraph,
    kinds: Sequence[str],
    *,
    count: int = 6,
    seed: int = 0,
    tolerance: float | None = None,
    translate: bool = True,
    permute: bool = True,
) -> float:
    """Assert that `fn` transforms as `kinds` under random rotations, reflections, translations and
    permutations of `g` (in g's float dtype); returns the error seen."""
    tol = tolerance if tolerance is not None else TOLERANCE.get(g.pos.dtype, 1e-4)
    err = equivariance_error(fn, g, kinds, random_transforms(g, count, seed, translate, permute))
    assert err <= tol, f"equivariance error {err:.3g} exceeds {tol:.1g} ({g.pos.dtype})"
    return err


def assert_invariant(
    fn: Callable[[GeometricGraph], Outputs],
    g: GeometricGraph,
    *,
    count: int = 6,
    seed: int = 0,
    tolerance: float | None = None,
    per_node: bool = False,
) -> float:
    """Assert that every output of `fn` is invariant (graph-level) or, with `per_node`, permuted with the
    nodes and otherwise unchanged; returns the error seen."""
    with torch.no_grad():
        out = fn(g)
    n = len(out) if isinstance(out, tuple) else 1
    return assert_equivariant(
        fn, g, ["node" if per_node else "invariant"] * n, count=count, seed=seed, tolerance=tolerance
    )
