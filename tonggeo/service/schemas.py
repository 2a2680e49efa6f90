"""The service's request and response bodies (pydantic models; they are also the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal[
    "queued", "running", "proved", "unproved", "holds_generically", "timeout", "error", "cancelled"
]
PolicyName = Literal["heuristic", "lm", "mixed"]


class SolveRequest(BaseModel):
    """A problem in the DSL: one problem line, optionally preceded by its name line."""

    model_config = ConfigDict(extra="forbid")

    problem: str = Field(
        min_length=1,
        max_length=8000,
        examples=[
            "triangle_midlines\na b c = triangle a b c; d = midpoint d a b; e = midpoint e a c ? para d e b c"
        ],
    )
    timeout: float = Field(
        default=60.0, gt=0, description="Seconds the solver may spend (capped by the server)."
    )
    policy: PolicyName | None = Field(
        default=None,
        description="Who ranks auxiliary constructions: heuristic, lm (the model, heuristic fallback) or "
        "mixed (heuristic plus the model's). Default: mixed when the server has a model, else heuristic. "
        "lm or mixed on a server without a model is refused (400 policy_unavailable).",
    )
    seed: int = Field(
        default=0, ge=0, le=2**31 - 1, description="Seed of the diagram (as `tonggeo solve --seed`)."
    )
    solver: str = Field(default="search", max_length=40, description="A strategy of the solver registry.")


class ProposeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(default=30.0, gt=0, description="Time budget of the proposing run.")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class FigureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    problem: str = Field(min_length=1, max_length=8000)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class Accepted(BaseModel):
    id: str
    status: Status


class Progress(BaseModel):
    phase: str | None = None
    nodes: int = 0
    rounds: int = 0
    best_value: float | None = None
    elapsed: float = 0.0


class JobView(BaseModel):
    """A job: `result` is null until the job is final; for a solve it holds the proof (text and JSON),
    the auxiliary constructions, the verdict and the figure's URL.  `proved` means the independent checker
    accepted the proof; a solver verdict with no status of its own here (holds_on_drawn_component,
    refuted) ends `unproved`, with `result.verdict` saying which.  A propose job ends `proved` when it
    emitted at least one checked problem, else `unproved`."""

    id: str
    kind: Literal["solve", "propose"]
    status: Status
    progress: Progress
    result: dict[str, Any] | None
    problem: str | None = None
    name: str | None = None
    attempts: int
    created: float
    finished: float | None


class JobPage(BaseModel):
    jobs: list[JobView]
    total: int
    offset: int
    limit: int


class Health(BaseModel):
    status: Literal["ok"]
    policy_backend: str = Field(description="'heuristic' when no model is configured, else the model's URL.")
    model_reachable: bool | None
    workers: int
    dispatcher_alive: bool
    jobs: dict[str, int]


class ErrorBody(BaseModel):
    error: str
    detail: Any = None


class ParsedProblem(BaseModel):
    name: str
    points: list[str]
    clauses: int
    goals: list[str]
    svg: str
