"""Time the algebra tables on synthetic systems of olympiad size.

Angles: points on several circles; every chord is a line direction and every inscribed-angle equality
(C, D on the circle through A, B: angle(CA -> CB) = angle(DA -> DB)) is an eqangle fact, added in random
order. Ratios: segments with hidden lengths and random true cong / eqratio / rconst facts. Reports the
time to add all facts, to answer a batch of candidate equations (half of them implied), and to list the
classes and equal-difference groups. Writes the "Algebra tables" section of BENCHMARKS.md.

    python benchmarks/algebra_bench.py [--circles 5] [--points 10] [--output BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import platform
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from _report import cpu_model, replace_section

from tonggeo.config import AlgebraTablesConfig
from tonggeo.ddar.algebra import AngleTable, RatioTable

ROOT = Path(__file__).resolve().parents[1]
SECTION = "Algebra tables"


@dataclass(frozen=True, slots=True)
class AngleSystem:
    directions: dict[tuple[int, int], float]
    facts: list[dict[int, int]]
    implied: list[dict[int, int]]
    random: list[dict[int, int]]
    ids: dict[tuple[int, int], int]


def angle_system(rng: np.random.Generator, circles: int, points: int, queries: int) -> AngleSystem:
    ids: dict[tuple[int, int], int] = {}
    directions: dict[tuple[int, int], float] = {}
    facts: list[dict[int, int]] = []
    on_circle: list[list[int]] = []
    pos: dict[int, tuple[float, float]] = {}
    for k in range(circles):
        center = rng.uniform(-3, 3, size=2)
        radius = rng.uniform(1, 3)
        members = []
        for phi in rng.uniform(0, 2 * math.pi, size=points):
            p = len(pos)
            pos[p] = (center[0] + radius * math.cos(phi), center[1] + radius * math.sin(phi))
            members.append(p)
        on_circle.append(members)
        del k
    for a, b in itertools.combinations(range(len(pos)), 2):
        ids[(a, b)] = len(ids)
        (xa, ya), (xb, yb) = pos[a], pos[b]
        directions[(a, b)] = math.atan2(yb - ya, xb - xa) % math.pi

    def line(a: int, b: int) -> int:
        return ids[(min(a, b), max(a, b))]

    def eqangle(a: int, b: int, c: int, d: int) -> dict[int, int]:
        # angle(CA -> CB) = angle(DA -> DB)
        out: dict[int, int] = {}
        for v, s in ((line(c, b), 1), (line(c, a), -1), (line(d, b), -1), (line(d, a), 1)):
            out[v] = out.get(v, 0) + s
        return {v: s for v, s in out.items() if s}

    for members in on_circle:
        for a, b in itertools.combinations(members, 2):
            others = [p for p in members if p not in (a, b)]
            for c, d in itertools.combinations(others, 2):
                facts.append(eqangle(a, b, c, d))
    order = rng.permutation(len(facts))
    facts = [facts[i] for i in order]
    implied = []
    for _ in range(queries // 2):
        members = on_circle[int(rng.integers(len(on_circle)))]
        a, b, c, d = (int(x) for x in rng.choice(members, size=4, replace=False))
        # a longer consequence: angle(CA -> CB) + angle(DA -> DC) = angle(DA -> DB) + angle(CA -> CC)...
        implied.append(eqangle(a, b, c, d))
    randoms = []
    n = len(pos)
    for _ in range(queries - len(implied)):
        a, b, c, d = (int(x) for x in rng.choice(n, size=4, replace=False))
        randoms.append(eqangle(a, b, c, d))
    return AngleSystem(directions, facts, implied, randoms, ids)


def bench_angles(rng: np.random.Generator, circles: int, points: int, queries: int) -> dict[str, float]:
    system = angle_system(rng, circles, points, queries)
    table = AngleTable(AlgebraTablesConfig())
    for (a, b), value in system.directions.items():
        table.add_variable(system.ids[(a, b)], value)
    start = time.perf_counter()
    new = sum(table.add(f, 0, fact) for fact, f in enumerate(system.facts))
    add_s = time.perf_counter() - start
    cands = [(q, Fraction(0)) for q in system.implied + system.random]
    start = time.perf_counter()
    table.implied_equalities(cands[:10])  # compile or load the kernels
    warm_s = time.perf_counter() - start
    start = time.perf_counter()
    answers = table.implied_equalities(cands)
    batch_s = time.perf_counter() - start
    assert all(answers[: len(system.implied)])
    sample = cands[:300]
    start = time.perf_counter()
    exact = [table.implied(q, c) for q, c in sample]
    exact_s = (time.perf_counter() - start) / len(sample)
    assert exact == answers[:300]
    start = time.perf_counter()
    cert = [table.explain(q, Fraction(0)) for q in system.implied[:200]]
    explain_s = (time.perf_counter() - start) / len(cert)
    start = time.perf_counter()
    classes = table.classes()
    classes_s = time.perf_counter() - start
    chords = list(system.ids.values())
    pairs = [(a, b) for a, b in itertools.permutations(chords[: min(len(chords), 400)], 2)]
    start = time.perf_counter()
    groups = table.pair_groups(pairs)
    groups_s = time.perf_counter() - start
    stats = table.stats()
    return {
        "directions": stats["variables"],
        "facts": len(system.facts),
        "new": new,
        "rows": stats["rows"],
        "nonzeros": stats["nonzeros"],
        "add_s": add_s,
        "candidates": len(cands),
        "implied": sum(answers),
        "warm_s": warm_s,
        "batch_s": batch_s,
        "exact_us": exact_s * 1e6,
        "explain_us": explain_s * 1e6,
        "classes": len(classes),
        "classes_s": classes_s,
        "pairs": len(pairs),
        "groups": len(groups),
        "groups_s": groups_s,
    }


def bench_chains(rng: np.random.Generator, n: int, free: int, extra: int) -> dict[str, float]:
    """Directions defined from earlier ones (d = a - b + c + const, or d = a + const), plus true
    combinations of two defining facts; a denser system than the circles (more fill-in)."""
    values: list[float] = []
    facts: list[tuple[dict[int, int], Fraction]] = []
    for i in range(n):
        if i < free:
            values.append(float(rng.uniform(0, 1)))
            continue
        c = Fraction(int(rng.integers(0, 12)), 12)
        if rng.random() < 0.5:
            a = int(rng.integers(i))
            values.append((values[a] + float(c)) % 1)
            facts.append(({i: 1, a: -1}, c))
        else:
            a, b, d = (int(x) for x in rng.choice(i, size=3, replace=False))
            values.append((values[a] - values[b] + values[d] + float(c)) % 1)
            facts.append(({i: 1, a: -1, b: 1, d: -1}, c))
    for _ in range(extra):
        (f1, c1), (f2, c2) = (facts[int(j)] for j in rng.integers(0, len(facts), size=2))
        combo = dict(f1)
        for k, v in f2.items():
            combo[k] = combo.get(k, 0) - v
        combo = {k: v for k, v in combo.items() if v}
        if combo:
            facts.append((combo, (c1 - c2) % 1))
    facts = [facts[int(j)] for j in rng.permutation(len(facts))]
    table = AngleTable()
    for i, v in enumerate(values):
        table.add_variable(i, v * math.pi)
    start = time.perf_counter()
    new = sum(table.add(coeffs, c, fact) for fact, (coeffs, c) in enumerate(facts))
    add_s = time.perf_counter() - start
    pairs = [(int(a), int(b)) for a, b in rng.integers(0, n, size=(20000, 2)) if a != b]
    cands = [({a: 1, b: -1}, Fraction(0)) for a, b in pairs]
    start = time.perf_counter()
    table.implied_equalities(cands)
    batch_s = time.perf_counter() - start
    start = time.perf_counter()
    copy = table.copy()
    copy_s = time.perf_counter() - start
    del copy
    stats = table.stats()
    return {
        "directions": n,
        "facts": len(facts),
        "new": new,
        "rows": stats["rows"],
        "nonzeros": stats["nonzeros"],
        "add_s": add_s,
        "candidates": len(cands),
        "batch_s": batch_s,
        "copy_ms": 1e3 * copy_s,
    }


def bench_ratios(rng: np.random.Generator, segments: int, n_facts: int, queries: int) -> dict[str, float]:
    # hidden lengths: products of small primes, so that rconst facts have exact rational constants
    exps = rng.integers(-2, 3, size=(segments, 3))
    clusters = rng.integers(0, segments // 6, size=segments)
    primes = np.array([2, 3, 5])

    def length(s: int) -> Fraction:
        value = Fraction(1)
        for p, e in zip(primes, exps[s], strict=True):
            value *= Fraction(int(p)) ** int(e)
        return value * (1 + int(clusters[s]))  # segments of one cluster have rational ratios

    lengths = [length(s) for s in range(segments)]
    table = RatioTable()
    for s in range(segments):
        table.add_variable(s, float(lengths[s]))
    by_cluster: dict[int, list[int]] = {}
    for s in range(segments):
        by_cluster.setdefault(int(clusters[s]), []).append(s)
    groups = [g for g in by_cluster.values() if len(g) >= 2]
    facts = []
    for _ in range(n_facts):
        g = groups[int(rng.integers(len(groups)))]
        a, b = (int(x) for x in rng.choice(g, size=2, replace=False))
        facts.append(({a: 1, b: -1}, lengths[a] / lengths[b]))
    start = time.perf_counter()
    new = sum(table.add(c, k, fact) for fact, (c, k) in enumerate(facts))
    add_s = time.perf_counter() - start
    cands = []
    for _ in range(queries):
        g = groups[int(rng.integers(len(groups)))]
        h = groups[int(rng.integers(len(groups)))]
        a, b = (int(x) for x in rng.choice(g, size=2, replace=False))
        c, d = (int(x) for x in rng.choice(h, size=2, replace=False))
        coeffs: dict[int, int] = {}
        for v, e in ((a, 1), (b, -1), (c, -1), (d, 1)):
            coeffs[v] = coeffs.get(v, 0) + e
        value = (lengths[a] / lengths[b]) / (lengths[c] / lengths[d])
        cands.append(({v: e for v, e in coeffs.items() if e}, value))
    table.implied_equalities(cands[:10])
    start = time.perf_counter()
    answers = table.implied_equalities(cands)
    batch_s = time.perf_counter() - start
    stats = table.stats()
    return {
        "segments": segments,
        "facts": n_facts,
        "new": new,
        "rows": stats["rows"],
        "add_s": add_s,
        "candidates": len(cands),
        "implied": sum(answers),
        "batch_s": batch_s,
    }


def render(
    angle: dict[str, float], chains: dict[str, float], ratio: dict[str, float], args: argparse.Namespace
) -> str:
    a, r, ch = angle, ratio, chains
    return "\n".join(
        [
            f"## {SECTION}",
            "",
            f"Command: `python benchmarks/algebra_bench.py --circles {args.circles} --points {args.points} "
            f"--queries {args.queries} --seed {args.seed}`. One run each; times in seconds unless noted.",
            f"Machine: {os.cpu_count()} cores ({cpu_model()}), Python {platform.python_version()}, "
            f"shared with other jobs. Date: {dt.date.today().isoformat()}.",
            "",
            f"Angles ({args.circles} circles x {args.points} points, every chord a direction, every "
            "inscribed-angle equality a fact, random order):",
            "",
            "| directions | facts | new | rows | nonzeros | add all (s) | per add (us) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {a['directions']} | {a['facts']} | {a['new']} | {a['rows']} | {a['nonzeros']} "
            f"| {a['add_s']:.2f} | {1e6 * a['add_s'] / a['facts']:.0f} |",
            "",
            "| batch candidates | implied | batch (s) | per candidate (us) | exact `implied` (us) "
            "| `explain` (us) | classes (s) | pairs | groups | `pair_groups` (s) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {a['candidates']} | {a['implied']} | {a['batch_s']:.3f} "
            f"| {1e6 * a['batch_s'] / a['candidates']:.1f} | {a['exact_us']:.0f} | {a['explain_us']:.0f} "
            f"| {a['classes_s']:.3f} | {a['pairs']} | {a['groups']} | {a['groups_s']:.2f} |",
            "",
            f"First batch call (kernel compile or cache load): {a['warm_s']:.2f} s.",
            "",
            "Angles, chained definitions (d = a - b + c + k/12 or d = a + k/12 over earlier directions, "
            "plus true differences of two such facts, random order):",
            "",
            "| directions | facts | new | rows | nonzeros | add all (s) | per add (us) "
            "| batch of 2-term candidates | batch (s) | `copy` (ms) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {ch['directions']} | {ch['facts']} | {ch['new']} | {ch['rows']} | {ch['nonzeros']} "
            f"| {ch['add_s']:.2f} | {1e6 * ch['add_s'] / ch['facts']:.0f} | {ch['candidates']} "
            f"| {ch['batch_s']:.3f} | {ch['copy_ms']:.1f} |",
            "",
            "Ratios (random true cong/rconst facts among segments with hidden rational lengths):",
            "",
            "| segments | facts | new | rows | add all (s) | batch candidates | implied | batch (s) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {r['segments']} | {r['facts']} | {r['new']} | {r['rows']} | {r['add_s']:.2f} "
            f"| {r['candidates']} | {r['implied']} | {r['batch_s']:.3f} |",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--circles", type=int, default=5)
    parser.add_argument("--points", type=int, default=10)
    parser.add_argument("--queries", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    angle = bench_angles(rng, args.circles, args.points, args.queries)
    chains = bench_chains(rng, 3000, 300, 2000)
    ratio = bench_ratios(rng, 1500, 3000, args.queries)
    section = render(angle, chains, ratio, args)
    print(section)
    if args.output is not None:
        replace_section(args.output, SECTION, section)


if __name__ == "__main__":
    main()
