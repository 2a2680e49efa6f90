"""Free-form goals: `lequation` (linear in lengths or products of lengths) and `aequation` (in angles).

    lequation 2/1 A M * A M -2/1 B C * B C 0      2 AM^2 - 2 BC^2 = 0
    aequation 1/1 A B B C 1/1 C A A O 90o          angle(AB, BC) + angle(CA, AO) = 90 degrees (mod 180)

Each term is a rational coefficient followed by a segment (two points, optionally `* P Q` for a
product) or, for angles, a pair of lines (four points); the last token is the constant on the right.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from tonggeo.config import NumericConfig
from tonggeo.constructions.values import angle_value, number_value
from tonggeo.diagram.predicates import line_angle

Lookup = Callable[[str], complex]


class EquationError(ValueError):
    """A malformed lequation / aequation."""


def lequation(tokens: Sequence[str], point: Lookup, cfg: NumericConfig) -> bool:
    if len(tokens) < 1:
        raise EquationError("lequation needs terms and a constant")
    constant = number_value(tokens[-1])
    total, magnitude = 0.0, abs(constant)
    i, body = 0, tokens[:-1]
    while i < len(body):
        if i + 2 >= len(body):
            raise EquationError(f"lequation: incomplete term at {' '.join(body[i:])!r}")
        coef = number_value(body[i])
        value = abs(point(body[i + 2]) - point(body[i + 1]))
        i += 3
        if i < len(body) and body[i] == "*":
            if i + 2 >= len(body):
                raise EquationError("lequation: incomplete product")
            value *= abs(point(body[i + 2]) - point(body[i + 1]))
            i += 3
        total += coef * value
        magnitude += abs(coef * value)
    return abs(total - constant) <= cfg.rel_tol * max(magnitude, 1e-300)


def aequation(tokens: Sequence[str], point: Lookup, cfg: NumericConfig) -> bool:
    body = tokens[:-1]
    if not tokens or len(body) % 5:
        raise EquationError("aequation takes terms 'coefficient P Q R S' and a constant angle")
    total = 0.0
    weight = 0.0
    for i in range(0, len(body), 5):
        coef = number_value(body[i])
        a, b, c, d = (point(name) for name in body[i + 1 : i + 5])
        if a == b or c == d:
            return False
        total += coef * line_angle(a, b, c, d)
        weight += abs(coef)
    diff = (total - angle_value(tokens[-1])) % math.pi
    return min(diff, math.pi - diff) <= cfg.angle_tol * max(weight, 1.0)
