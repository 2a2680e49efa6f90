"""Facts from DSL predicate text: goals (`aconst a b c d 1pi/3`) and construction premises (`s_angle`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from tonggeo.facts.model import ALIASES, FACT_KINDS, Fact, FactError, make_fact
from tonggeo.facts.values import FactValueError, parse_angle, parse_ratio


def parse_fact(name: str, tokens: Sequence[str]) -> Fact:
    """The fact a predicate `name tokens...` states; numeric parameters come last.

    `s_angle a b x y` (the angle at b from ba to bx is y degrees) is the fact `aconst b a b x y`;
    `rconst a b c d 1 2` (AG's two-token ratio) is `rconst a b c d 1/2`.
    """
    kind = ALIASES.get(name, name)
    try:
        if kind == "s_angle":
            if len(tokens) != 4:
                raise FactError(f"s_angle needs 3 points and an angle, got {' '.join(tokens)}")
            a, b, x, angle = tokens
            return make_fact("aconst", (b, a, b, x), parse_angle(angle))
        if kind == "aconst":
            if len(tokens) != 5:
                raise FactError(f"aconst needs 4 points and an angle, got {' '.join(tokens)}")
            return make_fact("aconst", tokens[:4], parse_angle(tokens[4]))
        if kind == "rconst":
            if len(tokens) == 6:
                return make_fact("rconst", tokens[:4], parse_ratio(tokens[4], tokens[5]))
            if len(tokens) != 5:
                raise FactError(f"rconst needs 4 points and a ratio, got {' '.join(tokens)}")
            return make_fact("rconst", tokens[:4], parse_ratio(tokens[4]))
        if kind == "aequation":
            return make_fact("aequation", *_angle_terms(tokens))
        if kind == "lequation":
            return make_fact("lequation", *_product_terms(tokens))
        if kind in ("r2const", "lconst", "l2const"):
            size = 4 if kind == "r2const" else 2
            if len(tokens) != size + 1:
                raise FactError(f"{kind} needs {size} points and a positive number, got {' '.join(tokens)}")
            return make_fact(kind, tokens[:size], parse_ratio(tokens[size]))
    except FactValueError as exc:
        raise FactError(str(exc)) from exc
    if kind not in FACT_KINDS:
        raise FactError(f"{name!r} is not a fact kind")
    return make_fact(kind, tuple(tokens))


def _angle_terms(tokens: Sequence[str]) -> tuple[tuple[str, ...], Fraction]:
    """aequation's tokens, as a goal writes them (`1/1 a b b c -1/1 c a a o 90o`: integer coefficients,
    each before its four points) or as a fact prints them (groups of four points, each coefficient 1),
    then the constant angle: the groups with coefficient 1 and the constant."""
    if not tokens:
        raise FactError("aequation needs terms and a constant angle")
    body, value = tokens[:-1], parse_angle(tokens[-1])
    if len(body) % 5 == 0 and body and not body[0][:1].isalpha():
        groups: list[str] = []
        for i in range(0, len(body), 5):
            try:
                coefficient = Fraction(body[i])
            except ValueError as exc:
                raise FactError(f"aequation: bad coefficient {body[i]!r}") from exc
            if coefficient.denominator != 1:
                raise FactError(f"aequation: only integer coefficients are supported, got {body[i]}")
            a, b, c, d = body[i + 1 : i + 5]
            group = (a, b, c, d) if coefficient > 0 else (c, d, a, b)
            groups.extend(group * abs(coefficient.numerator))
        return tuple(groups), value
    return tuple(body), value


def _product_terms(tokens: Sequence[str]) -> tuple[tuple[str, ...], Fraction]:
    """lequation's tokens, as a goal writes them (`2/1 a m * a m -1/1 b c * b c 0`: rational coefficients,
    each before a product of two lengths, and the constant 0) or as a fact prints them (groups of four
    points, then how many of them make the left side): the groups and the size of the left side.

    Only homogeneous equations in products of two lengths are facts (they live among squared lengths); a
    plain length term or a nonzero constant is not supported."""
    if not tokens:
        raise FactError("lequation needs terms and a constant")
    if tokens[0][:1].isalpha():
        try:
            return tuple(tokens[:-1]), Fraction(tokens[-1])
        except ValueError as exc:
            raise FactError(f"lequation: bad count {tokens[-1]!r}") from exc
    body, terms = tokens[:-1], []
    if _number(tokens[-1]) != 0:
        raise FactError("lequation: only equations with constant 0 are supported")
    for i in range(0, len(body), 6):
        if i + 6 > len(body) or body[i + 3] != "*":
            raise FactError("lequation: only products of two lengths ('c a b * c d') are supported")
        terms.append((_number(body[i]), tuple(body[i + 1 : i + 3]) + tuple(body[i + 4 : i + 6])))
    scale = math.lcm(*(c.denominator for c, _ in terms)) if terms else 1
    left = [g for c, g in terms if c > 0 for _ in range(int(c * scale))]
    right = [g for c, g in terms if c < 0 for _ in range(int(-c * scale))]
    return tuple(p for g in (*left, *right) for p in g), Fraction(len(left))


def _number(text: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError) as exc:
        raise FactError(f"not a number: {text!r}") from exc
