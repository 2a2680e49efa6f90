"""What the subcommands share: reading a problem file without losing good problems to bad ones,
selecting problems by name (with closest-name hints), and printing errors without tracebacks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console

from tonggeo.dsl import DslError, Problem, iter_problems

FILE_ARGUMENT = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


@dataclass(frozen=True, slots=True)
class Entry:
    """One problem of a file: parsed, or the error that stopped it (never both)."""

    name: str
    problem: Problem | None
    error: DslError | None


def read_entries(path: Path) -> list[Entry]:
    """Every problem of `path` in file order; a problem that does not parse keeps its place as an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.FileError(str(path), hint=str(exc)) from exc
    entries: list[Entry] = []
    for item in iter_problems(text, str(path)):
        if isinstance(item, DslError):
            entries.append(Entry(item.problem or f"line{item.span.line}", None, item))
        else:
            entries.append(Entry(item.name, item, None))
    return entries


def select(entries: list[Entry], name: str | None) -> list[Entry]:
    """The entries called `name` (all when `name` is None); an unknown name is a usage error with hints."""
    if name is None:
        return entries
    chosen = [e for e in entries if e.name == name]
    if chosen:
        return chosen
    names = [e.name for e in entries]
    close = difflib.get_close_matches(name, names, n=5, cutoff=0.4)
    close += [n for n in names if name in n and n not in close][: max(0, 5 - len(close))]
    message = f"no problem named {name!r} in this file ({len(names)} problems)"
    if close:
        message += "; closest: " + ", ".join(close)
    elif names:
        message += "; it has: " + ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
    raise click.BadParameter(message, param_hint="'--name'")


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_error_text(console: Console, text: str) -> None:
    """Error text as written (no rich markup), so carets stay under the offending column."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)
