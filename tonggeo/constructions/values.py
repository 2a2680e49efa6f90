"""Numeric parameters of the DSL: angles (`1pi/3`, `60o`, `60`), ratios (`1/2`, `3`), lengths (`4`)."""

from __future__ import annotations

import math
import re
from fractions import Fraction

_ANGLE = re.compile(r"^(-?\d+(?:\.\d+)?)?(pi)?(?:/(\d+(?:\.\d+)?))?(o)?$")


class BadValue(ValueError):
    """A numeric parameter that does not parse."""


def number_value(text: str) -> float:
    """A plain number or fraction: `3`, `-1.5`, `1/2`."""
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return float(Fraction(num)) / float(Fraction(den))
        return float(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise BadValue(f"bad number {text!r}") from exc


def ratio_value(tokens: tuple[str, ...] | list[str]) -> float:
    """A ratio written as one token (`1/2`, `2`) or as two integers (`1 2`, AlphaGeometry's form)."""
    if len(tokens) == 1:
        return number_value(tokens[0])
    if len(tokens) == 2:
        return number_value(tokens[0]) / number_value(tokens[1])
    raise BadValue(f"bad ratio {' '.join(tokens)!r}")


def angle_value(text: str) -> float:
    """An angle in radians: `mpi/n` (radians), `Ro` or a bare number (degrees)."""
    m = _ANGLE.match(text.strip())
    if m is None or (m.group(1) is None and m.group(2) is None):
        raise BadValue(f"bad angle {text!r}")
    coef = float(m.group(1)) if m.group(1) is not None else 1.0
    den = float(m.group(3)) if m.group(3) is not None else 1.0
    if den == 0:
        raise BadValue(f"bad angle {text!r}")
    if m.group(2):
        return coef * math.pi / den
    return math.radians(coef / den)
