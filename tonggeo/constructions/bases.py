"""Named base figures, as DSL text: the configurations construction walks start from (proposing's
`--base` values, the symmetry detector's training walks).  Data only; `tonggeo.propose.bases` parses
them."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

BASES: Mapping[str, str] = MappingProxyType(
    {
        "segment": "a b = segment a b",
        "triangle": "a b c = triangle a b c",
        "r_triangle": "a b c = r_triangle a b c",
        "iso_triangle": "a b c = iso_triangle a b c",
        "r_iso_triangle": "a b c = risos a b c",
        "iso_circumcircle": "a b c = iso_triangle a b c; o = circumcenter o a b c",
        "kite": "a b c = iso_triangle a b c; d = reflect d a b c",
        "iso_trapezoid": "a b c d = eq_trapezoid a b c d",
        "eq_triangle": "a b c = ieq_triangle a b c",
        "quadrangle": "a b c d = quadrangle a b c d",
        "trapezoid": "a b c d = trapezoid a b c d",
        "parallelogram": "a b c = triangle a b c; d = parallelogram a b c d",
        "square": "a b c d = isquare a b c d",
        "circumcircle": "a b c = triangle a b c; o = circumcenter o a b c",
        "cyclic_quadrangle": "a b c = triangle a b c; o = circumcenter o a b c; d = on_circle d o a",
    }
)
