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
from tonggeo.symmetry.exact import Involution, configuration_symmetries


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


def _incidences(names: Sequence[str], pos: np.ndarray, tol: float) -> list[Fact]:
    n = len(names)
    out: list[Fact | None] = []
    collinear: set[tuple[int, int, int]] = set()
    for i, j, k in itertools.combinations(range(n), 3):
        u, v = pos[j] - pos[i], pos[k] - pos[i]
        if abs(u[0] * v[1] - u[1] * v[0]) < tol * np.linalg.norm(u) * np.linalg.norm(v):
            out.append(_fact("coll", (names[i], names[j], names[k])))
            collinear.add((i, j, k))
    segs = list(itertools.combinations(range(n), 2))
    vec = np.array([pos[b] - pos[a] for a, b in segs])
    length = np.linalg.norm(vec, axis=1)
    unit = vec / length[:, None]
    for s, t in itertools.combinations(range(len(segs)), 2):
        (a, b), (c, d) = segs[s], segs[t]
        args = (names[a], names[b], names[c], names[d])
        if abs(length[s] - length[t]) < tol:
            out.append(_fact("cong", args))
        if abs(float(unit[s] @ unit[t])) < tol:
            out.append(_fact("perp", args))
        elif len({a, b, c, d}) == 4 and abs(unit[s, 0] * unit[t, 1] - unit[s, 1] * unit[t, 0]) < tol:
            out.append(_fact("para", args))
    for quad in itertools.combinations(range(n), 4):
        if any(tri in collinear for tri in itertools.combinations(quad, 3)):
            continue
        p = pos[list(quad)]
        m = np.column_stack([p[:, 0] ** 2 + p[:, 1] ** 2, p[:, 0], p[:, 1], np.ones(4)])
        if abs(np.linalg.det(m)) < tol * max(1.0, float(np.abs(m).max())) ** 2:
            out.append(_fact("cyclic", tuple(names[q] for q in quad)))
    return [f for f in out if f is not None]


def numeric_involutions(
    points: Mapping[str, np.ndarray], pos: np.ndarray, limit: int = 8, max_steps: int = 5_000
) -> tuple[Involution, ...]:
    """Up to `limit` involutions of the drawing's incidences (`pos`: the normalised coordinates)."""
    store = NumericFacts(points, pos)
    return configuration_symmetries(store, list(points), (), limit=limit, max_steps=max_steps)  # type: ignore[arg-type]
