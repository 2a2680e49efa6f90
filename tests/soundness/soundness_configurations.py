"""Numeric rule instances: decide whether coordinates make a rule's premises and side conditions true
(as the engine and the checker read them) while a conclusion is false, and search for such coordinates.

The search solves the premises as equations (least squares, damped Gauss-Newton in numpy) from random
starts, some near a line or a circle, with random identifications of the rule's variables (the matcher
lets two variables name one point).  A solution counts only if its distinct points are well apart and
every premise and side condition passes the checker's own numeric predicates; then a false conclusion
is a counterexample: coordinates where the rule, as written, derives something false.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np

from tonggeo.config import DEFAULT_NUMERIC, NumericConfig
from tonggeo.ddar.rules import Literal, Rule
from tonggeo.diagram.predicates import CHECKS

Coords = Mapping[str, complex]
LOOSE = NumericConfig(rel_tol=1e-3, angle_tol=1e-3)
"""Side conditions must hold, and conclusions fail, by this margin in a searched counterexample (so that
no near-degenerate solution counts)."""
_NAMES = {"simtri2": "simtrir", "contri2": "contrir"}
_SETS = frozenset({"midp", "circle", "ncoll"})
_AT_LEAST = {"coll": 3, "cyclic": 4}
_TRIANGLES = frozenset({"simtri", "simtri2", "contri", "contri2", "simtri*", "contri*", "sameclock"})


def well_formed(name: str, pts: Sequence[object]) -> bool:
    """No literal degenerates: distinct points in each pair, triangle, midp/circle/ncoll, enough points
    on a line or circle (different variables may name one point)."""
    if name in _AT_LEAST:
        return len(set(pts)) >= _AT_LEAST[name]
    if name in _SETS:
        return len(set(pts)) == len(pts)
    if name in _TRIANGLES:
        return len(set(pts[:3])) == 3 and len(set(pts[3:])) == 3
    if name in ("sameside", "nsameside", "diff"):
        return True
    return all(pts[i] != pts[i + 1] for i in range(0, len(pts), 2))


def holds(lit: Literal, coords: Coords, config: NumericConfig = DEFAULT_NUMERIC) -> bool:
    """The literal is true at the coordinates (`simtri*`: in one orientation or the other)."""
    pts = [coords[a] for a in lit.args]
    values = [lit.value] if lit.value is not None else []
    if lit.name in ("simtri*", "contri*"):
        base = lit.name[:-1]
        return any(CHECKS[k](pts, values, config) for k in (base, base + "r"))
    return CHECKS[_NAMES.get(lit.name, lit.name)](pts, values, config)


def false_conclusions(rule: Rule, coords: Coords, margin: NumericConfig | None = None) -> list[str] | None:
    """None if a premise or side condition fails (or degenerates); else the conclusions that are false.

    With a `margin` (a looser tolerance), side conditions must also hold and conclusions count as false
    only at that tolerance: a clear counterexample, not a near-degenerate one.  Conclusions that
    degenerate (a pair of one point) are skipped: the engine never states them."""
    for lit in rule.premises:
        if not well_formed(lit.name, [coords[a] for a in lit.args]) or not holds(lit, coords):
            return None
    for lit in rule.conditions:
        if not well_formed(lit.name, [coords[a] for a in lit.args]) or not holds(lit, coords):
            return None
        if margin is not None and not holds(lit, coords, margin):
            return None
    config = margin or DEFAULT_NUMERIC
    return [
        lit.to_text()
        for lit in rule.conclusions
        # a degenerate conclusion (`eqangle ... O M` with O = M) is never stated: the engine drops it
        if well_formed(lit.name, [coords[a] for a in lit.args]) and not holds(lit, coords, config)
    ]


def is_counterexample(rule: Rule, coords: Coords, margin: NumericConfig | None = None) -> bool:
    return bool(false_conclusions(rule, coords, margin))


# ---------------------------------------------------------------------------------- premise residuals
def _unit(z: complex) -> complex:
    return z / abs(z) if abs(z) > 1e-12 else 0j


def _residuals(name: str, p: Sequence[complex]) -> list[float]:
    """Zero exactly where the premise holds (directed angles mod pi, lengths, circles)."""
    match name:
        case "coll":
            a = p[0]
            pairs = combinations(range(1, len(p)), 2)
            return [(_unit(p[i] - a).conjugate() * (p[j] - a)).imag for i, j in pairs]
        case "para" | "perp":
            w = _unit(p[1] - p[0]).conjugate() * _unit(p[3] - p[2])
            return [w.imag if name == "para" else w.real]
        case "cong":
            s, t = abs(p[1] - p[0]), abs(p[3] - p[2])
            return [(s - t) / max(s + t, 1e-12)]
        case "eqangle":
            w = (_unit(p[1] - p[0]).conjugate() * _unit(p[3] - p[2])
                 * (_unit(p[5] - p[4]).conjugate() * _unit(p[7] - p[6])).conjugate())
            return [w.imag]
        case "eqratio":
            ln = [abs(p[i + 1] - p[i]) for i in (0, 2, 4, 6)]
            return [(ln[0] * ln[3] - ln[1] * ln[2]) / max(ln[0] * ln[3] + ln[1] * ln[2], 1e-12)]
        case "cyclic":
            q = list(dict.fromkeys(p))
            a, b, c = q[:3]
            out = []
            for d in q[3:]:
                w = _unit(c - a) * _unit(d - b) * (_unit(c - b) * _unit(d - a)).conjugate()
                out.append(w.imag)
            return out
        case "midp":
            off = p[0] - (p[1] + p[2]) / 2
            return [off.real, off.imag]
        case "circle":
            radii = [abs(x - p[0]) for x in p[1:]]
            return [(radii[0] - r) / max(radii[0] + r, 1e-12) for r in radii[1:]]
        case "simtri" | "simtri2" | "contri" | "contri2":
            a, b, c, x, y, z = p
            s1 = (c - a) / (b - a) if abs(b - a) > 1e-12 else 0j
            s2 = (z - x) / (y - x) if abs(y - x) > 1e-12 else 0j
            if name.endswith("2"):
                s2 = s2.conjugate()
            out = [(s1 - s2).real, (s1 - s2).imag]
            if name.startswith("contri"):
                out.append((abs(b - a) - abs(y - x)) / max(abs(b - a) + abs(y - x), 1e-12))
            return out
    raise KeyError(name)


def _solve(fun, x0: np.ndarray, iterations: int = 200) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Levenberg-Marquardt with a finite-difference Jacobian."""
    x, lam, h = x0.copy(), 1e-3, 1e-7
    r = fun(x)
    for _ in range(iterations):
        cost = float(r @ r)
        if cost < 1e-26:
            break
        jac = np.empty((r.size, x.size))
        for k in range(x.size):
            dx = np.zeros_like(x)
            dx[k] = h
            jac[:, k] = (fun(x + dx) - fun(x - dx)) / (2 * h)
        g = jac.T @ r
        a = jac.T @ jac
        while True:
            step = np.linalg.solve(a + lam * np.diag(np.diag(a) + 1e-12), -g)
            r_new = fun(x + step)
            if float(r_new @ r_new) < cost:
                x, r, lam = x + step, r_new, max(lam / 3, 1e-12)
                break
            lam *= 4
            if lam > 1e12:
                return x
    return x


def _premises_function(rule: Rule, rep: Mapping[str, str], col: Mapping[str, int]):  # type: ignore[no-untyped-def]
    """Residuals of the rule's premises as a function of the coordinates of the distinct points."""
    names = rule.variables

    def fun(x: np.ndarray) -> np.ndarray:
        z = x[0::2] + 1j * x[1::2]
        at = {v: z[col[rep[v]]] for v in names}
        out: list[float] = []
        for lit in rule.premises:
            out.extend(_residuals(lit.name, [at[a] for a in lit.args]))
        out.append(0.01 * (float(np.mean(np.abs(z - z.mean()) ** 2)) - 1))  # fix the scale
        return np.array(out)

    return fun


def search(
    rule: Rule, rng: np.random.Generator, tries: int, separation: float = 0.05
) -> list[dict[str, complex]]:
    """Counterexamples to `rule` found from `tries` random starts."""
    names = rule.variables
    found = []
    for _ in range(tries):
        rep = {v: v for v in names}
        if rng.random() < 0.4:
            for _ in range(int(rng.integers(1, 3))):
                i, j = rng.choice(len(names), 2, replace=False)
                rep[names[j]] = rep[names[i]]
            for v in names:
                while rep[rep[v]] != rep[v]:
                    rep[v] = rep[rep[v]]
        reps = sorted(set(rep.values()))
        col = {r: k for k, r in enumerate(reps)}
        literals = (*rule.premises, *rule.conditions)
        if not all(well_formed(lit.name, [rep[a] for a in lit.args]) for lit in literals):
            continue
        x0 = rng.normal(size=2 * len(reps))
        mode = rng.integers(0, 3)
        if mode == 1:  # near a line
            x0[1::2] = 0.01 * rng.normal(size=len(reps))
        elif mode == 2:  # on a circle
            t = rng.uniform(0, 2 * np.pi, len(reps))
            x0[0::2], x0[1::2] = np.cos(t), np.sin(t)

        fun = _premises_function(rule, rep, col)
        x = _solve(fun, x0)
        z = x[0::2] + 1j * x[1::2]
        if len(z) > 1 and min(abs(z[i] - z[j]) for i, j in combinations(range(len(z)), 2)) < separation:
            continue
        coords = {v: complex(z[col[rep[v]]]) for v in names}
        if is_counterexample(rule, coords, LOOSE):
            found.append(coords)
    return found
