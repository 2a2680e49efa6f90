"""The closed table of sketch primitives: primitive name (as written in a sketch line) -> function.

A construction's fifth definition line (`bline a b, bline a c`) names primitives from this table; the
diagram builder binds their arguments and intersects the loci, or takes the placed points directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np

from tonggeo.constructions import sketch_loci as loci
from tonggeo.constructions import sketch_points as placed
from tonggeo.constructions import sketch_shapes as shapes
from tonggeo.constructions.planar import Circle, Line
from tonggeo.constructions.sketch_points import Placed

SketchOutput = Line | Circle | Placed
Primitive = Callable[[np.random.Generator, tuple[complex, ...], tuple[str, ...]], SketchOutput]

PRIMITIVES: Mapping[str, Primitive] = MappingProxyType(
    {
        # loci for one new point
        "line": loci.line,
        "pline": loci.pline,
        "tline": loci.tline,
        "bline": loci.bline,
        "bisect": loci.bisect,
        "exbisect": loci.exbisect,
        "amirror": loci.amirror,
        "circle": loci.circle,
        "dia": loci.dia,
        "cyclic": loci.cyclic,
        "aline": loci.aline,
        "aline0": loci.aline0,
        "aline2": loci.aline2,
        "eqangle3": loci.eqangle3,
        "s_angle": loci.s_angle,
        "aconst": loci.aconst,
        "on_opline": loci.on_opline,
        "onseg": loci.onseg,
        "eqratio": loci.eqratio,
        "eqratio6": loci.eqratio6,
        "rconst": loci.rconst,
        "r2const": loci.r2const,
        "rconst2": loci.rconst2,
        "lconst": loci.lconst,
        "l2const": loci.l2const,
        # points placed from existing points
        "midp": placed.midp,
        "pmirror": placed.pmirror,
        "reflect": placed.reflect_,
        "bmirror": placed.bmirror,
        "rotatep90": placed.rotatep90,
        "rotaten90": placed.rotaten90,
        "shift": placed.shift,
        "square": placed.square,
        "incenter2": placed.incenter2,
        "excenter2": placed.excenter2,
        "centroid": placed.centroid,
        "ninepoints": placed.ninepoints,
        "eqangle2": placed.eqangle2,
        "trisect": placed.trisect,
        "trisegment": placed.trisegment,
        "e5128": placed.e5128,
        "3peq": placed.threepeq,
        "2l1c": placed.twol1c,
        "tangent": placed.tangent,
        "cc_tangent0": placed.cc_tangent0,
        "cc_tangent": placed.cc_tangent,
        "cc_itangent": placed.cc_itangent,
        "simtri": placed.simtri,
        "simtrir": placed.simtrir,
        "contri": placed.contri,
        "contrir": placed.contrir,
        # base shapes from nothing
        "free": shapes.free,
        "segment": shapes.segment,
        "triangle": shapes.triangle,
        "acute_triangle": shapes.acute_triangle,
        "quadrangle": shapes.quadrangle,
        "pentagon": shapes.pentagon,
        "isos": shapes.isos,
        "r_triangle": shapes.r_triangle,
        "risos": shapes.risos,
        "triangle12": shapes.triangle12,
        "ieq_triangle": shapes.ieq_triangle,
        "eq_quadrangle": shapes.eq_quadrangle,
        "eq_trapezoid": shapes.eq_trapezoid,
        "eqdia_quadrangle": shapes.eqdia_quadrangle,
        "r_trapezoid": shapes.r_trapezoid,
        "rectangle": shapes.rectangle,
        "isquare": shapes.isquare,
        "trapezoid": shapes.trapezoid,
        "between": shapes.between,
        "test_r20": shapes.test_r20,
        "test_r25": shapes.test_r25,
    }
)

CHIRAL: frozenset[str] = frozenset(
    {
        # a fixed turn: +90 or -90 degrees, a square on one side, an angle of a given sign
        "rotatep90",
        "rotaten90",
        "square",
        "s_angle",
        "aconst",
        # the two touch points of tangents, named by which way they turn
        "tangent",
        "cc_tangent0",
        "cc_tangent",
        "cc_itangent",
    }
)
"""Primitives that do not commute with a reflection: drawn over the mirror image of their inputs, they give
another point than the mirror image of their output. A text using one has two figures, one per orientation
of its base shapes (`tonggeo.diagram.build_diagram`'s `mirror`), and a DDAR route may hold in one only. Every
other primitive draws the mirror image over mirrored inputs (base shapes are placed in either orientation)."""

__all__ = ["CHIRAL", "PRIMITIVES", "Placed", "Primitive", "SketchOutput"]
