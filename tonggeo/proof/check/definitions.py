"""The checker's own reader of the construction definitions (`tonggeo/constructions/data/*.txt`).

Blocks of five lines (AlphaGeometry's `defs.txt` format): `name args`, dependencies, `inputs =
preconditions`, `points : facts; points : facts`, sketch.  The checker keeps what a definition asserts
(its facts, the equations a constructed point satisfies) and requires (its preconditions); it never reads
the sketch, the engine's numeric recipe.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "constructions" / "data"
FIRST = "ag_defs.txt"
"""AlphaGeometry's definitions come first: a later file does not redefine a name."""


@dataclass(frozen=True, slots=True)
class Definition:
    """A construction's variables, preconditions and facts (each predicate as a token tuple)."""

    name: str
    args: tuple[str, ...]
    preconditions: tuple[tuple[str, ...], ...]
    facts: tuple[tuple[str, ...], ...]


def _predicates(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(part.split()) for part in text.split(",") if part.split())


def _block(lines: list[str]) -> Definition:
    name, *args = lines[0].split()
    _, _, pre = lines[2].partition("=")
    facts: list[tuple[str, ...]] = []
    for group in lines[3].split(";"):
        facts.extend(_predicates(group.split(":", 1)[1] if ":" in group else group))
    return Definition(name, tuple(args), _predicates(pre), tuple(facts))


def parse_definitions(text: str) -> list[Definition]:
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[Definition] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        block = lines[i : i + 5] + [""] * 5
        out.append(_block(block[:5]))
        i += 5
    return out


@cache
def _read(files: tuple[tuple[str, str], ...]) -> dict[str, Definition]:
    found: dict[str, Definition] = {}
    for _, text in files:
        for definition in parse_definitions(text):
            found.setdefault(definition.name, definition)
    return found


def definitions() -> dict[str, Definition]:
    """Every construction definition by name."""
    paths = sorted(DATA.glob("*.txt"), key=lambda p: (p.name != FIRST, p.name))
    return _read(tuple((p.name, p.read_text(encoding="utf-8")) for p in paths))
