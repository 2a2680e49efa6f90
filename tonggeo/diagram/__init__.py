"""Numeric diagrams: building coordinates for a problem, and checking predicates on them."""

from tonggeo.diagram.build import build_diagram, chiral, extend_diagram, realise_clause
from tonggeo.diagram.checks import PredicateError, check_complex, check_goal, check_predicate
from tonggeo.diagram.model import Diagram, DiagramError, Locus

__all__ = [
    "Diagram",
    "DiagramError",
    "Locus",
    "PredicateError",
    "build_diagram",
    "check_complex",
    "check_goal",
    "check_predicate",
    "chiral",
    "extend_diagram",
    "realise_clause",
]
