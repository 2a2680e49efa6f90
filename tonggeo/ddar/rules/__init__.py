"""The engine's view of the rules: `tonggeo.rules` (records, reader, built-in set) re-exported, plus
`algebraic` (which rules the algebraic tables make redundant)."""

from tonggeo.rules import Literal, Rule, RuleError, load_rules, parse_rule, parse_rules

__all__ = ["Literal", "Rule", "RuleError", "load_rules", "parse_rule", "parse_rules"]
