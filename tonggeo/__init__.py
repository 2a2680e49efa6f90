"""tonggeo: solve and propose olympiad geometry problems."""

__version__ = "0.1.0"
