"""DSL errors that name the file, problem, line and column, with a caret under the offending text."""

from __future__ import annotations

from dataclasses import dataclass, field

from tonggeo.dsl.ast import SourceSpan


@dataclass(frozen=True)
class DslError(Exception):
    """A problem text that cannot be read or resolved.

    `span` locates the error in the file; `source_line` is that line's text (for the caret display);
    `expected` lists what the parser would have accepted; `suggestions` the closest known names.
    """

    message: str
    span: SourceSpan
    problem: str | None = None
    source_line: str | None = None
    expected: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        head = f"{self.span}: error"
        if self.problem:
            head += f" in problem '{self.problem}'"
        text = f"{head}: {self.message}"
        if self.expected:
            text += "; expected " + " or ".join(self.expected)
        if self.suggestions:
            text += "; did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?"
        if self.source_line is not None:
            text += "\n    " + self.source_line.rstrip("\n")
            text += "\n    " + " " * max(self.span.column - 1, 0) + "^"
        return text
