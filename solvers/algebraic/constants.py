"""Numeric parameters of the DSL (angles like `60`, `60o`, `1pi/3`; ratios like `1/2`) as exact values.

Angles enter the polynomials through their tangent; the tangents of multiples of 15 degrees lie in
Q(sqrt 3), which the prover adjoins as one algebraic variable. Other angles are not algebraic over Q
in a way the prover handles, and are reported as unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from solvers.algebraic.polys import AlgebraUnsupported

_ANGLE = re.compile(r"^(-?\d+(?:\.\d+)?)?(pi)?(?:/(\d+(?:\.\d+)?))?(o)?$")


@dataclass(frozen=True, slots=True)
class Tangent:
    """tan(angle) = rational + sqrt3 * sqrt(3); `infinite` for a right angle."""

    rational: Fraction
    sqrt3: Fraction
    infinite: bool = False


_TAN_15: dict[int, Tangent] = {
    0: Tangent(Fraction(0), Fraction(0)),
    15: Tangent(Fraction(2), Fraction(-1)),
    30: Tangent(Fraction(0), Fraction(1, 3)),
    45: Tangent(Fraction(1), Fraction(0)),
    60: Tangent(Fraction(0), Fraction(1)),
    75: Tangent(Fraction(2), Fraction(1)),
    90: Tangent(Fraction(0), Fraction(0), infinite=True),
    105: Tangent(Fraction(-2), Fraction(-1)),
    120: Tangent(Fraction(0), Fraction(-1)),
    135: Tangent(Fraction(-1), Fraction(0)),
    150: Tangent(Fraction(0), Fraction(-1, 3)),
    165: Tangent(Fraction(-2), Fraction(1)),
}


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise AlgebraUnsupported(f"not a number: {text!r}") from exc


def angle_degrees(text: str) -> Fraction:
    """An angle parameter in degrees: `60`, `-15`, `60o` (degrees) or `1pi/3`, `pi/3` (radians / pi)."""
    match = _ANGLE.match(text.strip())
    if not match:
        raise AlgebraUnsupported(f"not an angle: {text!r}")
    number, pi, denominator, _ = match.groups()
    value = _fraction(number) if number else Fraction(1)
    if denominator:
        value /= _fraction(denominator)
    if pi:
        value *= 180
    return value


def tangent(degrees: Fraction) -> Tangent:
    """tan of an angle given in degrees (taken mod 180), for multiples of 15 degrees."""
    reduced = degrees % 180
    if reduced.denominator != 1 or int(reduced) not in _TAN_15:
        raise AlgebraUnsupported(f"angle {degrees} degrees is not a multiple of 15 degrees")
    return _TAN_15[int(reduced)]


def ratio(parts: tuple[str, ...]) -> Fraction:
    """A ratio parameter: one token (`1/2`, `0.5`, `2`) or two (`1 2` meaning 1/2)."""
    if len(parts) == 1:
        return _fraction(parts[0])
    if len(parts) == 2:
        return _fraction(parts[0]) / _fraction(parts[1])
    raise AlgebraUnsupported(f"not a ratio: {' '.join(parts)!r}")
