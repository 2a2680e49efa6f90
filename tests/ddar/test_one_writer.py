"""One writer of facts (issue 15): records are added, and the algebraic tables built, fed, forked and
extended, in `tonggeo/ddar/writer.py` only.

Every module of tonggeo/, solvers/, benchmarks/ and tests/ is parsed; a call of one of the writer's
operations anywhere else fails.  The receiver's type is not known to the parser, so the operations have
names no other class uses (`Database.add_record`, `Database.fork_classes`, `LinearStore.feed`...), and a
`.add(...)` call on something named `db` (a Database lost its `add`) is flagged as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = "tonggeo/ddar/writer.py"
LINEAR = "tonggeo/ddar/linear.py"

ALLOWED: dict[str, frozenset[str]] = {
    "add_record": frozenset({WRITER}),  # Database: store a record, update the classes
    "fork_classes": frozenset({WRITER}),  # Database: copy records and classes without the tables
    "merge_lines": frozenset({WRITER}),  # LinearStore: tie the variables of merged lines
    "feed": frozenset({WRITER, LINEAR}),  # LinearStore (and its SquaredLengths): take a new record
    "add_points": frozenset({WRITER, LINEAR}),  # Database, LinearStore, SquaredLengths: more points
    "LinearStore": frozenset({WRITER}),  # building the tables
    "SquaredLengths": frozenset({LINEAR}),
}


def _called(node: ast.Call) -> str | None:
    """The name a call reaches, None for the writer's own functions (`writer.add_points(...)`)."""
    func = node.func
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id == "writer":
            return None
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _on_db(node: ast.Call) -> bool:
    """`db.add(...)` or `x.db.add(...)`."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "add"):
        return False
    target = func.value
    return (isinstance(target, ast.Name) and target.id == "db") or (
        isinstance(target, ast.Attribute) and target.attr == "db"
    )


def violations(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, where)):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name in ALLOWED and where not in ALLOWED[name]:
            found.append(f"{where}:{node.lineno}: {name}(...) outside {sorted(ALLOWED[name])}")
        elif _on_db(node):
            found.append(f"{where}:{node.lineno}: .add(...) on a database (use tonggeo.ddar.writer.add)")
    return found


def _modules() -> list[Path]:
    tops = ("tonggeo", "solvers", "benchmarks", "tests")
    return sorted(path for top in tops for path in (ROOT / top).rglob("*.py"))


def test_only_the_writer_adds_records_and_feeds_tables() -> None:
    found = []
    for path in _modules():
        found += violations(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, "\n".join(found)


def test_the_check_catches_a_second_writer() -> None:
    source = "def f(db, state, fact, why):\n    db.add(fact, why)\n    state.db.add_record(fact, why)\n" \
             "    state.db.linear.feed(fact, 0)\n    return LinearStore(db)\n"
    assert len(violations(source, "tonggeo/ddar/support.py")) == 4
    assert violations("def f(db):\n    db.linear.feed(None, 0)\n", LINEAR) == []
    assert violations("def f(db, n):\n    writer.add_points(db, n)\n", "tonggeo/ddar/state.py") == []
    assert violations("def f(db):\n    db.fired.add((1, 2))\n", "tonggeo/ddar/saturate.py") == []


def test_the_database_does_not_build_tables() -> None:
    """database.py imports the tables' modules for type hints only."""
    tree = ast.parse((ROOT / "tonggeo/ddar/database.py").read_text(encoding="utf-8"))
    runtime = [node for node in tree.body if isinstance(node, ast.ImportFrom)]
    modules = {node.module for node in runtime}
    assert "tonggeo.ddar.linear" not in modules and "tonggeo.ddar.squared" not in modules
