"""Involutions of a drawing's numeric incidences, without saturation: the facts of the kinds the exact
detector checks (coll, para, perp, cong, cyclic) that hold in the drawing play the saturated database.
A cheap input feature for the learned detector; never a substitute for the exact check.

`holds` is membership in the drawing's own incidence list (the same tolerance both ways), so an image is
judged exactly as the facts were found; four collinear points are not called concyclic, and a right angle
at a shared vertex (perp a b a c) is an incidence like any other."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tonggeo.ddar.numeric import NumericModel, numeric_holds
from tonggeo.facts import Fact, FactError, make_fact
from tonggeo.symmetry.exact import Involution, all_swapped_pairs


@dataclass(frozen=True, slots=True)
class _Record:
    fact: Fact


class NumericFacts:
    """The `FactStore` of a drawing: its numerically true incidences as records, `holds` by computation."""

    def __init__(self, points: Mapping[str, np.ndarray], pos: np.ndarray, tol: float = 1e-7) -> None:
        names = list(points)
        self.model = NumericModel(names, points)
        self.index = self.model.index
        facts = _incidences(names, pos, tol)
        self.records = [_Record(f) for f in facts]
        self._known = set(facts)

    def holds(self, fact: Fact) -> bool:
        if fact.kind in _FOUND:
            return fact in self._known
        try:
            return numeric_holds(self.model, fact.kind, [self.index[a] for a in fact.args])
        except (KeyError, IndexError, ValueError, ZeroDivisionError):
            return False


_FOUND = frozenset({"coll", "cong", "para", "perp", "cyclic"})
"""The kinds `_incidences` lists completely."""


def _fact(kind: str, args: Sequence[str]) -> Fact | None:
    try:
        return make_fact(kind, tuple(args))
    except FactError:
        return None


def _combinations(n: int, k: int) -> np.ndarray:
    """[C(n, k), k] index tuples i1 < ... < ik."""
    return np.array(list(itertools.combinations(range(n), k)), dtype=np.int64).reshape(-1, k)


def _incidences(names: Sequence[str], pos: np.ndarray, tol: float) -> list[Fact]:
    """coll, cong, para, perp and cyclic facts true in the drawing (vectorised; facts built for hits only)."""
    n = len(names)
    out: list[Fact | None] = []
    tri = _combinations(n, 3)
    collinear: set[tuple[int, int, int]] = set()
    if len(tri):
        u, v = pos[tri[:, 1]] - pos[tri[:, 0]], pos[tri[:, 2]] - pos[tri[:, 0]]
        cross = np.abs(u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0])
        for i, j, k in tri[cross < tol * np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1)].tolist():
            out.append(_fact("coll", (names[i], names[j], names[k])))
            collinear.add((i, j, k))
    segs = _combinations(n, 2)
    vec = pos[segs[:, 1]] - pos[segs[:, 0]]
    length = np.linalg.norm(vec, axis=1)
    unit = vec / length[:, None]
    st = _combinations(len(segs), 2)
    if len(st):
        s, t = st[:, 0], st[:, 1]
        ends = np.concatenate([segs[s], segs[t]], axis=1)
        distinct = (
            (ends[:, 0] != ends[:, 2])
            & (ends[:, 0] != ends[:, 3])
            & (ends[:, 1] != ends[:, 2])
            & (ends[:, 1] != ends[:, 3])
        )
        cong = np.abs(length[s] - length[t]) < tol
        dot = np.abs((unit[s] * unit[t]).sum(axis=1))
        cross2 = np.abs(unit[s, 0] * unit[t, 1] - unit[s, 1] * unit[t, 0])
        perp = dot < tol
        para = ~perp & distinct & (cross2 < tol)
        for kind, hit in (("cong", cong), ("perp", perp), ("para", para)):
            for a, b, c, d in ends[hit].tolist():
                out.append(_fact(kind, (names[a], names[b], names[c], names[d])))
    quads = _combinations(n, 4)
    if len(quads):
        p = pos[quads]  # [Q, 4, 2]
        m = np.concatenate([(p**2).sum(axis=2, keepdims=True), p, np.ones((*p.shape[:2], 1))], axis=2)
        scale = np.maximum(1.0, np.abs(m).reshape(len(quads), -1).max(axis=1)) ** 2
        for quad in quads[np.abs(np.linalg.det(m)) < tol * scale].tolist():
            if any(tri in collinear for tri in itertools.combinations(quad, 3)):
                continue
            out.append(_fact("cyclic", tuple(names[q] for q in quad)))
    return [f for f in out if f is not None]


def numeric_involutions(
    points: Mapping[str, np.ndarray], pos: np.ndarray, limit: int = 8, max_steps: int = 5_000
) -> tuple[Involution, ...]:
    """Involutions of the drawing's incidences (`pos`: the normalised coordinates): the first `limit`, then
    one for each pair none of them swaps that some involution swaps (as the exact detector labels pairs)."""
    store = NumericFacts(points, pos)
    found = all_swapped_pairs(store, list(points), (), first=limit, max_steps=max_steps,  # type: ignore[arg-type]
                              complete_records=True)
    return found.involutions
