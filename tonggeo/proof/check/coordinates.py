"""The checker re-derives every point of the diagram from the problem's constructions with its own code.

Clause by clause, the new points' coordinates are the solution of the equations their construction calls
assert (the definitions' facts, read by `definitions`, as residuals of `facts`), found by Gauss-Newton
from the coordinates the proof carries, with every earlier point at the checker's own position.  The
proof's coordinates only choose among the finitely many solutions (which intersection point) and fix the
free parameters (a free point, a point on a line); a point the equations determine is recomputed, and a
proof whose coordinate is farther than `tolerance` (relative to the figure) from it is rejected.  The
preconditions of each call (ncoll, diff...) must hold at the checker's coordinates.

What this does not decide: which of several solutions the problem meant (an incentre and an excentre
satisfy the same angle equations); the proof is checked for the configuration its coordinates show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from tonggeo.dsl import Clause, Problem
from tonggeo.proof.check import facts as F
from tonggeo.proof.check.definitions import Definition, definitions
from tonggeo.proof.check.numeric import CONDITIONS

SOLVED = 1e-10
"""Largest residual of a solution (the residuals are dimensionless)."""
NEWTON_STEPS = 40


@dataclass(slots=True)
class Derived:
    """The checker's own coordinates and the reasons it could not derive (or agree with) some points."""

    points: dict[str, complex] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _scale(given: Mapping[str, complex]) -> float:
    if not given:
        return 1.0
    values = list(given.values())
    centre = sum(values) / len(values)
    return max(max(abs(v - centre) for v in values), 1e-9)


def _bind(definition: Definition, args: Sequence[str], tokens: Sequence[str]) -> tuple[str, ...]:
    mapping = dict(zip(definition.args, args, strict=False))
    return tuple(mapping.get(t, t) for t in tokens)


def clause_system(
    clause: Clause, defs: Mapping[str, Definition]
) -> tuple[list[F.Statement], list[tuple[str, tuple[str, ...]]]]:
    """The clause's equations (statements) and its side conditions (name, points): a clause without
    equations makes free points."""
    equations: list[F.Statement] = []
    conditions: list[tuple[str, tuple[str, ...]]] = []
    for call in clause.calls:
        definition = defs.get(call.name)
        if definition is None:
            raise F.Degenerate(f"unknown construction {call.name!r}")
        if len(definition.args) != len(call.args):
            raise F.Degenerate(f"{call.to_text()}: {call.name} takes {len(definition.args)} arguments")
        for tokens in (*definition.preconditions, *definition.facts):
            name, *rest = _bind(definition, call.args, tokens)
            if name in CONDITIONS:
                conditions.append((name, tuple(rest)))
            else:
                equations.append(F.statement(name, rest))
    return equations, conditions


def _solve(
    equations: Sequence[F.Statement], new: Sequence[str], known: dict[str, complex], start: np.ndarray,
    scale: float,
) -> tuple[np.ndarray, float]:
    """Gauss-Newton (least-norm steps) from `start` for the new points; returns the point and the
    largest residual there."""

    def f(x: np.ndarray) -> np.ndarray:
        coords = dict(known)
        for i, name in enumerate(new):
            coords[name] = complex(x[2 * i], x[2 * i + 1])
        return np.array([r for s in equations for r in F.residuals(s, coords)], dtype=float)

    x = start.copy()
    h = 1e-7 * scale
    for _ in range(NEWTON_STEPS):
        r = f(x)
        if np.max(np.abs(r), initial=0.0) <= SOLVED * 1e-3:
            break
        jac = np.empty((len(r), len(x)))
        for j in range(len(x)):
            e = np.zeros(len(x))
            e[j] = h
            jac[:, j] = (f(x + e) - f(x - e)) / (2 * h)
        step = np.linalg.lstsq(jac, -r, rcond=None)[0]
        x = x + step
        if np.linalg.norm(step) <= 1e-15 * scale:
            break
    return x, float(np.max(np.abs(f(x)), initial=0.0))


def rederive(
    problem: Problem, given: Mapping[str, tuple[float, float]], tolerance: float, condition_tol: float
) -> Derived:
    """The checker's coordinates of the problem's points (statement clauses only)."""
    defs = definitions()
    proposed = {k: complex(v[0], v[1]) for k, v in given.items()}
    scale = _scale(proposed)
    out = Derived()
    for clause in problem.clauses:
        new = clause.point_names
        missing = [p for p in new if p not in proposed]
        if missing:
            out.errors.append(f"no coordinates for {' '.join(missing)}")
            continue
        try:
            equations, conditions = clause_system(clause, defs)
        except F.Degenerate as exc:
            out.errors.append(f"{clause.to_text()}: {exc}")
            continue
        # a point written with coordinates (`x@1_2`) starts from them, not from the proof's
        starts = {d.name: proposed[d.name] if d.coord is None else complex(*d.coord) for d in clause.points}
        start = np.array([c for p in new for c in (starts[p].real, starts[p].imag)], dtype=float)
        early = [(n, pts) for n, pts in conditions if set(pts) <= set(out.points)]
        for name, points in early:
            if not F.condition_holds(name, points, out.points, condition_tol):
                out.errors.append(f"{clause.to_text()}: precondition {name} {' '.join(points)} fails")
        if equations:
            try:
                solution, residual = _solve(equations, new, out.points, start, scale)
            except (KeyError, ValueError, ZeroDivisionError, np.linalg.LinAlgError) as exc:
                out.errors.append(f"{clause.to_text()}: cannot solve its equations ({exc!r})")
                continue
            if residual > SOLVED:
                out.errors.append(f"{clause.to_text()}: no solution near the proof's coordinates")
                continue
        else:
            solution = start
        for i, name in enumerate(new):
            mine = complex(solution[2 * i], solution[2 * i + 1])
            if abs(mine - proposed[name]) > tolerance * scale:
                out.errors.append(
                    f"point {name}: the proof's coordinates are {abs(mine - proposed[name]) / scale:.2g} "
                    f"(relative) away from the checker's construction"
                )
            out.points[name] = mine
        for name, points in conditions:
            if (name, points) in early:
                continue
            if not F.condition_holds(name, points, out.points, condition_tol):
                out.errors.append(f"{clause.to_text()}: precondition {name} {' '.join(points)} fails")
    return out
