"""The learned geometric prior over auxiliary constructions: given a figure (its drawing and construction
graph), its goals and a candidate aux clause drawn on it, the probability that a proof uses the candidate.

The model reads invariant features of the candidate's new point(s) with respect to the figure (lines,
circles and equal distances through it, parallels and perpendiculars it makes, how it sits relative to
the goal points and to the drawing's mirror symmetries), the construction graph (its construction kind,
how central and how goal-bound its inputs are) and the base policy's own score and rank.  Every feature
is invariant under rotations, reflections, translations and scaling of the drawing and under renaming
of the points, so the prior is too.  The network (a two-layer MLP trained with torch by
`prior_training`) is evaluated here in numpy: scoring never imports torch, and a search worker forked
from a process that holds a model is safe.

A checkpoint that is missing or corrupt raises `PriorUnavailable` naming the file; a candidate whose
features cannot be computed (coincident points, non-finite coordinates, a one-point figure) gets the
neutral prior, never NaN.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tonggeo.dsl.ast import Clause, Goal, centrality

CHECKPOINT = Path(__file__).parent / "checkpoints" / "prior.npz"
NEUTRAL = 0.5
"""The prior of a candidate nothing is known about."""
TOL = 1e-6
"""Incidence tolerance, relative to the figure's radius."""

KINDS = (
    "midpoint", "foot", "circumcenter", "orthocenter", "mirror", "reflect", "parallelogram", "incenter",
    "excenter", "centroid", "on_line", "on_circle", "on_circum", "on_tline", "on_pline", "on_bline",
    "on_dia", "angle_bisector", "intersection_ll", "intersection_lc", "intersection_cc", "intersection_lt",
    "intersection_lp", "shift",
)
GOAL_KINDS = ("para", "perp", "cong", "eqangle", "eqratio", "cyclic", "coll", "midp", "simtri", "contri")
GEOMETRY = (
    "lines", "goal_lines", "circles", "goal_circles", "equidistant", "goal_equidistant", "parallels",
    "perpendiculars", "centre_distance", "nearest", "on_axis", "mirror_pair",
)
FEATURES = (
    "base_score", "log_rank", "calls", "new_points", "goal_input_share", "goal_inputs", "aux_inputs",
    "centrality", *GEOMETRY, "log_points", *(f"kind_{k}" for k in KINDS), "kind_other",
    *(f"goal_{k}" for k in GOAL_KINDS), "goal_other",
)


def symmetries_of(points: Mapping[str, complex], limit: int = 2) -> tuple[Mapping[str, str], ...]:
    """Up to `limit` involutions of the drawing's numeric incidences (no saturation; a guess the prior
    only reads as a feature); none for a drawing too degenerate to read."""
    from tonggeo.symmetry.features import FeatureError, normalised
    from tonggeo.symmetry.numeric import numeric_involutions

    arrays = {n: np.array([z.real, z.imag]) for n, z in points.items()}
    try:
        pos = normalised(arrays, list(arrays))
        return tuple(numeric_involutions(arrays, pos, limit=limit, max_steps=2_000))
    except (FeatureError, ValueError, ZeroDivisionError):
        return ()


Isometry = tuple[complex, complex, bool]
"""z -> a*z + b, or a*conj(z) + b when the flag is set."""


class PriorUnavailable(Exception):
    """A prior checkpoint that is missing, corrupt or of another feature set (the message names the file)."""


class DegenerateFigure(ValueError):
    """A drawing the features cannot read (fewer than two points, coincident or non-finite points)."""


@dataclass(frozen=True)
class Figure:
    """What the prior reads of a figure, computed once for all its candidates: points (complex, in
    construction order), goal points and kinds, centrality of each point, auxiliary points already added,
    and the drawing's mirror isometries (z -> a*z + b or a*conj(z) + b)."""

    points: Mapping[str, complex]
    goal_points: frozenset[str]
    goal_kinds: tuple[str, ...]
    centrality: Mapping[str, float]
    aux: frozenset[str]
    radius: float
    centre: complex
    isometries: tuple[Isometry, ...]

    @classmethod
    def of(
        cls,
        points: Mapping[str, complex],
        clauses: Sequence[Clause],
        goals: Sequence[Goal],
        aux: Collection[str] = (),
        symmetries: Sequence[Mapping[str, str]] = (),
    ) -> Figure:
        """`symmetries`: point involutions of the figure (e.g. the numeric or exact detector's); only
        those the drawing realises as an isometry are kept."""
        zs = np.array(list(points.values()), dtype=np.complex128)
        if len(zs) < 2:
            raise DegenerateFigure(f"a figure needs at least two points, got {len(zs)}")
        if not np.isfinite(zs).all():
            raise DegenerateFigure("non-finite coordinates")
        centre = complex(zs.mean())
        radius = float(np.abs(zs - centre).mean())
        if not math.isfinite(radius) or radius <= 1e-12 * max(1.0, float(np.abs(zs).max())):
            raise DegenerateFigure("every point is at the same place")
        gaps = np.abs(zs[:, None] - zs[None, :]) + np.eye(len(zs)) * radius
        if gaps.min() <= 1e-9 * radius:
            i, j = np.unravel_index(int(gaps.argmin()), gaps.shape)
            names = list(points)
            raise DegenerateFigure(f"points {names[int(i)]} and {names[int(j)]} coincide")
        goal_points = frozenset(a for g in goals for a in g.args if a in points)
        found = (isometry_of(points, s, radius) for s in symmetries)
        isos = tuple(iso for iso in found if iso is not None)
        return cls(
            dict(points), goal_points, tuple(g.name for g in goals), centrality(clauses), frozenset(aux),
            radius, centre, isos,
        )


def isometry_of(
    points: Mapping[str, complex], sigma: Mapping[str, str], radius: float
) -> Isometry | None:
    """The isometry of the plane that maps each point p to sigma(p) in the drawing, if there is one."""
    moved = [(points[p], points[q]) for p, q in sigma.items() if p in points and q in points and p != q]
    if not moved:
        return None
    fixed = [points[p] for p in points if sigma.get(p, p) == p]
    pairs = moved + [(z, z) for z in fixed]
    tol = 1e-6 * radius
    for flip in (True, False):
        src = [z.conjugate() if flip else z for z, _ in pairs]
        # fit w = a*src + b from two distinct sources
        (s0, w0), rest = (src[0], pairs[0][1]), list(zip(src[1:], (w for _, w in pairs[1:]), strict=True))
        other = next(((s, w) for s, w in rest if abs(s - s0) > tol), None)
        if other is None:
            continue
        a = (other[1] - w0) / (other[0] - s0)
        if abs(abs(a) - 1.0) > 1e-6:
            continue
        b = w0 - a * s0
        if all(abs(a * s + b - w) <= tol for s, (_, w) in zip(src, pairs, strict=True)):
            return (a, b, flip)
    return None


def _pair_lines(zs: np.ndarray, z: complex, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Boolean [n, n] (i < j): z on line ij; z equidistant from i and j."""
    d = zs[None, :] - zs[:, None]  # d[i, j] = z_j - z_i
    r = z - zs  # r[i] = z - z_i
    cross = (np.conj(d) * r[:, None]).imag
    norm = np.abs(d) + 1e-300
    on = np.abs(cross) / norm < tol
    dist = np.abs(r)
    eqd = np.abs(dist[:, None] - dist[None, :]) < tol
    upper = np.triu(np.ones_like(on, dtype=bool), 1)
    return on & upper, eqd & upper


def _circles(zs: np.ndarray, z: complex, tol: float) -> np.ndarray:
    """[t, 3] indices of the triples of points whose circle passes through z (z not one of them)."""
    n = len(zs)
    if n < 3:
        return np.zeros((0, 3), dtype=int)
    i, j, k = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing="ij"))
    keep = (i < j) & (j < k)
    i, j, k = i[keep], j[keep], k[keep]
    a, b, c = zs[i] - z, zs[j] - z, zs[k] - z
    # z on circle abc iff the cross-ratio-like determinant vanishes: Im((a-c)(b-z)... ) via the
    # standard test det [[ax, ay, |a|^2], [bx, by, |b|^2], [cx, cy, |c|^2]] = 0 (z at the origin)
    det = (
        a.real * (b.imag * abs(c) ** 2 - c.imag * abs(b) ** 2)
        - a.imag * (b.real * abs(c) ** 2 - c.real * abs(b) ** 2)
        + abs(a) ** 2 * (b.real * c.imag - b.imag * c.real)
    )
    size = np.abs(a) * np.abs(b) * np.abs(c) * (np.abs(a) + np.abs(b) + np.abs(c)) + 1e-300
    collinear = np.abs((np.conj(b - a) * (c - a)).imag) < tol * np.abs(b - a) * np.abs(c - a)
    return np.stack([i, j, k], axis=1)[(np.abs(det) / size < tol) & ~collinear]


def geometry(figure: Figure, coords: Sequence[complex]) -> np.ndarray:
    """The invariant geometric features (`GEOMETRY`) of a candidate's new points, summed over them.
    `on_axis`: a mirror isometry of the drawing fixes the point; `mirror_pair`: it maps the point onto
    another new point of the candidate (either way the candidate keeps the figure symmetric)."""
    names = list(figure.points)
    zs = np.array([figure.points[n] for n in names], dtype=np.complex128) - figure.centre
    zs = zs / figure.radius
    goal = np.array([n in figure.goal_points for n in names])
    out = np.zeros(len(GEOMETRY))
    for z0 in coords:
        z = (complex(z0) - figure.centre) / figure.radius
        if not np.isfinite(z):
            raise DegenerateFigure("a candidate point has non-finite coordinates")
        dist = np.abs(zs - z)
        if dist.min() < TOL:
            raise DegenerateFigure("a candidate point lands on a known point")
        on, eqd = _pair_lines(zs, z, TOL)
        both_goal = goal[:, None] & goal[None, :]
        tri = _circles(zs, z, TOL)
        goal_tri = goal[tri].sum(axis=1) >= 2 if len(tri) else np.zeros(0, dtype=bool)
        seg = zs - z
        unit = seg / dist
        d = zs[None, :] - zs[:, None]
        length = np.abs(d)
        upper = np.triu(np.ones((len(zs), len(zs)), dtype=bool), 1)
        dirs = np.where(length > 0, d / (length + 1e-300), 0)[upper]
        cross = np.abs((np.conj(unit)[:, None] * dirs[None, :]).imag)
        dot = np.abs((np.conj(unit)[:, None] * dirs[None, :]).real)
        on_axis = 0.0
        mirror_pair = 0.0
        for a, b, flip in figure.isometries:
            w = a * (z0.conjugate() if flip else z0) + b
            if abs(w - z0) <= 1e-6 * figure.radius:
                on_axis = 1.0
            elif any(abs(w - other) <= 1e-6 * figure.radius for other in coords):
                mirror_pair = 1.0
        out += np.array(
            [
                np.log1p(on.sum()),
                np.log1p((on & both_goal).sum()),
                np.log1p(len(tri)),
                np.log1p(goal_tri.sum()),
                np.log1p(eqd.sum()),
                np.log1p((eqd & both_goal).sum()),
                np.log1p((cross < TOL).sum()),
                np.log1p((dot < TOL).sum()),
                abs(z),
                float(dist.min()),
                on_axis,
                mirror_pair,
            ]
        )
    return out


def features(
    figure: Figure, clause: Clause, coords: Sequence[complex], base_score: float = 0.0, rank: int = 0
) -> np.ndarray:
    """The feature vector (`FEATURES`) of one candidate drawn at `coords`; `base_score` and `rank` are
    the base policy's score and place for it.  Raises DegenerateFigure."""
    own = set(clause.point_names)
    inputs = {a for call in clause.calls for a in call.args if a not in own}
    size = max(len(inputs), 1)
    on_goal = len(inputs & figure.goal_points)
    kinds = np.zeros(len(KINDS) + 1)
    for call in clause.calls:
        kinds[KINDS.index(call.name) if call.name in KINDS else len(KINDS)] += 1.0 / len(clause.calls)
    goals = np.zeros(len(GOAL_KINDS) + 1)
    for name in figure.goal_kinds:
        goals[GOAL_KINDS.index(name) if name in GOAL_KINDS else len(GOAL_KINDS)] = 1.0
    head = [
        float(base_score),
        math.log1p(max(rank, 0)),
        float(len(clause.calls)),
        float(len(coords)),
        on_goal / size,
        float(on_goal),
        float(bool(inputs & figure.aux)),
        sum(figure.centrality.get(p, 0.0) for p in inputs) / size,
    ]
    row = np.concatenate([head, geometry(figure, coords), [math.log(len(figure.points))], kinds, goals])
    if not np.isfinite(row).all():
        raise DegenerateFigure("non-finite features")
    return row


@dataclass(frozen=True)
class PriorModel:
    """A trained prior: feature standardisation and a two-layer MLP (weights as numpy arrays)."""

    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    meta: Mapping[str, object]
    path: Path | None = None

    def logits(self, rows: np.ndarray) -> np.ndarray:
        h = (np.asarray(rows, dtype=np.float64) - self.mean) / self.scale
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return np.asarray(h[:, 0])

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """Probability of each row; the neutral prior where a row is not finite."""
        rows = np.asarray(rows, dtype=np.float64)
        if rows.size == 0:
            return np.zeros(0)
        with np.errstate(all="ignore"):
            p = 1.0 / (1.0 + np.exp(-np.clip(self.logits(rows), -60, 60)))
        return np.where(np.isfinite(p), p, NEUTRAL)

    def score(
        self, figure: Figure | None, candidates: Sequence[tuple[Clause, Sequence[complex], float]]
    ) -> list[float]:
        """Probability that a proof uses each candidate (clause, coordinates, base score; in the base
        policy's order); the neutral prior for a candidate (or a figure) the features cannot read."""
        out = [NEUTRAL] * len(candidates)
        if figure is None:
            return out
        rows, slots = [], []
        for k, (clause, coords, base) in enumerate(candidates):
            try:
                rows.append(features(figure, clause, coords, base, k))
            except DegenerateFigure:
                continue
            slots.append(k)
        if rows:
            for k, p in zip(slots, self.probabilities(np.stack(rows)), strict=True):
                out[k] = float(p)
        return out

    def save(self, path: Path) -> None:
        """Write the model as one .npz file (atomically)."""
        arrays: dict[str, np.ndarray] = {"mean": self.mean, "scale": self.scale}
        for k, (w, b) in enumerate(self.layers):
            arrays[f"w{k}"], arrays[f"b{k}"] = w, b
        meta = {**self.meta, "features": list(FEATURES)}
        arrays["meta"] = np.array(json.dumps(meta))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(path)


def load_prior(path: Path = CHECKPOINT) -> PriorModel:
    """The prior saved at `path`; PriorUnavailable naming the file when it is missing, unreadable or was
    trained on another feature set."""
    if not path.is_file():
        raise PriorUnavailable(f"{path}: prior checkpoint not found (train one with `tonggeo train prior`)")
    try:
        with np.load(path, allow_pickle=False) as blob:
            meta = json.loads(str(blob["meta"]))
            layers = []
            k = 0
            while f"w{k}" in blob:
                layers.append((np.asarray(blob[f"w{k}"], np.float64), np.asarray(blob[f"b{k}"], np.float64)))
                k += 1
            mean, scale = np.asarray(blob["mean"], np.float64), np.asarray(blob["scale"], np.float64)
    except Exception as exc:  # any failure to read the file is the same error for the caller
        raise PriorUnavailable(f"{path}: corrupt prior checkpoint ({type(exc).__name__}: {exc})") from exc
    if meta.get("features") != list(FEATURES):
        raise PriorUnavailable(f"{path}: trained on another feature set; retrain with `tonggeo train prior`")
    shapes_ok = bool(layers) and mean.shape == scale.shape == (len(FEATURES),)
    width = len(FEATURES)
    for w, b in layers:
        shapes_ok = shapes_ok and w.shape[0] == width and b.shape == (w.shape[1],)
        width = w.shape[1]
    if not shapes_ok or width != 1 or not all(np.isfinite(w).all() for w, _ in layers):
        raise PriorUnavailable(f"{path}: corrupt prior checkpoint (weights of the wrong shape or not finite)")
    return PriorModel(mean, np.where(scale > 0, scale, 1.0), tuple(layers), meta, path)
