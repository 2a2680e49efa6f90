"""Sums and means of rows grouped by an index (message aggregation and graph pooling), in plain torch."""

from __future__ import annotations

import torch
from torch import Tensor


def scatter_sum(values: Tensor, index: Tensor, size: int) -> Tensor:
    """out[k] = sum of values[i] over i with index[i] == k, for k < size."""
    out = values.new_zeros((size, *values.shape[1:]))
    return out.index_add_(0, index, values)


def scatter_mean(values: Tensor, index: Tensor, size: int) -> Tensor:
    """Mean of the rows of each group (zero for an empty group)."""
    total = scatter_sum(values, index, size)
    count = torch.bincount(index, minlength=size).clamp(min=1).to(values.dtype)
    return total / count.view(-1, *([1] * (values.dim() - 1)))
