"""The `tonggeo` command line: one click group, one module per subcommand."""

from __future__ import annotations

import click

from tonggeo import __version__
from tonggeo.cli.check import check
from tonggeo.cli.draw import draw
from tonggeo.cli.propose import propose
from tonggeo.cli.serve import serve
from tonggeo.cli.serve_lm import serve_lm
from tonggeo.cli.solve import solve
from tonggeo.cli.symmetry import symmetry
from tonggeo.cli.train import train


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="tonggeo")
def main() -> None:
    """Parse, check, draw and solve olympiad geometry problems written in the AlphaGeometry/Newclid DSL."""


main.add_command(check)
main.add_command(draw)
main.add_command(solve)
main.add_command(propose)
main.add_command(train)
main.add_command(symmetry)
main.add_command(serve_lm)
main.add_command(serve)

__all__ = ["main"]
