"""Candidate constructions on a diagram, and what they rest on: each construction's numeric profile (are its
new points fixed by its inputs, which argument permutations give the same construction; found by drawing
it), the lines and circles a figure draws, and the enumeration of the clauses worth adding to a figure.

This package realises clauses on diagrams, so it sits above `tonggeo.diagram` (the catalogue it reads,
`tonggeo.constructions`, sits below `tonggeo.dsl`).
"""
