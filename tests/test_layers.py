"""The package layering (README, "Architecture"): a module imports only from its own layer or lower ones.

Every module of tonggeo/, solvers/ and neural/ is parsed (ast, so imports inside functions and under
TYPE_CHECKING count too) and each import of a tonggeo/solvers/neural module is checked against LAYERS.
There is no list of tolerated exceptions: the last upward import (symmetry's training set built from
propose's walks) went when `symmetry.dataset.build` started taking its statements from the caller.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tonggeo", "solvers", "neural")

# Lowest first.  A module belongs to the layer of the longest prefix below that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("tonggeo", "tonggeo.config", "tonggeo.facts", "tonggeo.rules", "tonggeo.constructions"),
    ("tonggeo.dsl",),
    ("tonggeo.diagram",),
    ("tonggeo.candidates", "tonggeo.canonical"),
    ("tonggeo.proof",),
    ("tonggeo.ddar",),
    ("tonggeo.symmetry",),
    ("tonggeo.propose",),
    ("tonggeo.lm",),
    ("solvers",),
    ("tonggeo.service",),
    ("tonggeo.distributed",),
    ("tonggeo.cli",),
)
# `neural` is its own root: it never imports tonggeo or solvers (checked below).

def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str) -> set[str]:
    """Absolute names of every tonggeo/solvers/neural module or attribute the file imports."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def _layer(name: str) -> int | None:
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + "."):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), index)
    return None if best is None else best[1]


def _edges() -> dict[tuple[str, str], str]:
    edges: dict[tuple[str, str], str] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = _module_name(path)
            for name in _imports(path, module):
                edges.setdefault((module, name), str(path.relative_to(ROOT)))
    return edges


EDGES = _edges()


def test_every_module_has_a_layer() -> None:
    modules = {source for source, _ in EDGES} | {target for _, target in EDGES}
    missing = sorted(m for m in modules if not m.startswith("neural") and _layer(m) is None)
    assert not missing, f"modules outside every layer (add them to LAYERS and the README): {missing}"


def test_neural_never_imports_tonggeo_or_solvers() -> None:
    bad = sorted(f"{src} -> {dst}" for src, dst in EDGES if src.startswith("neural")
                 and not dst.startswith("neural"))
    assert not bad, bad


@pytest.mark.parametrize("layer", range(len(LAYERS)), ids=[prefixes[0] for prefixes in LAYERS])
def test_no_import_from_a_higher_layer(layer: int) -> None:
    upward = []
    for (source, target), where in sorted(EDGES.items()):
        low, high = _layer(source), _layer(target)
        if low != layer or high is None or target.startswith("neural"):
            continue
        if high > low:
            upward.append(f"{where}: {source} imports {target} ({LAYERS[high][0]} is above {LAYERS[low][0]})")
    assert not upward, "\n".join(upward)


def _owner(name: str) -> str:
    """The module an imported name lives in (`a.b.f` -> `a.b` when `a/b.py` exists)."""
    parts = name.split(".")
    while parts:
        candidate = ROOT.joinpath(*parts)
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return name


def test_the_checker_never_reaches_the_engine() -> None:
    reach = {src: {_owner(dst) for s, dst in EDGES if s == src} for src, _ in EDGES}
    todo, seen = ["tonggeo.proof.checker"], set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(reach.get(module, ()))
    assert not any(m.startswith("tonggeo.ddar") for m in seen), sorted(seen)
