"""Goals that ask for a value (`acompute a b c d`, `rcompute a b c d`, `lcompute a b`).

Such a goal is answered by proving a constant fact about the same lines or segments: `aconst a b c d v`,
`rconst`/`r2const a b c d v`, `lconst`/`l2const a b v`. The candidate value is read from the diagram and
recognised as an exact rational (or, for ratios and lengths, a rational square); the engine must then
prove that exact fact, so a wrong guess is never reported, only left unproved. A value that is no simple
rational (for example a length of pi) gives no candidate: the goal stays unproved.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

from tonggeo.facts.model import AConst, Fact, FactError, L2Const, LConst, R2Const, RConst, make_fact
from tonggeo.facts.spec import FactKind

COMPUTE_GOALS: Mapping[str, tuple[FactKind, ...]] = {
    "acompute": ("aconst",),
    "rcompute": ("rconst", "r2const"),
    "lcompute": ("lconst", "l2const"),
}
"""Each value-asking goal and the fact kinds that answer it."""

MAX_DENOMINATOR = 720
"""Largest denominator of a recognised value (angles in units of pi, ratios, lengths)."""

TOLERANCE = 1e-9
"""Relative distance within which a diagram value is recognised as a rational."""


def _rational(x: float) -> Fraction | None:
    if not math.isfinite(x):
        return None
    f = Fraction(x).limit_denominator(MAX_DENOMINATOR)
    return f if abs(float(f) - x) <= TOLERANCE * max(1.0, abs(x)) else None


def _positive(kinds: tuple[str, ...], x: float) -> tuple[str, Fraction] | None:
    """(plain kind, r) if x is a rational r, else (squared kind, r) if x^2 is a rational r."""
    if x <= 0:
        return None
    plain = _rational(x)
    if plain is not None and plain > 0:
        return kinds[0], plain
    square = _rational(x * x)
    if square is not None and square > 0:
        return kinds[1], square
    return None


def candidate(name: str, args: Sequence[str], points: Mapping[str, complex]) -> Fact | None:
    """The constant fact that answers goal `name args` with the diagram's value, if it is exact-looking."""
    kinds = COMPUTE_GOALS[name]
    p = [points[a] for a in args]
    found: tuple[str, Fraction] | None
    if name == "acompute":
        turn = (p[3] - p[2]) / (p[1] - p[0])  # the directed angle from line ab to line cd
        value = _rational((cmath.phase(turn) / math.pi) % 1.0)
        found = None if value is None else ("aconst", value % 1)
    elif name == "rcompute":
        found = _positive(kinds, abs(p[1] - p[0]) / abs(p[3] - p[2]))
    else:
        found = _positive(kinds, abs(p[1] - p[0]))
    if found is None:
        return None
    try:
        return make_fact(found[0], tuple(args), found[1])
    except FactError:
        return None


def answers(name: str, args: Sequence[str], fact: Fact) -> bool:
    """Whether `fact` gives the value goal `name args` asks for (same lines or segments, any value)."""
    if not isinstance(fact, AConst | RConst | R2Const | LConst | L2Const):
        return False
    if fact.kind not in COMPUTE_GOALS[name]:
        return False
    try:  # canonical order ignores the value
        return make_fact(fact.kind, tuple(args), fact.value).args == fact.args
    except FactError:
        return False
