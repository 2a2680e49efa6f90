"""Parse problem text (AlphaGeometry or Newclid syntax) into a normalised, validated `Problem`.

Parsing is two steps: the lark grammar (`grammar/geometry.lark`) gives a tree, then a lark `Transformer`
(`_ProblemReader`, one method per grammar rule) checks names against the construction catalogue and
normalises every call to definition argument order while it builds the `Problem`.
Every failure is a `DslError` carrying file, problem name, line and column.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.tree import Meta

from tonggeo.constructions import Catalogue, Construction, default_catalogue
from tonggeo.dsl.ast import Clause, ConstructionCall, Goal, PointDecl, Problem, SourceSpan
from tonggeo.dsl.errors import DslError
from tonggeo.dsl.predicates import GOAL_PREDICATES

POINT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_']*$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?(pi)?(/\d+(\.\d+)?)?o?$")
_TERMINAL_NAMES = {
    "WORD": "a name",
    "COORD": "coordinates like '@1.5_-2'",
    "EQUAL": "'='",
    "SEMICOLON": "';'",
    "COMMA": "','",
    "VBAR": "'|'",
    "QMARK": "'?'",
    "$END": "end of line",
}


def grammar_path() -> Path:
    """The grammar file: inside an installed wheel, else the repository's `grammar/` folder."""
    packaged = resources.files("tonggeo") / "_grammar" / "geometry.lark"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "grammar" / "geometry.lark"


@functools.cache
def _parser() -> Lark:
    return Lark.open(str(grammar_path()), parser="lalr", propagate_positions=True)


@dataclass(frozen=True)
class _Context:
    """Where the body being parsed sits, to turn body columns into file positions."""

    file: str | None
    problem: str | None
    line: int
    column_offset: int
    text: str

    def span(self, column: int) -> SourceSpan:
        return SourceSpan(self.file, self.line, column + self.column_offset)

    def error(self, message: str, column: int, **extra: tuple[str, ...]) -> DslError:
        return DslError(message, self.span(column), self.problem, self.text, **extra)


def _tok_col(token: Token) -> int:
    return token.column if token.column is not None else 1


def _syntax_error(exc: UnexpectedInput, ctx: _Context) -> DslError:
    column = getattr(exc, "column", None) or len(ctx.text) - ctx.column_offset + 1
    if isinstance(exc, UnexpectedEOF):
        expected = tuple(sorted({_TERMINAL_NAMES.get(t, t) for t in exc.expected}))
        end = len(ctx.text) - ctx.column_offset + 1
        return ctx.error("unexpected end of problem", end, expected=expected)
    if isinstance(exc, UnexpectedToken):
        expected = tuple(sorted({_TERMINAL_NAMES.get(t, repr(t)) for t in exc.expected}))
        if exc.token.type == "$END":
            end = len(ctx.text) - ctx.column_offset + 1
            return ctx.error("unexpected end of problem", end, expected=expected)
        return ctx.error(f"unexpected {str(exc.token)!r}", column, expected=expected)
    if isinstance(exc, UnexpectedCharacters):
        index = ctx.column_offset + column - 1
        bad = ctx.text[index] if index < len(ctx.text) else "?"
        return ctx.error(f"unexpected character {bad!r}", column)
    return ctx.error(str(exc).splitlines()[0], column)


def _coord(token: Token, ctx: _Context) -> tuple[float, float]:
    x_text, _, y_text = str(token)[1:].partition("_")
    try:
        return float(x_text), float(y_text)
    except ValueError as exc:
        raise ctx.error(f"bad coordinates {str(token)!r}", _tok_col(token)) from exc


def _bind(
    construction: Construction, raw: list[Token], points: tuple[str, ...], ctx: _Context, name_tok: Token
) -> tuple[str, ...]:
    """Map written arguments onto definition order (AG full, Newclid explicit, or AG short form)."""
    args = [str(t) for t in raw]
    n = construction.arity
    outputs = construction.outputs
    if len(args) == n:
        ag = dict(zip(construction.args, args, strict=True))
        if all(ag[o] in points for o in outputs):
            return tuple(args)
        if not construction.inputs and len(points) == n:
            # a pure "new points" construction (free, triangle, ...): the written names are labels only
            return points
        explicit = dict(zip(construction.explicit_order(), args, strict=True))
        if all(explicit[o] in points for o in outputs):
            return tuple(explicit[a] for a in construction.args)
        raise ctx.error(
            f"'{construction.name}' makes {len(outputs)} new point(s) ({' '.join(outputs)} in "
            f"'{construction.signature}') but none of the arguments that would be new is declared "
            f"on the left of '=' ({' '.join(points)})",
            _tok_col(name_tok),
        )
    # the short form lists inputs only: a declared new point among the arguments means a miscounted call
    short = len(args) == n - len(outputs) and not set(args) & set(points)
    if short and len(points) >= len(outputs):
        new = iter(points[: len(outputs)])
        rest = iter(args)
        return tuple(next(new) if a in outputs else next(rest) for a in construction.args)
    raise ctx.error(
        f"'{construction.name}' takes {n} arguments ('{construction.signature}') "
        f"or {n - len(outputs)} without its new points, got {len(args)}",
        _tok_col(name_tok),
    )


@dataclass(frozen=True, slots=True)
class _RawCall:
    """A construction call as written: its name and argument tokens (bound once the clause is read)."""

    name: Token
    args: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class _Main:
    """The clauses before '|' or '?'."""

    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class _Aux:
    """Newclid's auxiliary clauses, after '|'."""

    clauses: tuple[Clause, ...]


@dataclass(frozen=True, slots=True)
class _Goals:
    goals: tuple[Goal, ...]


class _ProblemReader(Transformer[Token, Problem]):
    """Turns the parse tree into a `Problem`, validating names and normalising calls as it goes.

    lark calls the rule methods depth first, left to right, i.e. in reading order: a clause's points
    and calls are read before the clause itself, and each clause before the next, so `known` holds
    exactly the points defined before the text being checked.
    """

    def __init__(self, catalogue: Catalogue, ctx: _Context) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.ctx = ctx
        self.known: set[str] = set()

    # -- rules ------------------------------------------------------------------------------------
    def start(self, parts: list[_Main | _Aux | _Goals]) -> Problem:
        clauses = next((p.clauses for p in parts if isinstance(p, _Main)), ())
        aux = next((p.clauses for p in parts if isinstance(p, _Aux)), ())
        goals = next((p.goals for p in parts if isinstance(p, _Goals)), ())
        span = SourceSpan(self.ctx.file, self.ctx.line, 1)
        return Problem(self.ctx.problem or "", clauses, goals, aux, span)

    def clauses(self, children: list[Clause]) -> _Main:
        return _Main(tuple(children))

    def aux(self, children: list[_Main]) -> _Aux:
        return _Aux(children[0].clauses if children else ())

    def goals(self, children: list[Goal]) -> _Goals:
        return _Goals(tuple(children))

    @v_args(meta=True)
    def clause(self, meta: Meta, children: list[PointDecl | _RawCall]) -> Clause:
        decls = [c for c in children if isinstance(c, PointDecl)]
        names = tuple(d.name for d in decls)
        calls: list[ConstructionCall] = []
        made: set[str] = set()
        for raw in children:
            if isinstance(raw, _RawCall):
                call, outputs = self._bind_call(raw, names)
                calls.append(call)
                made.update(outputs)
        missing = [n for n in names if n not in made]
        if missing:
            raise self.ctx.error(
                f"point(s) {' '.join(missing)} declared but not made by any construction of the clause",
                meta.column if not meta.empty else 1,
            )
        self.known.update(names)
        return Clause(tuple(decls), tuple(calls))

    def point_decl(self, children: list[Token]) -> PointDecl:
        name_tok = children[0]
        name = str(name_tok)
        if not POINT_NAME.match(name):
            message = f"bad point name {name!r} (letters, digits, '_' and \"'\")"
            raise self.ctx.error(message, _tok_col(name_tok))
        if name in self.known:
            raise self.ctx.error(f"point '{name}' is already defined", _tok_col(name_tok))
        coord = _coord(children[1], self.ctx) if len(children) > 1 else None
        return PointDecl(name, coord)

    def call(self, children: list[Token]) -> _RawCall:
        return _RawCall(children[0], tuple(children[1:]))

    def goal(self, children: list[Token]) -> Goal:
        name_tok, raw = children[0], children[1:]
        name = str(name_tok)
        shape = GOAL_PREDICATES.get(name)
        if shape is None:
            raise self.ctx.error(
                f"unknown goal predicate '{name}'",
                _tok_col(name_tok),
                suggestions=tuple(difflib.get_close_matches(name, list(GOAL_PREDICATES), n=3, cutoff=0.5)),
            )
        args = tuple(str(t) for t in raw)
        if shape.free_form:  # points of an equation: Newclid writes them in capitals (`A M * A M`)
            named = []
            for tok in raw:
                text = str(tok)
                if text[:1].isalpha() and text not in self.known:
                    if text.lower() not in self.known:
                        raise self.ctx.error(f"goal uses undefined point '{tok}'", _tok_col(tok))
                    text = text.lower()
                named.append(text)
            args = tuple(named)
        else:
            n_points = len(args) - shape.params
            too_many = shape.max_points is not None and n_points > shape.max_points
            if n_points < shape.min_points or too_many:
                exact = shape.max_points == shape.min_points
                want = str(shape.min_points) if exact else f"{shape.min_points}+"
                numbers = f" and {shape.params} number(s)" if shape.params else ""
                raise self.ctx.error(
                    f"goal '{name}' takes {want} points{numbers}, got {len(args)} arguments",
                    _tok_col(name_tok),
                )
            for tok in raw[:n_points]:
                if str(tok) not in self.known:
                    raise self.ctx.error(f"goal uses undefined point '{tok}'", _tok_col(tok))
            for tok in raw[n_points:]:
                if not NUMBER.match(str(tok)):
                    raise self.ctx.error(f"goal '{name}' expects a number, got {str(tok)!r}", _tok_col(tok))
        return Goal(name, args, self.ctx.span(_tok_col(name_tok)))

    # -- calls ------------------------------------------------------------------------------------
    def _bind_call(
        self, raw_call: _RawCall, points: tuple[str, ...]
    ) -> tuple[ConstructionCall, tuple[str, ...]]:
        name_tok, raw = raw_call.name, list(raw_call.args)
        name = str(name_tok)
        construction = self.catalogue.get(name)
        if construction is None:
            raise self.ctx.error(
                f"unknown construction '{name}'",
                _tok_col(name_tok),
                suggestions=tuple(self.catalogue.closest(name)),
            )
        args = _bind(construction, raw, points, self.ctx, name_tok)
        mapping = dict(zip(construction.args, args, strict=True))
        outputs = tuple(mapping[o] for o in construction.outputs)
        for var, value in mapping.items():
            written = [str(t) for t in raw]
            col = _tok_col(raw[written.index(value)]) if value in written else _tok_col(name_tok)
            if var in construction.params:
                if not NUMBER.match(value):
                    raise self.ctx.error(f"'{name}' expects a number for '{var}', got {value!r}", col)
            elif var not in construction.outputs and value not in self.known:
                raise self.ctx.error(f"point '{value}' is used before it is defined", col)
        span = self.ctx.span(_tok_col(name_tok))
        return ConstructionCall(name, args, span), outputs


def parse_problem(
    body: str,
    name: str = "problem",
    *,
    file: str | None = None,
    line: int = 1,
    catalogue: Catalogue | None = None,
    source_line: str | None = None,
    column_offset: int = 0,
) -> Problem:
    """Parse one problem body (the text after the name line). Raises `DslError`."""
    catalogue = catalogue or default_catalogue()
    ctx = _Context(file, name, line, column_offset, source_line if source_line is not None else body)
    try:
        tree = _parser().parse(body)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, ctx) from None
    try:
        return _ProblemReader(catalogue, ctx).transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, DslError):
            raise exc.orig_exc from None
        raise


def _orphan_name(file: str | None, name: str, line: int) -> DslError:
    return DslError("problem name with no problem body after it", SourceSpan(file, line, 1), name, name)


def iter_problems(
    text: str, file: str | None = None, catalogue: Catalogue | None = None
) -> Iterator[Problem | DslError]:
    """Each problem of a file (name line, then body line), or the error that stopped it.

    A bad problem never hides the others: its `DslError` is yielded in its place.
    """
    pending_name: tuple[str, int] | None = None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        stripped = raw_line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        # a body that lost its '=' still reads as a body (names never hold ';', ',', '?' or '|')
        body_marks = pending_name is not None and any(mark in stripped for mark in ";,?|")
        if "=" not in stripped and not body_marks:
            if pending_name is not None:
                yield _orphan_name(file, *pending_name)
            pending_name = (stripped, number)
            continue
        name = pending_name[0] if pending_name else f"line{number}"
        pending_name = None
        offset = len(raw_line) - len(raw_line.lstrip())
        try:
            yield parse_problem(
                raw_line.strip(),
                name,
                file=file,
                line=number,
                catalogue=catalogue,
                source_line=raw_line,
                column_offset=offset,
            )
        except DslError as err:
            yield err
    if pending_name is not None:
        yield _orphan_name(file, *pending_name)


def parse_text(text: str, file: str | None = None, catalogue: Catalogue | None = None) -> list[Problem]:
    """All problems of a text; raises the first `DslError`."""
    problems: list[Problem] = []
    for entry in iter_problems(text, file, catalogue):
        if isinstance(entry, DslError):
            raise entry
        problems.append(entry)
    return problems


def load_problems(path: str | Path, catalogue: Catalogue | None = None) -> list[Problem]:
    """All problems of a file; raises the first `DslError`."""
    path = Path(path)
    return parse_text(path.read_text(encoding="utf-8"), str(path), catalogue)
