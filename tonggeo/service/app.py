"""The HTTP service (`tonggeo serve`): FastAPI routes over the job store, the dispatcher and the worker
pool; the web page at `/`.  Every error is JSON `{"error", "detail"}` with a 4xx status."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from tonggeo.service.dispatch import Dispatcher
from tonggeo.service.problems import ApiError, dsl_reference, parse_request_problem, preview
from tonggeo.service.schemas import (
    Accepted,
    ErrorBody,
    FigureRequest,
    Health,
    JobPage,
    JobView,
    ParsedProblem,
    ProposeRequest,
    SolveRequest,
)
from tonggeo.service.security import BodyLimit, Limits, error_body, token_matches
from tonggeo.service.store import FINAL, STATUSES, Job, JobStore
from tonggeo.service.tasks import PolicyBackend
from tonggeo.service.workers import LocalWorkerPool, WorkerPool

PAGE = Path(__file__).parent / "page"
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 404, 409, 413, 422, 429)
}


@dataclass(frozen=True)
class ServiceConfig:
    """How a server runs: data folder, worker count, policy backend, token (None: no token, loopback
    only), limits, and the pool factory (a Ray backend passes its own)."""

    data: Path
    workers: int = 1
    backend: PolicyBackend = field(default_factory=PolicyBackend)
    token: str | None = None
    limits: Limits = field(default_factory=Limits)
    warm_workers: bool = True
    pool_factory: Callable[[int], WorkerPool] | None = field(default=None, compare=False)


def _view(job: Job) -> JobView:
    return JobView.model_validate(
        {
            "id": job.id,
            "kind": job.kind,
            "status": job.status,
            "progress": job.progress or {},
            "result": job.result,
            "problem": job.request.get("problem"),
            "name": job.request.get("name"),
            "attempts": job.attempts,
            "created": job.created,
            "finished": job.finished,
        }
    )


def _model_reachable(backend: PolicyBackend) -> bool | None:
    if backend.url is None:
        return None
    from tonggeo.lm.serving import ready

    return ready(backend.url, timeout=1.0)


def create_app(config: ServiceConfig) -> FastAPI:
    """The service over `config`; workers start with the app (its lifespan) and stop with it."""
    limits = config.limits
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = JobStore(config.data / "jobs.sqlite")
        store.recover()
        pool = (config.pool_factory or (lambda n: LocalWorkerPool(n, warm=config.warm_workers)))(
            config.workers
        )
        dispatcher = Dispatcher(store, pool, config.backend, config.data)
        dispatcher.start()
        state.update(store=store, dispatcher=dispatcher)
        try:
            yield
        finally:
            dispatcher.stop()
            store.close()

    app = FastAPI(
        title="tonggeo",
        version="1",
        lifespan=lifespan,
        description="Olympiad geometry: solve problems written in the DSL, propose new ones. Jobs "
        "survive restarts; every error is JSON {error, detail}.",
    )

    def store() -> JobStore:
        found: JobStore = state["store"]
        return found

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.error, exc.detail), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        return JSONResponse(error_body("invalid_request", detail), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}
        return JSONResponse(
            error_body(names.get(exc.status_code, "http_error"), exc.detail),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def guard(request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if path.startswith("/v1/") and not token_matches(
            config.token, {k.lower(): v for k, v in request.headers.items()}, dict(request.query_params)
        ):
            return JSONResponse(
                error_body(
                    "unauthorized",
                    "this server needs its API token: "
                    "Authorization: Bearer TOKEN (see the server's data folder)",
                ),
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return await call_next(request)

    app.add_middleware(BaseHTTPMiddleware, dispatch=guard)
    app.add_middleware(BodyLimit, limit=limits.max_body_bytes)

    def job_or_404(job_id: str) -> Job:
        job = store().get(job_id) if len(job_id) <= 64 else None
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id[:64]!r}")
        return job

    def check_queue() -> None:
        if store().counts().get("queued", 0) >= limits.max_queued:
            raise ApiError(429, "too_many_jobs", f"{limits.max_queued} jobs are waiting; try again later")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(PAGE / "index.html")

    app.mount("/static", StaticFiles(directory=PAGE), name="static")

    @app.get("/healthz", response_model=Health)
    async def healthz() -> Health:
        reachable = await asyncio.to_thread(_model_reachable, config.backend)
        return Health(
            status="ok",
            policy_backend=config.backend.name,
            model_reachable=reachable,
            workers=config.workers,
            dispatcher_alive=state["dispatcher"].alive,
            jobs=store().counts(),
        )

    @app.post("/v1/solve", status_code=202, response_model=Accepted, responses=ERRORS)
    async def solve(body: SolveRequest) -> Accepted:
        from solvers.registry import available_solvers

        if body.solver not in available_solvers():
            raise ApiError(
                400, "unknown_solver", f"solver {body.solver!r}; available: " + ", ".join(available_solvers())
            )
        if body.timeout > limits.max_timeout:
            raise ApiError(400, "budget_too_large", f"timeout is limited to {limits.max_timeout:g} s")
        live = config.backend.url is not None
        policy = body.policy or ("mixed" if live else "heuristic")
        if policy != "heuristic" and not live:
            raise ApiError(
                400,
                "policy_unavailable",
                f"policy {policy!r} needs a model, and this server has "
                "none (start it with --lm-url URL or --lm MODEL_DIR); use policy 'heuristic'",
            )
        problem = parse_request_problem(body.problem, limits)
        check_queue()
        request = {
            "problem": body.problem,
            "name": problem.name,
            "body": problem.to_text(),
            "timeout": body.timeout,
            "policy": policy,
            "seed": body.seed,
            "solver": body.solver,
        }
        job = store().create("solve", request)
        return Accepted(id=job.id, status="queued")

    @app.post("/v1/propose", status_code=202, response_model=Accepted, responses=ERRORS)
    async def propose(body: ProposeRequest) -> Accepted:
        if body.seconds > limits.max_propose_seconds:
            raise ApiError(400, "budget_too_large", f"seconds is limited to {limits.max_propose_seconds:g}")
        check_queue()
        job = store().create("propose", {"seconds": body.seconds, "seed": body.seed})
        return Accepted(id=job.id, status="queued")

    @app.post("/v1/figure", response_model=ParsedProblem, responses=ERRORS)
    async def figure(body: FigureRequest) -> ParsedProblem:
        """Parse a problem and draw it (the page's live preview); a parse error names line and column."""
        problem = parse_request_problem(body.problem, limits)
        return await asyncio.to_thread(preview, problem, body.seed)

    @app.get("/v1/dsl", responses=ERRORS)
    async def dsl() -> dict[str, Any]:
        """The DSL reference: constructions (arguments, what they state), goal predicates, examples."""
        return dsl_reference()

    @app.get("/v1/jobs", response_model=JobPage, responses=ERRORS)
    async def jobs(
        offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        status: Annotated[str | None, Query(max_length=20)] = None,
    ) -> JobPage:
        if status is not None and status not in STATUSES:
            raise ApiError(400, "unknown_status", f"status must be one of {', '.join(STATUSES)}")
        found, total = store().page(offset, limit, status)
        return JobPage(jobs=[_view(j) for j in found], total=total, offset=offset, limit=limit)

    @app.get("/v1/jobs/{job_id}", response_model=JobView, responses=ERRORS)
    async def job(job_id: str) -> JobView:
        return _view(job_or_404(job_id))

    @app.delete("/v1/jobs/{job_id}", response_model=JobView, responses=ERRORS)
    async def cancel(job_id: str) -> JobView:
        """Cancel a queued or running job (a finished job is left as it is)."""
        job_or_404(job_id)
        job = store().cancel(job_id)
        assert job is not None
        state["dispatcher"].cancel(job_id)
        return _view(job)

    @app.get("/v1/jobs/{job_id}/figure.svg", responses={**ERRORS, 200: {"content": {"image/svg+xml": {}}}})
    async def job_figure(job_id: str) -> Response:
        """The figure: with the auxiliary constructions once the job is done, else the statement alone."""
        job = job_or_404(job_id)
        svg = store().figure(job_id)
        if svg is None:
            if job.kind != "solve":
                raise ApiError(404, "no_figure", "a proposing job has no figure")
            problem = parse_request_problem(job.request["problem"], limits)
            svg = (await asyncio.to_thread(preview, problem, int(job.request["seed"]))).svg
        return Response(svg, media_type="image/svg+xml")

    @app.get("/v1/jobs/{job_id}/events", responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}})
    async def events(job_id: str) -> StreamingResponse:
        """Server-sent events: `progress` (the job, each time it changes) until one `done` (the final job)."""
        job_or_404(job_id)

        async def stream() -> AsyncIterator[str]:
            last = ""
            quiet = 0
            stop = time.monotonic() + 3600
            while time.monotonic() < stop:
                current = store().get(job_id)
                if current is None:
                    return
                text = _view(current).model_dump_json()
                if current.status in FINAL:
                    yield f"event: done\ndata: {text}\n\n"
                    return
                quiet += 1
                if text != last:
                    last, quiet = text, 0
                    yield f"event: progress\ndata: {text}\n\n"
                elif quiet >= 15:
                    quiet = 0
                    yield ": keep-alive\n\n"
                await asyncio.sleep(0.3)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    app.state.config = config
    return app
