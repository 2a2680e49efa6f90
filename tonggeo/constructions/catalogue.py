"""The construction catalogue: reads `defs.txt`-format files into `Construction` records.

Format, one blank-line-separated block per construction (as in AlphaGeometry's `defs.txt`):

    circle x a b c                      name and variables
    x : a b c                           new points and what each depends on
    a b c = ncoll a b c                 inputs = preconditions
    x : cong x a x b, cong x b x c      facts introduced (groups separated by ';')
    bline a b, bline a c                numeric sketch: primitive loci, intersected
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

from tonggeo.constructions.model import Construction, FactGroup, PredicateTemplate, SketchStep

DATA_FILES: tuple[tuple[str, str], ...] = (("ag_defs.txt", "ag"), ("newclid_defs.txt", "newclid"))


class CatalogueError(ValueError):
    """A malformed definition block."""


def _predicates(text: str) -> tuple[PredicateTemplate, ...]:
    preds = []
    for part in text.split(","):
        tokens = part.split()
        if tokens:
            preds.append(PredicateTemplate(tokens[0], tuple(tokens[1:])))
    return tuple(preds)


def parse_block(block: str, source: str = "ag") -> Construction:
    """Parse one five-line definition block."""
    lines = block.split("\n")
    if len(lines) != 5:
        raise CatalogueError(f"definition block must have 5 lines, got {len(lines)}:\n{block}")
    head, deps_line, pre_line, facts_line, sketch_line = lines
    name, *args = head.split()
    dependencies: list[tuple[str, tuple[str, ...]]] = []
    for part in deps_line.split(","):
        if ":" in part:
            left, right = part.split(":", 1)
            for point in left.split():
                dependencies.append((point, tuple(right.split())))
    if "=" not in pre_line:
        raise CatalogueError(f"{name}: third line needs '=': {pre_line!r}")
    inputs_text, pre_text = pre_line.split("=", 1)
    inputs = tuple(inputs_text.split())
    facts: list[FactGroup] = []
    fact_keys: list[str] = []
    for group in facts_line.split(";"):
        if ":" in group:
            left, right = group.split(":", 1)
            points = tuple(left.split())
        else:
            points, right = (), group
        fact_keys.extend(points)
        facts.append(FactGroup(points, _predicates(right)))
    dep_tokens = {tok for point, deps in dependencies for tok in (point, *deps)}
    known_points = dep_tokens | set(inputs) | set(fact_keys)
    params = tuple(a for a in args if a not in known_points)
    outputs = tuple(a for a in args if a not in inputs and a not in params)
    sketch = tuple(SketchStep(p.name, p.args) for p in _predicates(sketch_line))
    unknown = [a for a in inputs if a not in args]
    if unknown:
        raise CatalogueError(f"{name}: inputs {unknown} are not variables of the definition")
    return Construction(
        name=name,
        args=tuple(args),
        outputs=outputs,
        inputs=inputs,
        params=params,
        dependencies=tuple(dependencies),
        preconditions=_predicates(pre_text),
        facts=tuple(facts),
        sketch=sketch,
        source=source,
    )


def parse_definitions(text: str, source: str = "ag") -> list[Construction]:
    """Parse a whole file: 5-line blocks separated by blank lines (a block's 2nd line may be blank)."""
    lines = text.replace("\r\n", "\n").split("\n")
    found: list[Construction] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        block = lines[i : i + 5]
        block += [""] * (5 - len(block))
        found.append(parse_block("\n".join(block), source))
        i += 5
    return found


@dataclass(frozen=True)
class Catalogue(Mapping[str, Construction]):
    """All known constructions by name, with closest-name suggestions for typos."""

    constructions: Mapping[str, Construction]

    def __getitem__(self, name: str) -> Construction:
        return self.constructions[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.constructions)

    def __len__(self) -> int:
        return len(self.constructions)

    def closest(self, name: str, n: int = 3) -> list[str]:
        return difflib.get_close_matches(name, list(self.constructions), n=n, cutoff=0.5)


def load_catalogue() -> Catalogue:
    """The built-in catalogue: AlphaGeometry's 68 constructions plus Newclid's additions."""
    found: dict[str, Construction] = {}
    data = resources.files("tonggeo.constructions") / "data"
    for filename, source in DATA_FILES:
        path = data / filename
        if not path.is_file():
            continue
        for construction in parse_definitions(path.read_text(encoding="utf-8"), source):
            found.setdefault(construction.name, construction)
    return Catalogue(found)


@functools.cache
def default_catalogue() -> Catalogue:
    """The built-in catalogue, read once per process (`load_catalogue` reads it afresh)."""
    return load_catalogue()
