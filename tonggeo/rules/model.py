"""Rules as data: frozen records of premises, numeric side conditions and conclusions over variables."""

from __future__ import annotations

from dataclasses import dataclass

from tonggeo.facts.spec import names

# Predicates a rule may name as a premise or conclusion (facts the database can hold), and side
# conditions (decided on the diagram, never stored as facts): both from the predicate specs.
FACT_PREDICATES: frozenset[str] = names(rule=True)
CONDITION_PREDICATES: frozenset[str] = names(condition=True)
# Conclusions whose kind is chosen by the diagram's orientation: `simtri*` is simtri or simtri2.
ORIENTED_CONCLUSIONS: dict[str, tuple[str, str]] = {
    "simtri*": ("simtri", "simtri2"),
    "contri*": ("contri", "contri2"),
}
# Predicates whose facts are linear equations of one algebraic table.
ANGLE_PREDICATES: frozenset[str] = names(rule=True, domain="angle")
RATIO_PREDICATES: frozenset[str] = names(rule=True, domain="ratio")


@dataclass(frozen=True, slots=True)
class Literal:
    """A predicate over rule variables; `value` is the constant of aconst/rconst (`1/2`, `1pi/3`)."""

    name: str
    args: tuple[str, ...]
    value: str | None = None

    def to_text(self) -> str:
        parts = (self.name, *self.args) if self.value is None else (self.name, *self.args, self.value)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Rule:
    """`premises, conditions => conclusions`, with a stable id (`r00`...) and where it comes from."""

    id: str
    premises: tuple[Literal, ...]
    conditions: tuple[Literal, ...]
    conclusions: tuple[Literal, ...]
    description: str = ""
    source: str = "alphageometry"

    @property
    def variables(self) -> tuple[str, ...]:
        """Every variable, in order of first appearance (premises, conditions, conclusions)."""
        seen: dict[str, None] = {}
        for literal in (*self.premises, *self.conditions, *self.conclusions):
            for arg in literal.args:
                seen.setdefault(arg, None)
        return tuple(seen)

    def to_text(self) -> str:
        left = ", ".join(lit.to_text() for lit in (*self.premises, *self.conditions))
        right = ", ".join(lit.to_text() for lit in self.conclusions)
        return f"{left} => {right}"
