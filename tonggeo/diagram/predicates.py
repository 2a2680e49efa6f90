"""Numeric truth of each predicate on complex coordinates: one plain function per predicate name.

Every function takes the predicate's point coordinates (in argument order), its numeric tokens and the
tolerances, and answers True or False. Comparisons are relative (lengths to the lengths involved,
directions through unit vectors), so they do not depend on the diagram's scale. Angles are directed
angles between lines, modulo pi: `eqangle a b c d e f g h` says angle(AB, CD) = angle(EF, GH).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from tonggeo.config import NumericConfig
from tonggeo.constructions.planar import cross, dot
from tonggeo.constructions.values import angle_value, number_value, ratio_value

Check = Callable[[Sequence[complex], Sequence[str], NumericConfig], bool]
TINY = 1e-300


def _unit_or_none(v: complex, size: float, cfg: NumericConfig) -> complex | None:
    n = abs(v)
    if n <= cfg.rel_tol * 1e-3 * max(size, 1e-12):
        return None
    return v / n


def _size(pts: Sequence[complex]) -> float:
    return max((abs(p) for p in pts), default=1.0) + 1.0


def _directions(pts: Sequence[complex], cfg: NumericConfig) -> list[complex] | None:
    """Unit directions of the lines p0p1, p2p3, ... (None if one is degenerate)."""
    size = _size(pts)
    out = []
    for i in range(0, len(pts), 2):
        u = _unit_or_none(pts[i + 1] - pts[i], size, cfg)
        if u is None:
            return None
        out.append(u)
    return out


def line_angle(a: complex, b: complex, c: complex, d: complex) -> float:
    """Directed angle from line AB to line CD in [0, pi)."""
    z = (d - c) * (b - a).conjugate()
    return math.atan2(z.imag, z.real) % math.pi


def _angle_close(x: float, y: float, tol: float) -> bool:
    diff = (x - y) % math.pi
    return min(diff, math.pi - diff) <= tol


def _close(x: float, y: float, cfg: NumericConfig) -> bool:
    return abs(x - y) <= cfg.rel_tol * max(abs(x), abs(y), TINY)


def coll(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    base = max(p[1:], key=lambda q: abs(q - p[0]))
    span = abs(base - p[0])
    if span == 0.0:
        return True
    u = (base - p[0]) / span
    return all(abs(cross(u, q - p[0])) <= cfg.rel_tol * span for q in p)


def ncoll(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return not coll(p, v, cfg)


def para(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    u = _directions(p, cfg)
    return u is not None and abs(cross(u[0], u[1])) <= cfg.angle_tol


def npara(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    u = _directions(p, cfg)
    return u is not None and abs(cross(u[0], u[1])) > cfg.angle_tol


def perp(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    u = _directions(p, cfg)
    return u is not None and abs(dot(u[0], u[1])) <= cfg.angle_tol


def nperp(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    u = _directions(p, cfg)
    return u is not None and abs(dot(u[0], u[1])) > cfg.angle_tol


def cong(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _close(abs(p[1] - p[0]), abs(p[3] - p[2]), cfg)


def eqangle(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    if _directions(p, cfg) is None:
        return False
    return _angle_close(line_angle(*p[0:4]), line_angle(*p[4:8]), cfg.angle_tol)


def eqratio(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    ab, cd, ef, gh = (abs(p[i + 1] - p[i]) for i in (0, 2, 4, 6))
    if min(ab, cd, ef, gh) <= TINY:
        return False
    return _close(ab * gh, cd * ef, cfg)


def midp(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    m, a, b = p
    return abs(m - (a + b) / 2) <= cfg.rel_tol * max(abs(b - a), TINY)


def circle(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    o, *rest = p
    r = abs(rest[0] - o)
    return r > 0 and all(_close(abs(q - o), r, cfg) for q in rest[1:])


def cyclic(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    pts = list(dict.fromkeys(p))
    if len(pts) < 4:
        return True
    a = pts[0]
    b = max(pts[1:], key=lambda q: abs(q - a))
    c = max(pts[1:], key=lambda q: abs(cross(b - a, q - a)))
    ab, ac = b - a, c - a
    den = 2 * cross(ab, ac)
    if abs(den) <= cfg.rel_tol * abs(ab) * abs(ac):
        return False
    o = a + 1j * (ab * abs(ac) ** 2 - ac * abs(ab) ** 2) / den
    r = abs(a - o)
    return all(abs(abs(q - o) - r) <= cfg.rel_tol * r for q in pts)


def _similar(p: Sequence[complex], reflected: bool, cfg: NumericConfig) -> bool:
    a, b, c, x, y, z = p
    if abs(b - a) <= TINY or abs(y - x) <= TINY:
        return False
    s1 = (c - a) / (b - a)
    s2 = (z - x) / (y - x)
    if reflected:
        s2 = s2.conjugate()
    return abs(s1 - s2) <= cfg.rel_tol * max(abs(s1), abs(s2), 1.0)


def simtri(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _similar(p, False, cfg)


def simtrir(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _similar(p, True, cfg)


def contri(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _similar(p, False, cfg) and _close(abs(p[1] - p[0]), abs(p[4] - p[3]), cfg)


def contrir(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _similar(p, True, cfg) and _close(abs(p[1] - p[0]), abs(p[4] - p[3]), cfg)


def aconst(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    if _directions(p, cfg) is None:
        return False
    return _angle_close(line_angle(*p), angle_value(v[0]), cfg.angle_tol)


def s_angle(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    """AlphaGeometry's `s_angle a b x y`: angle(AB, BX) = y degrees."""
    a, b, x = p
    return aconst((a, b, b, x), v, cfg)


def rconst(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    ab, cd = abs(p[1] - p[0]), abs(p[3] - p[2])
    return cd > TINY and _close(ab, cd * ratio_value(tuple(v)), cfg)


def r2const(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    ab, cd = abs(p[1] - p[0]), abs(p[3] - p[2])
    return cd > TINY and _close(ab * ab, cd * cd * ratio_value(tuple(v)), cfg)


def lconst(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _close(abs(p[1] - p[0]), number_value(v[0]), cfg)


def l2const(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    return _close(abs(p[1] - p[0]) ** 2, number_value(v[0]), cfg)


def compute(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    """acompute / rcompute / lcompute ask for a value: numerically they always hold."""
    return True


def _orientation(a: complex, b: complex, c: complex, cfg: NumericConfig) -> int:
    area = cross(b - a, c - a)
    scale = max(abs(b - a), abs(c - a), abs(c - b)) ** 2
    if abs(area) <= cfg.rel_tol * scale:
        return 0
    return 1 if area > 0 else -1


def sameclock(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    s1, s2 = _orientation(p[0], p[1], p[2], cfg), _orientation(p[3], p[4], p[5], cfg)
    return s1 != 0 and s1 == s2


def _side(a: complex, b: complex, c: complex, cfg: NumericConfig) -> int:
    """+1 if a lies outside segment bc (on the line or not), -1 if strictly inside, 0 at an end."""
    d = dot(b - a, c - a)
    if abs(d) <= cfg.rel_tol * max(abs(b - a), abs(c - a)) ** 2:
        return 0
    return 1 if d > 0 else -1


def sameside(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    s1, s2 = _side(p[0], p[1], p[2], cfg), _side(p[3], p[4], p[5], cfg)
    return s1 != 0 and s1 == s2


def nsameside(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    s1, s2 = _side(p[0], p[1], p[2], cfg), _side(p[3], p[4], p[5], cfg)
    return s1 != 0 and s2 != 0 and s1 != s2


def obtuse_angle(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    a, b, c = p
    return dot(a - b, c - b) < -cfg.rel_tol * abs(a - b) * abs(c - b)


def diff(p: Sequence[complex], v: Sequence[str], cfg: NumericConfig) -> bool:
    a, b = p
    return abs(a - b) > cfg.rel_tol * max(abs(a), abs(b), 1.0)


CHECKS: dict[str, Check] = {
    "coll": coll,
    "ncoll": ncoll,
    "cyclic": cyclic,
    "para": para,
    "npara": npara,
    "perp": perp,
    "nperp": nperp,
    "cong": cong,
    "eqangle": eqangle,
    "eqratio": eqratio,
    "midp": midp,
    "circle": circle,
    "simtri": simtri,
    "simtri2": simtrir,
    "simtrir": simtrir,
    "contri": contri,
    "contri2": contrir,
    "contrir": contrir,
    "aconst": aconst,
    "s_angle": s_angle,
    "rconst": rconst,
    "r2const": r2const,
    "lconst": lconst,
    "l2const": l2const,
    "acompute": compute,
    "rcompute": compute,
    "lcompute": compute,
    "sameclock": sameclock,
    "sameside": sameside,
    "nsameside": nsameside,
    "obtuse_angle": obtuse_angle,
    "diff": diff,
}
