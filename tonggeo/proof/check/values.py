"""The checker's reading of numeric constants: angles in units of pi (`1pi/3`, `60o`, `60`: degrees),
ratios and lengths (`1/2`, `3`, AlphaGeometry's two-token `1 2`), as exact fractions where they are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

_ANGLE = re.compile(r"^(-?\d+(?:\.\d+)?)?(pi)?(?:/(\d+(?:\.\d+)?))?(o)?$")


class BadConstant(ValueError):
    """A constant the checker cannot read."""


def number(text: str) -> Fraction:
    """`3`, `-1.5`, `1/2` as an exact fraction."""
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return Fraction(num) / Fraction(den)
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise BadConstant(f"bad number {text!r}") from exc


def ratio(tokens: Sequence[str]) -> Fraction:
    """A ratio of one token (`1/2`) or two (`1 2`)."""
    if len(tokens) == 1:
        return number(tokens[0])
    if len(tokens) == 2:
        den = number(tokens[1])
        if den == 0:
            raise BadConstant(f"bad ratio {' '.join(tokens)!r}")
        return number(tokens[0]) / den
    raise BadConstant(f"bad ratio {' '.join(tokens)!r}")


def angle(text: str) -> Fraction:
    """An angle in units of pi: `mpi/n` is m/n, `Ro` and a bare number are degrees (R/180)."""
    m = _ANGLE.match(text.strip())
    if m is None or (m.group(1) is None and m.group(2) is None):
        raise BadConstant(f"bad angle {text!r}")
    coef = Fraction(m.group(1)) if m.group(1) is not None else Fraction(1)
    den = Fraction(m.group(3)) if m.group(3) is not None else Fraction(1)
    if den == 0:
        raise BadConstant(f"bad angle {text!r}")
    return coef / den if m.group(2) else coef / den / 180
