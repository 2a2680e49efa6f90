"""Exact numeric parameters of facts: angles in units of pi (`1pi/3`, `60o`) and rational ratios (`1/2`)."""

from __future__ import annotations

import re
from fractions import Fraction

_PI = re.compile(r"^(-?\d+)pi(?:/(\d+))?$")
_DEG = re.compile(r"^(-?\d+(?:\.\d+)?)o?$")
_RATIO = re.compile(r"^(\d+(?:\.\d+)?)(?:/(\d+(?:\.\d+)?))?$")


class FactValueError(ValueError):
    """A numeric parameter that is not an exact angle or ratio."""


def parse_angle(text: str) -> Fraction:
    """An angle in units of pi, reduced mod 1: `1pi/3` -> 1/3, `60o` or `60` (degrees) -> 1/3."""
    match = _PI.match(text)
    if match:
        value = Fraction(int(match.group(1)), int(match.group(2) or 1))
    else:
        match = _DEG.match(text)
        if not match:
            raise FactValueError(f"not an angle: {text!r}")
        value = Fraction(match.group(1)) / 180
    return value % 1


def parse_ratio(text: str, denominator: str | None = None) -> Fraction:
    """A positive rational ratio: `1/2`, `2`, or two tokens `1 2` (AG's `rconst a b a c 1 2`)."""
    if denominator is not None:
        return Fraction(text) / Fraction(denominator)
    match = _RATIO.match(text)
    if not match:
        raise FactValueError(f"not a ratio: {text!r}")
    value = Fraction(match.group(1)) / Fraction(match.group(2) or 1)
    if value <= 0:
        raise FactValueError(f"a ratio must be positive: {text!r}")
    return value


def format_angle(value: Fraction) -> str:
    """`1/3` -> `1pi/3` (the DSL's form; round-trips through `parse_angle`)."""
    value %= 1
    return f"{value.numerator}pi/{value.denominator}"


def format_ratio(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
