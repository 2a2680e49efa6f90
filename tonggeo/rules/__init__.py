"""Deduction rules as data: records, the rule-file reader, the built-in rule set (`data/rules.txt`).

A lower layer than the engine (`tonggeo.ddar`) and the proof checker (`tonggeo.proof`), which both read it.
"""

from tonggeo.rules.model import Literal, Rule
from tonggeo.rules.parser import RuleError, load_rules, parse_rule, parse_rules

__all__ = ["Literal", "Rule", "RuleError", "load_rules", "parse_rule", "parse_rules"]
