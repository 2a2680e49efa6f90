"""Child-process entry point of the algebraic prover: `python -m solvers.algebraic.worker`.

Reads one pickled job (problem, diagram points, config, seconds) from stdin and writes pickled
`AlgebraicOutcome`s to stdout: interim ones while it works, then the final one. The parent kills the
process at its deadline and keeps the last outcome it received.
"""

from __future__ import annotations

import pickle
import sys
from typing import BinaryIO

from solvers.algebraic.polys import AlgebraTimeout, Deadline
from solvers.algebraic.prove import AlgebraicOutcome, prove
from solvers.base import SolveStatus
from tonggeo.dsl.parser import default_catalogue


def _send(stream: BinaryIO, kind: str, outcome: AlgebraicOutcome) -> None:
    pickle.dump((kind, outcome), stream)
    stream.flush()


def main() -> None:
    problem, points, config, seconds = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    deadline = Deadline.after(seconds)
    try:
        outcome = prove(
            problem, points, default_catalogue(), config, deadline, report=lambda o: _send(out, "interim", o)
        )
    except AlgebraTimeout as exc:
        outcome = AlgebraicOutcome(SolveStatus.TIMEOUT, message=f"timed out: {exc}")
    except Exception as exc:  # reported to the parent as an `error` outcome
        outcome = AlgebraicOutcome(SolveStatus.ERROR, message=f"{type(exc).__name__}: {exc}")
    _send(out, "final", outcome)


if __name__ == "__main__":
    main()
