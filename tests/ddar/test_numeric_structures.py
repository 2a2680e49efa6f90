"""The numeric model's derived structures against plain references: the faster forms of
`similar_triangles` (ratios vectorised by CPython's complex division, neighbours by sorting),
`perp_cluster_pairs` (classes looked up by angle near each target) and `bisectors` (the buckets a fourth
point needs, found by sorting) give the same lists, in the same order, as the direct loops they replaced,
on random diagrams and on diagrams full of coincidences (lattices, regular polygons, concentric circles),
where ties and bucket edges happen."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from tonggeo.ddar.numeric import BUCKET, NumericModel, complex_quotient

Triangle = tuple[int, int, int]


def similar_reference(m: NumericModel) -> list[tuple[Triangle, Triangle, bool]]:
    tris = [t for t in combinations(range(m.n), 3) if m.orientation(*t) != 0]
    step = 1e-4
    table: dict[tuple[int, int], list[Triangle]] = {}
    pts = m.points
    for t in tris:
        for a, b, c in ((t[0], t[1], t[2]), (t[0], t[2], t[1]), (t[1], t[0], t[2]),
                        (t[1], t[2], t[0]), (t[2], t[0], t[1]), (t[2], t[1], t[0])):
            z = (pts[c] - pts[a]) / (pts[b] - pts[a])
            table.setdefault((round(z.real / step), round(z.imag / step)), []).append((a, b, c))
    found = []
    for t in tris:
        a, b, c = t
        z = (pts[c] - pts[a]) / (pts[b] - pts[a])
        for reflected, w in ((False, z), (True, z.conjugate())):
            kx, ky = round(w.real / step), round(w.imag / step)
            seen: set[Triangle] = set()
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    for other in table.get((kx + dx, ky + dy), ()):
                        key = tuple(sorted(other))
                        if other in seen or key < t or other == t:
                            continue
                        seen.add(other)
                        if m.similar((a, b, c, *other), reflected):
                            found.append((t, other, reflected))
    return found


def perp_reference(m: NumericModel) -> list[tuple[list[int], list[int]]]:
    clusters = m.line_clusters
    angle_of = {c: m.lines[ks[0]].angle for c, ks in clusters.items()}
    out = []
    for ks1 in clusters.values():
        c1 = next(c for c, ks in clusters.items() if ks is ks1)
        target = (angle_of[c1] + math.pi / 2) % math.pi
        for c2, ks2 in clusters.items():
            diff = abs(angle_of[c2] - target)
            if min(diff, math.pi - diff) <= 2 * m.atol:
                out.append((ks1, ks2))
    return out


def bisectors_reference(m: NumericModel) -> list[tuple[int, int, int, int]]:
    angle = m.angle
    period = round(math.pi / BUCKET)
    out = []
    for v in range(m.n):
        buckets = m.angle_buckets[v]
        others = [j for j in range(m.n) if j != v]
        for x in others:
            twice = 2 * angle[v][x]
            for p in others:
                if p == x or m.para(v, p, v, x):
                    continue
                key = round(((twice - angle[v][p]) % math.pi) / BUCKET)
                for k in (key - 1, key, key + 1):
                    for q in buckets.get(k % period, ()):
                        if q not in (p, x) and m.eqangle((v, p, v, x, v, x, v, q)):
                            out.append((v, p, x, q))
    return out


def _model(points: list[complex]) -> NumericModel:
    names = [f"p{i}" for i in range(len(points))]
    return NumericModel(names, {n: (z.real, z.imag) for n, z in zip(names, points, strict=True)})


def _diagrams() -> list[tuple[str, list[complex]]]:
    rng = np.random.default_rng(5)
    out = [(f"random{k}", [complex(*rng.normal(size=2)) for _ in range(11 + k)]) for k in range(3)]
    out.append(("lattice", [complex(x, y) for x in range(4) for y in range(3)]))
    out.append(("rotated lattice", [complex(x, y) * complex(math.cos(0.3), math.sin(0.3))
                                    for x in range(3) for y in range(4)]))
    out.append(("hexagon and centre", [0j, *(complex(math.cos(k * math.pi / 3), math.sin(k * math.pi / 3))
                                             for k in range(6))]))
    out.append(("circles", [r * complex(math.cos(k * math.pi / 4), math.sin(k * math.pi / 4))
                            for r in (1.0, 2.0) for k in range(0, 8, 2)] + [0j, 1 + 1j]))
    # near a wrap: lines at angles just above 0 and just below pi
    out.append(("wrap", [0j, 1 + 1e-12j, 1j, -1e-12 + 1j, 2 + 3j, 5 - 1j, 3 + 0.5j]))
    return out


@pytest.mark.parametrize(("label", "points"), _diagrams(), ids=[d[0] for d in _diagrams()])
def test_similar_triangles_match_the_reference(label: str, points: list[complex]) -> None:
    model = _model(points)
    expected = similar_reference(model)
    assert model.similar_triangles == expected
    if label in ("lattice", "hexagon and centre"):
        assert expected  # the coincidence-rich diagrams do exercise the lists


@pytest.mark.parametrize(("label", "points"), _diagrams(), ids=[d[0] for d in _diagrams()])
def test_perpendicular_classes_match_the_reference(label: str, points: list[complex]) -> None:
    model = _model(points)
    expected = perp_reference(model)
    assert model.perp_cluster_pairs == expected
    if label in ("lattice", "rotated lattice", "wrap"):
        assert expected


@pytest.mark.parametrize(("label", "points"), _diagrams(), ids=[d[0] for d in _diagrams()])
def test_bisectors_match_the_reference(label: str, points: list[complex]) -> None:
    model = _model(points)
    expected = bisectors_reference(model)
    assert model.bisectors == expected
    if label in ("lattice", "hexagon and centre", "circles"):
        assert expected


def test_complex_quotient_is_pythons_division_bit_for_bit() -> None:
    rng = np.random.default_rng(11)
    values = rng.normal(size=(4, 5000)) * np.exp(rng.normal(size=(4, 5000)) * 4)
    values[2, :50] = 0.0  # divisors on the axes take each branch of Smith's method
    values[3, 50:100] = 0.0
    real, imag = complex_quotient(*values)
    for k in range(values.shape[1]):
        q = complex(values[0, k], values[1, k]) / complex(values[2, k], values[3, k])
        assert (q.real, q.imag) == (real[k], imag[k])


def test_huge_ratios_take_the_direct_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    # two points 1e-5 apart next to far ones: ratios past the packed bucket codes
    model = _model([0j, 1e-5 + 0j, 1j, 3 + 2j, 5 - 1j, 2 + 7j])
    calls: list[int] = []
    loop = NumericModel._similar_triangles_loop

    def counted(self: NumericModel, tris: list[Triangle]) -> list[tuple[Triangle, Triangle, bool]]:
        calls.append(len(tris))
        return loop(self, tris)

    monkeypatch.setattr(NumericModel, "_similar_triangles_loop", counted)
    assert model.similar_triangles == similar_reference(model)
    assert calls
