"""Deduction rules as data: records, the rule-file reader, the built-in rule set."""

from tonggeo.ddar.rules.model import Literal, Rule
from tonggeo.ddar.rules.parser import RuleError, load_rules, parse_rule, parse_rules

__all__ = ["Literal", "Rule", "RuleError", "load_rules", "parse_rule", "parse_rules"]
