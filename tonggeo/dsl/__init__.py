"""The problem language: grammar-based parser, frozen AST, errors with positions, printer."""

from tonggeo.dsl.ast import Clause, ConstructionCall, Goal, PointDecl, Problem, SourceSpan
from tonggeo.dsl.errors import DslError
from tonggeo.dsl.parser import iter_problems, load_problems, parse_problem, parse_text
from tonggeo.dsl.predicates import GOAL_PREDICATES, PredicateShape

__all__ = [
    "GOAL_PREDICATES",
    "Clause",
    "ConstructionCall",
    "DslError",
    "Goal",
    "PointDecl",
    "PredicateShape",
    "Problem",
    "SourceSpan",
    "iter_problems",
    "load_problems",
    "parse_problem",
    "parse_text",
]
