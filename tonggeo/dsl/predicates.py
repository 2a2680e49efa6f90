"""The goal predicates the DSL accepts, with their shapes (point count and numeric parameters)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PredicateShape:
    """How many point arguments a predicate takes (`max_points=None`: any number from `min_points`),
    followed by `params` numeric parameters; `free_form` predicates mix numbers, points and operators."""

    name: str
    min_points: int
    max_points: int | None
    params: int = 0
    free_form: bool = False
    description: str = ""


def _shapes(*shapes: PredicateShape) -> dict[str, PredicateShape]:
    return {s.name: s for s in shapes}


GOAL_PREDICATES: dict[str, PredicateShape] = _shapes(
    PredicateShape("coll", 3, None, description="points on one line"),
    PredicateShape("ncoll", 3, None, description="points not all on one line"),
    PredicateShape("cyclic", 4, None, description="points on one circle"),
    PredicateShape("para", 4, 4, description="AB parallel to CD"),
    PredicateShape("npara", 4, 4, description="AB not parallel to CD"),
    PredicateShape("perp", 4, 4, description="AB perpendicular to CD"),
    PredicateShape("nperp", 4, 4, description="AB not perpendicular to CD"),
    PredicateShape("cong", 4, 4, description="|AB| = |CD|"),
    PredicateShape("eqangle", 8, 8, description="angle(AB,CD) = angle(EF,GH), directed mod 180"),
    PredicateShape("eqratio", 8, 8, description="|AB|/|CD| = |EF|/|GH|"),
    PredicateShape("midp", 3, 3, description="M is the midpoint of AB"),
    PredicateShape("circle", 4, 4, description="O is the centre of the circle through A, B, C"),
    PredicateShape("simtri", 6, 6, description="ABC similar to PQR, same orientation"),
    PredicateShape("simtri2", 6, 6, description="ABC similar to PQR, opposite orientation"),
    PredicateShape("simtrir", 6, 6, description="ABC similar to PQR, opposite orientation"),
    PredicateShape("contri", 6, 6, description="ABC congruent to PQR, same orientation"),
    PredicateShape("contri2", 6, 6, description="ABC congruent to PQR, opposite orientation"),
    PredicateShape("contrir", 6, 6, description="ABC congruent to PQR, opposite orientation"),
    PredicateShape("aconst", 4, 4, 1, description="angle(AB,CD) equals a constant (e.g. 1pi/3, 60o)"),
    PredicateShape("rconst", 4, 4, 1, description="|AB|/|CD| equals a constant (e.g. 1/2)"),
    PredicateShape("r2const", 4, 4, 1, description="|AB|^2/|CD|^2 equals a constant"),
    PredicateShape("lconst", 2, 2, 1, description="|AB| equals a constant"),
    PredicateShape("l2const", 2, 2, 1, description="|AB|^2 equals a constant"),
    PredicateShape("acompute", 4, 4, description="compute angle(AB,CD)"),
    PredicateShape("rcompute", 4, 4, description="compute |AB|/|CD|"),
    PredicateShape("lcompute", 2, 2, description="compute |AB|"),
    PredicateShape("sameclock", 6, 6, description="ABC and PQR have the same orientation"),
    PredicateShape("sameside", 6, 6, description="A relative to B,C as P relative to Q,R"),
    PredicateShape("nsameside", 6, 6, description="A relative to B,C opposite to P relative to Q,R"),
    PredicateShape("obtuse_angle", 3, 3, description="angle ABC is obtuse"),
    PredicateShape("diff", 2, 2, description="A and B are distinct"),
    PredicateShape("lequation", 0, None, free_form=True, description="linear equation in lengths"),
    PredicateShape("aequation", 0, None, free_form=True, description="linear equation in angles"),
)
