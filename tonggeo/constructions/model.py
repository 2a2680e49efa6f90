"""Construction records: the DSL's constructions as frozen data (parsed from `defs.txt`-format files)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PredicateTemplate:
    """A predicate over a construction's variables, e.g. `cong x a x b`."""

    name: str
    args: tuple[str, ...]

    def bind(self, mapping: dict[str, str]) -> tuple[str, tuple[str, ...]]:
        """Substitute actual names for the construction's variables (unknown tokens pass through)."""
        return self.name, tuple(mapping.get(a, a) for a in self.args)

    def to_text(self) -> str:
        return " ".join((self.name, *self.args))


@dataclass(frozen=True, slots=True)
class FactGroup:
    """Facts a construction introduces about some of its new points (`x y : cong ..., perp ...`)."""

    points: tuple[str, ...]
    facts: tuple[PredicateTemplate, ...]


@dataclass(frozen=True, slots=True)
class SketchStep:
    """One numeric primitive (e.g. `line b c`, `circle o o a`) whose loci fix the new points."""

    primitive: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Construction:
    """A construction of the DSL.

    `args` are the definition's variables in definition order; `outputs` are the new points it makes,
    `inputs` the existing points it needs, `params` its numeric parameters (lengths, ratios, angles).
    `preconditions` must hold of the inputs (`ncoll a b c`); `facts` are what it asserts of the outputs;
    `sketch` is its numeric realisation as primitive steps whose loci are intersected.
    """

    name: str
    args: tuple[str, ...]
    outputs: tuple[str, ...]
    inputs: tuple[str, ...]
    params: tuple[str, ...]
    dependencies: tuple[tuple[str, tuple[str, ...]], ...]
    preconditions: tuple[PredicateTemplate, ...]
    facts: tuple[FactGroup, ...]
    sketch: tuple[SketchStep, ...]
    source: str = "ag"

    @property
    def arity(self) -> int:
        return len(self.args)

    @property
    def signature(self) -> str:
        return " ".join((self.name, *self.args))

    def explicit_order(self) -> tuple[str, ...]:
        """Variables with the new points first: the Newclid explicit-point argument order."""
        return self.outputs + tuple(a for a in self.args if a not in self.outputs)

    def all_facts(self) -> tuple[PredicateTemplate, ...]:
        return tuple(f for group in self.facts for f in group.facts)
