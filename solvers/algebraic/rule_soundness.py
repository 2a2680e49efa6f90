"""Soundness of the deduction rules, established outside the engine: each rule of `rules.txt` in its
generic configuration, its conclusion proved from its premises by a Groebner basis.

Every point of a rule gets free coordinates (the first segment of the premises is fixed at (0,0)-(1,0):
every predicate is invariant under similarities; a rule about two triangles whose literals compare
quantities inside each triangle gets a frame per triangle).  The premises are polynomial equations
(directed angles mod pi, squared lengths); the non-degeneracy conditions are the rule's side conditions
(ncoll, npara, nperp, diff) and the distinctness the matcher guarantees (`_pairs`).  A conclusion g holds
when g vanishes wherever the premises do and the conditions do not: 1 lies in the ideal of the
premises, 1 - t*g and 1 - s_k*c_k for each condition c_k (Rabinowitsch), over the complex numbers, so
on every component, with no diagram and no choice.  Disjunctions are exact products: `simtri*` (simtri
or simtri2) holds when every product of a simtri polynomial with a simtri2 polynomial vanishes; a side
condition "not all of these points collinear" is a disjunction, and the conclusion is proved under each
of its alternatives.  A rule with an orientation condition `sameclock X Y Z U V W` concluding a triangle
relation is proved as g * (cross(XYZ) + cross(UVW)) in the radical: wherever the conclusion fails the
two triangles have opposite orientations (cross(XYZ) != 0 by ncoll), which the condition excludes.
Other inequalities (sameside, nsameside) select a real component that an ideal cannot describe: such
rules are listed as checked numerically only, with the reason, as are rules whose basis does not finish.

    python -m solvers.algebraic.rule_soundness [--timeout 60] [--only r03 r13]

Only the rule text is read (parsed by `tonggeo.ddar.rules`, i.e. exactly the rules the engine applies);
nothing of the engine's matching, database or algebra is used.
"""

from __future__ import annotations

import argparse
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations, product
from types import FrameType

from sympy import QQ, Symbol, groebner
from sympy.polys.orderings import grevlex
from sympy.polys.rings import ring

from solvers.algebraic.polys import AlgebraUnsupported, Poly
from solvers.algebraic.predicates import Vec, cross, dot, equations, norm2
from tonggeo.ddar.rules import Literal, Rule, load_rules

PROVED = "proved"
PROVED_UP_TO_ORIENTATION = "proved with its orientation condition"
NUMERIC_ONLY = "checked numerically only"
NOT_PROVED = "not proved"
# Predicates whose arguments are pairs of points naming lines or segments.
_PAIRED = frozenset({"para", "perp", "eqangle", "eqratio", "cong", "aconst", "rconst"})
_ORIENTATION = frozenset({"sameclock"})
_REAL_ONLY = frozenset({"sameside", "nsameside"})
_MIRROR = {"simtri": "simtri2", "simtri2": "simtri", "contri": "contri2", "contri2": "contri"}


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    """How rule `rule` was checked: `method` (groebner or numeric), `verdict`, time, and why if not proved."""

    rule: str
    method: str
    verdict: str
    seconds: float
    reason: str = ""

    @property
    def established(self) -> bool:
        """Proved algebraically, or listed as checked numerically only with a reason."""
        return self.verdict in (PROVED, PROVED_UP_TO_ORIENTATION) or (
            self.verdict == NUMERIC_ONLY and bool(self.reason)
        )


class _Timeout(Exception):
    pass


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt a long Groebner computation (main thread only; elsewhere no limit is set)."""

    def fire(signum: int, frame: FrameType | None) -> None:
        raise _Timeout

    try:
        previous = signal.signal(signal.SIGALRM, fire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Coordinates:
    """Free coordinates x_P, y_P for each rule variable; the first segment fixed at (0,0)-(1,0)."""

    def __init__(
        self,
        names: Sequence[str],
        fixed: tuple[str, str] | None,
        second: tuple[str, str, bool] | None = None,
    ) -> None:
        symbols = [Symbol(f"{axis}_{n}") for n in names for axis in ("x", "y")] + [Symbol("t")]
        self.ring, *gens = ring(symbols, QQ, grevlex)
        self.gens: list[Poly] = gens
        self.t = gens[-1]
        self.coords: dict[str, Vec] = {n: (gens[2 * i], gens[2 * i + 1]) for i, n in enumerate(names)}
        if fixed is not None:
            self.coords[fixed[0]] = (self.ring.zero, self.ring.zero)
            self.coords[fixed[1]] = (self.ring.one, self.ring.zero)
        if second is not None:  # the second triangle has its own frame (see `_triangle_frames`)
            p, q, scaled = second
            self.coords[p] = (self.ring.zero, self.ring.zero)
            self.coords[q] = (self.ring.one if scaled else self.coords[q][0], self.ring.zero)

    def point(self, name: str) -> Vec:
        return self.coords[name]

    def sqrt3(self) -> Poly:
        raise AlgebraUnsupported("a rule constant needs sqrt(3)")

    def vec(self, a: str, b: str) -> Vec:
        (xa, ya), (xb, yb) = self.coords[a], self.coords[b]
        return xb - xa, yb - ya


def _triangle_frames(rule: Rule) -> tuple[tuple[str, str], tuple[str, str, bool]] | None:
    """Frames for a rule about two triangles ABC, PQR whose every literal compares quantities inside one
    triangle (angles, ratios, orientation) or lengths across them: the rule is then invariant under a
    direct similarity (isometry, if a length is compared across) moving PQR alone, so PQR gets its own
    frame (P at the origin, Q on the x-axis, at 1 when no length is compared across)."""
    final = rule.conclusions[0]
    if final.name.rstrip("*") not in _MIRROR or len(set(final.args)) != 6:
        return None
    first, second = set(final.args[:3]), set(final.args[3:])
    if set(rule.variables) != first | second:
        return None

    def side(points: Sequence[str]) -> int:
        inside = {0 if p in first else 1 for p in points}
        return inside.pop() if len(inside) == 1 else -1

    scaled = True
    for lit in (*rule.premises, *rule.conditions, *rule.conclusions):
        args = lit.args
        if lit.name in ("eqangle", "eqratio"):
            if side(args[:4]) < 0 or side(args[4:]) < 0:
                return None
        elif lit.name == "cong":
            if side(args[:2]) < 0 or side(args[2:]) < 0:
                return None
            scaled = scaled and side(args[:2]) == side(args[2:])
        elif lit.name in ("ncoll", "sameclock") or lit.name.rstrip("*") in _MIRROR:
            if any(side(args[k : k + 3]) < 0 for k in range(0, len(args), 3)):
                return None
            if lit.name.startswith("contri"):
                scaled = False
        else:
            return None
    a, b = final.args[0], final.args[1]
    p, q = final.args[3], final.args[4]
    frame_pairs = {frozenset((a, b)), frozenset((p, q))}
    # a premise PQ = AB puts Q at distance 1 too (a half-turn about P maps Q = (-1, 0) to (1, 0))
    if any(lit.name == "cong" and {frozenset(lit.args[:2]), frozenset(lit.args[2:])} == frame_pairs
           for lit in rule.premises):
        scaled = True
    return (a, b), (p, q, scaled)


def _polys(src: _Coordinates, literal: Literal) -> list[Poly]:
    args = literal.args if literal.value is None else (*literal.args, literal.value)
    return [p for p in equations(src, literal.name, args) if p]


def _pairs(literal: Literal) -> list[tuple[str, str]]:
    """Pairs of points the engine keeps distinct in a literal (`tonggeo.ddar.match.well_formed`: pairs of a
    line or segment, every point of a midp/circle/ncoll/coll, each triangle; a cyclic of more than four
    points is taken with all points distinct, stronger than the matcher's at least four)."""
    args = literal.args
    name = literal.name
    if name in _PAIRED:
        return [(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]
    if name in ("midp", "circle", "ncoll", "coll", "cyclic"):
        return list(combinations(args, 2))
    if name in ("simtri", "simtri2", "contri", "contri2", "simtri*", "contri*", "sameclock"):
        return [pair for group in (args[:3], args[3:6]) for pair in combinations(group, 2)]
    return []


def _conditions(
    src: _Coordinates, rule: Rule, distinct: bool
) -> tuple[list[Poly], list[list[Poly]]]:
    """(conditions that must all be nonzero, alternatives of which one must be nonzero): the side
    conditions, and with `distinct` the distinctness the matcher guarantees."""
    must: list[Poly] = []
    alternatives: list[list[Poly]] = []
    for literal in (*rule.premises, *rule.conditions, *rule.conclusions) if distinct else ():
        for a, b in _pairs(literal):
            if a != b:
                must.append(norm2(src.vec(a, b)))
    for cond in rule.conditions:
        args = cond.args
        if cond.name == "ncoll":
            crosses = [cross(src.vec(p, q), src.vec(p, r)) for p, q, r in combinations(args, 3)]
            if len(crosses) == 1:
                must.append(crosses[0])
            else:
                alternatives.append(crosses)
        elif cond.name == "npara":
            must.append(cross(src.vec(args[0], args[1]), src.vec(args[2], args[3])))
        elif cond.name == "nperp":
            must.append(dot(src.vec(args[0], args[1]), src.vec(args[2], args[3])))
        elif cond.name == "diff":
            must.append(norm2(src.vec(args[0], args[1])))
    return [p for p in must if p and not p.is_ground], alternatives


def _orientation_factor(src: _Coordinates, rule: Rule) -> Poly:
    """cross(XYZ) + cross(UVW) for the rule's sameclock X Y Z U V W: zero where the orientations are
    opposite (with equal areas, as in the rule's normalised frames)."""
    factor = src.ring.one
    for cond in rule.conditions:
        if cond.name in _ORIENTATION:
            x, y, z, u, v, w = cond.args[:6]
            factor *= cross(src.vec(x, y), src.vec(x, z)) + cross(src.vec(u, v), src.vec(u, w))
    return factor


def _goals(src: _Coordinates, literal: Literal, mirrored: bool = False) -> list[Poly]:
    """Polynomials that must all vanish for the conclusion (products for a disjunction)."""
    name = literal.name
    if name.endswith("*") or mirrored:
        base = name.rstrip("*")
        other = _MIRROR[base]
        first = _polys(src, Literal(base, literal.args))
        second = _polys(src, Literal(other, literal.args))
        return [p * q for p, q in product(first, second)]
    return _polys(src, literal)


def _member(hypotheses: list[Poly], goal: Poly, nonzero: Sequence[Poly], src: _Coordinates) -> bool:
    """Whether goal vanishes on the variety of the hypotheses minus the zeros of `nonzero`
    (Rabinowitsch's trick, one inverse variable per condition: 1 - t g, 1 - s_k c_k)."""
    system = [h.as_expr() for h in hypotheses] + [(1 - src.t * goal).as_expr()]
    gens = list(src.ring.symbols)
    seen: set[Poly] = set()
    for k, poly in enumerate(nonzero):
        if poly in seen or poly.is_ground:
            continue
        seen.add(poly)
        inverse = Symbol(f"s_{k}")
        gens.append(inverse)
        system.append(1 - inverse * poly.as_expr())
    basis = groebner(system, *gens, order="grevlex", domain=QQ)
    return bool(basis.exprs == [1])


def _refuted_goal(src: _Coordinates, rule: Rule, oriented: bool, distinct: bool) -> str:
    """The first conclusion not proved (as text), or "" when every conclusion is proved."""
    hypotheses = [p for lit in rule.premises for p in _polys(src, lit)]
    must, alternatives = _conditions(src, rule, distinct)
    choices = [list(group) for group in product(*alternatives)] if alternatives else [[]]
    for literal in rule.conclusions:
        for plain in _goals(src, literal):
            goal = plain * _orientation_factor(src, rule) if oriented else plain
            for chosen in choices:
                if not _member(hypotheses, goal, [*must, *chosen], src):
                    return literal.to_text()
    return ""


def check_rule(rule: Rule, timeout: float = 60.0) -> RuleVerdict:
    """Prove `rule` in its generic configuration by a Groebner basis, or say why only numerics check it."""
    start = time.perf_counter()
    real = sorted({c.name for c in rule.conditions} & _REAL_ONLY)
    if real:
        reason = (
            f"its side condition {', '.join(real)} is an inequality that selects a real component of the "
            "premises (the conclusion fails on the others), which no ideal describes; its minimal problem "
            "(tests/ddar/test_rules.py) and the fresh-diagram soundness benchmark check it numerically"
        )
        return RuleVerdict(rule.id, "numeric", NUMERIC_ONLY, time.perf_counter() - start, reason)
    oriented = bool({c.name for c in rule.conditions} & _ORIENTATION)
    if oriented and not all(c.name in _MIRROR for c in rule.conclusions):
        reason = "its orientation condition (sameclock) selects a real component; no ideal describes it"
        return RuleVerdict(rule.id, "numeric", NUMERIC_ONLY, time.perf_counter() - start, reason)
    names = list(rule.variables)
    frames = _triangle_frames(rule)
    if frames is not None:
        src = _Coordinates(names, frames[0], frames[1])
    else:
        first = next((p for lit in rule.premises for p in _pairs(lit) if p[0] != p[1]), None)
        src = _Coordinates(names, first)
    failed = ""
    # side conditions alone first (few inverse variables, fast); then with the matcher's distinctness
    for distinct, share in ((False, 0.25), (True, 1.0)):
        left = timeout - (time.perf_counter() - start)
        try:
            with _alarm(max(1.0, left * share)):
                failed = _refuted_goal(src, rule, oriented, distinct)
        except _Timeout:
            failed = "timeout"
        except AlgebraUnsupported as exc:
            return RuleVerdict(rule.id, "groebner", NUMERIC_ONLY, time.perf_counter() - start, str(exc))
        if not failed:
            break
    seconds = time.perf_counter() - start
    if failed == "timeout":
        reason = (
            f"the Groebner basis did not finish in {timeout:g} s (too many points for sympy); its minimal "
            "problem and the fresh-diagram soundness benchmark check it numerically"
        )
        return RuleVerdict(rule.id, "groebner", NUMERIC_ONLY, seconds, reason)
    if failed:
        reason = f"{failed} is not in the radical of the premises' ideal"
        return RuleVerdict(rule.id, "groebner", NOT_PROVED, seconds, reason)
    verdict = PROVED_UP_TO_ORIENTATION if oriented else PROVED
    reason = "where the conclusion fails the triangles have opposite orientations" if oriented else ""
    return RuleVerdict(rule.id, "groebner", verdict, time.perf_counter() - start, reason)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per rule")
    parser.add_argument("--only", nargs="*", default=None, help="rule ids")
    args = parser.parse_args(argv)
    for rule in load_rules():
        if args.only and rule.id not in args.only:
            continue
        v = check_rule(rule, args.timeout)
        print(f"{v.rule:14s} {v.method:9s} {v.verdict:26s} {v.seconds:7.2f}s {v.reason}", flush=True)


if __name__ == "__main__":
    main()
