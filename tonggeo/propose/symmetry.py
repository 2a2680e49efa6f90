"""Former home of statement symmetry, now `tonggeo.symmetry.exact` (one module for every exact detector);
kept as an alias while callers move."""

from tonggeo.symmetry.exact import (
    Permutation,
    goal_fact,
    map_call,
    map_fact,
    orbit_texts,
    statement_symmetries,
    symmetric_goal,
)

__all__ = ["Permutation", "goal_fact", "map_call", "map_fact", "orbit_texts", "statement_symmetries",
           "symmetric_goal"]
