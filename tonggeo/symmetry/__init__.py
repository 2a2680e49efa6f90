"""Symmetry of problems and configurations: exact detection (statement automorphisms, involutions of a
saturated database), a featurizer of drawings for the equivariant networks of `neural`, a learned
mirror-pair detector and a learned prior over aux constructions (torch loaded only when a model is used)."""

from tonggeo.symmetry.exact import (
    Involution,
    Permutation,
    configuration_symmetries,
    goal_fact,
    is_configuration_symmetry,
    map_call,
    map_fact,
    mirror_clause,
    orbit_texts,
    statement_symmetries,
    swapped_pairs,
    symmetric_goal,
)

__all__ = [
    "Involution",
    "Permutation",
    "configuration_symmetries",
    "goal_fact",
    "is_configuration_symmetry",
    "map_call",
    "map_fact",
    "mirror_clause",
    "orbit_texts",
    "statement_symmetries",
    "swapped_pairs",
    "symmetric_goal",
]
