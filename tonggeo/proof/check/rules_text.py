"""The checker's own reader of the rule file (`tonggeo/rules/data/rules.txt`), read as data.

One rule a line: `[id:] premise, ..., condition, ... => conclusion, ...`.  Lines without an id are
numbered `r00`, `r01`, ... in file order (AlphaGeometry's numbering); text after `#` (descriptions,
citations, `# source:` tags) is ignored, as is any line without `=>` (metadata such as `cite:` fields).
Side conditions are the predicates of `numeric.CONDITIONS`; `eqratio3 a b c d m n` stands for its three
ratio equalities; `simtri*` / `contri*` conclusions take either orientation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tonggeo.proof.check.numeric import CONDITIONS

RULE_FILE = Path(__file__).resolve().parents[2] / "rules" / "data" / "rules.txt"
"""The rule text (the checker reads the file, never the engine's rule objects)."""

_ID = re.compile(r"^([A-Za-z][\w.-]*)\s*:\s*(.*=>.*)$")
_RENAMES = {"eqangle6": "eqangle", "eqratio6": "eqratio", "simtrir": "simtri2", "contrir": "contri2"}
ORIENTED = {"simtri*": ("simtri", "simtri2"), "contri*": ("contri", "contri2")}


class RuleTextError(ValueError):
    """A rule line the checker cannot read."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """A predicate over rule variables; `constant` holds the tokens of an aconst/rconst constant."""

    name: str
    variables: tuple[str, ...]
    constant: tuple[str, ...] = ()

    def text(self) -> str:
        return " ".join((self.name, *self.variables, *self.constant))


@dataclass(frozen=True, slots=True)
class RuleText:
    """One rule as the checker reads it."""

    id: str
    premises: tuple[Pattern, ...]
    conditions: tuple[Pattern, ...]
    conclusions: tuple[Pattern, ...]

    @property
    def variables(self) -> frozenset[str]:
        patterns = (*self.premises, *self.conditions, *self.conclusions)
        return frozenset(v for p in patterns for v in p.variables)


_VALUED = {"aconst": 4, "rconst": 4, "r2const": 4}


def _pattern(text: str, where: str) -> Pattern:
    tokens = text.split()
    if not tokens:
        raise RuleTextError(f"{where}: empty predicate")
    name = _RENAMES.get(tokens[0], tokens[0])
    if name in _VALUED:
        n = _VALUED[name]
        return Pattern(name, tuple(tokens[1 : n + 1]), tuple(tokens[n + 1 :]))
    return Pattern(name, tuple(tokens[1:]))


def _eqratio3(p: Pattern) -> tuple[Pattern, ...]:
    """eqratio3 a b c d m n (AB // CD, M on AC, N on BD): MA/MC = NB/ND, MA/AC = NB/BD, MC/AC = ND/BD."""
    if len(p.variables) != 6:
        raise RuleTextError(f"eqratio3 needs 6 variables: {p.text()!r}")
    a, b, c, d, m, n = p.variables
    return (
        Pattern("eqratio", (m, a, m, c, n, b, n, d)),
        Pattern("eqratio", (m, a, a, c, n, b, b, d)),
        Pattern("eqratio", (m, c, a, c, n, d, b, d)),
    )


def parse_rule_line(body: str, rule_id: str) -> RuleText:
    left, _, right = body.partition("=>")
    premises: list[Pattern] = []
    conditions: list[Pattern] = []
    for part in left.split(","):
        if part.strip():
            p = _pattern(part, rule_id)
            (conditions if p.name in CONDITIONS else premises).append(p)
    conclusions: list[Pattern] = []
    for part in right.split(","):
        if part.strip():
            p = _pattern(part, rule_id)
            conclusions.extend(_eqratio3(p) if p.name == "eqratio3" else (p,))
    if not conclusions:
        raise RuleTextError(f"{rule_id}: no conclusion")
    return RuleText(rule_id, tuple(premises), tuple(conditions), tuple(conclusions))


def parse_rule_text(text: str) -> dict[str, RuleText]:
    """Every rule of a rule file by id."""
    rules: dict[str, RuleText] = {}
    counter = 0
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=>" not in line:
            continue
        match = _ID.match(line)
        if match:
            rule_id, body = match.group(1), match.group(2)
        else:
            rule_id, body = f"r{counter:02d}", line
            counter += 1
        if rule_id in rules:
            raise RuleTextError(f"duplicate rule id {rule_id}")
        rules[rule_id] = parse_rule_line(body, rule_id)
    return rules


@cache
def _cached(text: str) -> dict[str, RuleText]:
    return parse_rule_text(text)


def default_rules() -> dict[str, RuleText]:
    """The rules of the rule file, read afresh when the file changes."""
    return dict(_cached(RULE_FILE.read_text(encoding="utf-8")))
