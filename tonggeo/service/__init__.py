"""`tonggeo serve`: the search service.  Jobs in SQLite (`store`), run by a worker pool (`workers`, behind
the `WorkerPool` interface), over FastAPI routes (`app`) with a web page (`page/`)."""

from tonggeo.service.app import ServiceConfig, create_app
from tonggeo.service.workers import LocalWorkerPool, WorkerPool

__all__ = ["LocalWorkerPool", "ServiceConfig", "WorkerPool", "create_app"]
