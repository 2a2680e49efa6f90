"""What an attempt to prove a problem ends with: `SolveStatus` and `SolveResult`, the one result every
prover returns (the DDAR solve `solvers.ddar.solve` and every strategy of `solvers`, which re-exports
both). It sits with the proofs, below the engine, so the engine and proposing (below `solvers`) return
and read the same record the registry, the CLI and the service do."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from tonggeo.proof.model import Proof


class SolveStatus(StrEnum):
    """How an attempt ended.

    `proved`: a checked synthetic proof exists; it is the only status that counts as solved.
    `holds_generically`: an algebraic method shows the goal follows from the hypotheses under stated
    non-degeneracy conditions, with no choice made by the diagram (no synthetic proof).
    `holds_on_drawn_component`: as holds_generically, but only on the component of the hypotheses the
    diagram picked (a factor, a root of a quadratic, a hypothesis dropped as implied numerically): the
    goal may be false on another component (the other intersection, the external bisector).
    `refuted`: the goal is false in a faithful numeric diagram. `unproved`: the strategy gave up within
    budget. `timeout`: the budget ran out. `error`: the strategy could not run on this problem.
    """

    PROVED = "proved"
    HOLDS_GENERICALLY = "holds_generically"
    HOLDS_ON_DRAWN_COMPONENT = "holds_on_drawn_component"
    UNPROVED = "unproved"
    TIMEOUT = "timeout"
    ERROR = "error"
    REFUTED = "refuted"

    @property
    def is_success(self) -> bool:
        """Solved: a checked synthetic proof (an algebraic verdict is reported, never counted)."""
        return self is SolveStatus.PROVED

    @property
    def holds_algebraically(self) -> bool:
        """An algebraic verdict that the goal holds (generically, or on the diagram's component)."""
        return self in (SolveStatus.HOLDS_GENERICALLY, SolveStatus.HOLDS_ON_DRAWN_COMPONENT)


@dataclass(frozen=True, slots=True)
class SolveResult:
    """The outcome of one solver run.

    `proof_text` / `proof_json` hold a synthetic proof (JSON as text, so the record stays hashable) or
    None; `aux` lists the auxiliary constructions used, as DSL clause text; `conditions` lists the
    non-degeneracy conditions an algebraic result depends on (with their value at the diagram);
    `choices` lists what the diagram chose for an algebraic result (a factor, a root, a dropped
    hypothesis): non-empty exactly for `holds_on_drawn_component`; `message` explains the status.

    What only the DDAR engine knows rides along, outside `to_json`: `proof` (the checked `Proof` object,
    set by `solvers.ddar.solve` exactly when it proved; outside equality), `steps` (its rule steps),
    `facts` (records in the saturated database) and `saturation_seconds`.
    """

    status: SolveStatus
    seconds: float
    solver: str = ""
    proof_text: str | None = None
    proof_json: str | None = None
    aux: tuple[str, ...] = ()
    nodes: int = 0
    conditions: tuple[str, ...] = ()
    message: str = ""
    choices: tuple[str, ...] = ()
    proof: Proof | None = field(default=None, compare=False, repr=False)
    steps: int = 0
    facts: int = 0
    saturation_seconds: float = 0.0

    @property
    def solved(self) -> bool:
        return self.status.is_success

    def to_json(self) -> str:
        """The result as one JSON object (the proof JSON, if any, embedded as a value)."""
        payload = {
            "status": self.status.value,
            "solver": self.solver,
            "seconds": round(self.seconds, 4),
            "aux": list(self.aux),
            "nodes": self.nodes,
            "conditions": list(self.conditions),
            "choices": list(self.choices),
            "message": self.message,
            "proof_text": self.proof_text,
            "proof": None if self.proof_json is None else json.loads(self.proof_json),
        }
        return json.dumps(payload)
