"""Deductive database and algebraic reasoning (DDAR)."""
