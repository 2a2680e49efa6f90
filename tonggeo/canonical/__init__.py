"""Canonical form of a problem statement: one key for every statement equal up to renaming points and
reordering independent clauses, and the statement's automorphisms (label permutations mapping it to
itself).  Proposing dedups problems by the key; `tonggeo.symmetry` reads statement symmetries off the
automorphisms.  It reads each construction's argument symmetries from `tonggeo.candidates.profile`."""

from tonggeo.canonical.form import CanonicalError, CanonicalForm, canonical_form, problem_key

__all__ = ["CanonicalError", "CanonicalForm", "canonical_form", "problem_key"]
