"""The construction catalogue (constructions as data) and its numeric realisation."""

from tonggeo.constructions.catalogue import (
    Catalogue,
    CatalogueError,
    default_catalogue,
    load_catalogue,
    parse_definitions,
)
from tonggeo.constructions.model import Construction, FactGroup, PredicateTemplate, SketchStep

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Construction",
    "FactGroup",
    "PredicateTemplate",
    "SketchStep",
    "default_catalogue",
    "load_catalogue",
    "parse_definitions",
]
