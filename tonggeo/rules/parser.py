"""Read rule files: one rule a line, `[id:] premise, premise, ... => conclusion[, conclusion ...]`.

Lines without an id are numbered in order (`r00`, `r01`, ...: AlphaGeometry's `rules.txt` keeps its
numbering); `# source: NAME` switches the recorded source of the rules that follow; text after `#` is a
comment; a comment on a rule's own line is its description.  `eqangle6`/`eqratio6` are read as
`eqangle`/`eqratio` (the 6 is a matching hint in AlphaGeometry, the fact is the same), and AlphaGeometry's
`eqratio3 a b c d m n` conclusion is expanded into the three ratio equalities it stands for.
"""

from __future__ import annotations

import re
from importlib import resources

from tonggeo.rules.model import (
    CONDITION_PREDICATES,
    FACT_PREDICATES,
    ORIENTED_CONCLUSIONS,
    Literal,
    Rule,
)

_ID = re.compile(r"^([A-Za-z][\w.-]*)\s*:\s*(.*)$")
_VALUE_PREDICATES = {"aconst": 6, "rconst": 6}
_RENAMES = {"eqangle6": "eqangle", "eqratio6": "eqratio", "simtrir": "simtri2", "contrir": "contri2"}


class RuleError(ValueError):
    """A malformed rule line."""


def _literal(text: str, where: str) -> Literal:
    tokens = text.split()
    if not tokens:
        raise RuleError(f"{where}: empty predicate")
    name = _RENAMES.get(tokens[0], tokens[0])
    args = tuple(tokens[1:])
    value = None
    if name in _VALUE_PREDICATES:
        if len(tokens) != _VALUE_PREDICATES[name]:
            raise RuleError(f"{where}: {name} needs 4 variables and a constant: {text!r}")
        args, value = args[:4], args[4]
    known = FACT_PREDICATES | CONDITION_PREDICATES | set(ORIENTED_CONCLUSIONS) | {"eqratio3"}
    if name not in known:
        raise RuleError(f"{where}: unknown predicate {tokens[0]!r}")
    return Literal(name, args, value)


def _expand_eqratio3(lit: Literal) -> tuple[Literal, ...]:
    """eqratio3 a b c d m n (ab // cd, m on ac... n on bd) -> the three ratio equalities it stands for."""
    a, b, c, d, m, n = lit.args
    return (
        Literal("eqratio", (m, a, m, c, n, b, n, d)),
        Literal("eqratio", (m, a, a, c, n, b, b, d)),
        Literal("eqratio", (m, c, a, c, n, d, b, d)),
    )


def parse_rule(line: str, rule_id: str, source: str = "alphageometry") -> Rule:
    """One rule from `premises => conclusions` (the id is given, not read)."""
    body, _, comment = line.partition("#")
    if "=>" not in body:
        raise RuleError(f"{rule_id}: a rule needs '=>': {line!r}")
    left, right = body.split("=>", 1)
    premises: list[Literal] = []
    conditions: list[Literal] = []
    for part in left.split(","):
        if part.strip():
            lit = _literal(part, rule_id)
            (conditions if lit.name in CONDITION_PREDICATES else premises).append(lit)
    conclusions: list[Literal] = []
    for part in right.split(","):
        if part.strip():
            lit = _literal(part, rule_id)
            if lit.name in CONDITION_PREDICATES:
                raise RuleError(f"{rule_id}: a side condition cannot be a conclusion: {part.strip()!r}")
            conclusions.extend(_expand_eqratio3(lit) if lit.name == "eqratio3" else (lit,))
    if not conclusions:
        raise RuleError(f"{rule_id}: no conclusion")
    rule = Rule(rule_id, tuple(premises), tuple(conditions), tuple(conclusions), comment.strip(), source)
    premise_vars = {a for lit in (*premises, *conditions) for a in lit.args}
    loose = [v for lit in conclusions for v in lit.args if v not in premise_vars]
    if loose:
        raise RuleError(f"{rule_id}: conclusion variables {sorted(set(loose))} appear in no premise")
    return rule


def parse_rules(text: str) -> tuple[Rule, ...]:
    """Every rule of a rule file, in file order, with stable ids."""
    rules: list[Rule] = []
    ids: set[str] = set()
    source = "alphageometry"
    counter = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            tag = line[1:].strip()
            if tag.startswith("source:"):
                source = tag.split(":", 1)[1].strip()
            continue
        match = _ID.match(line)
        if match and "=>" not in match.group(1):
            rule_id, line = match.group(1), match.group(2)
        else:
            rule_id = f"r{counter:02d}"
            counter += 1
        if rule_id in ids:
            raise RuleError(f"duplicate rule id {rule_id}")
        ids.add(rule_id)
        rules.append(parse_rule(line, rule_id, source))
    return tuple(rules)


def load_rules() -> tuple[Rule, ...]:
    """The built-in rules: AlphaGeometry's 43 plus tonggeo's additions (`tonggeo/rules/data/rules.txt`)."""
    path = resources.files("tonggeo.rules") / "data" / "rules.txt"
    return parse_rules(path.read_text(encoding="utf-8"))
