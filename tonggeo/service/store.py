"""The service's job store: one SQLite database (WAL) under the data folder, holding every job's request,
status, progress and result, so that jobs survive a restart (or a `kill -9`) of the server.

Only the server process writes here; workers report to it.  On start, jobs found `running` (their worker
died with the old server) go back to `queued` with their attempt count kept, and run again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STATUSES = ("queued", "running", "proved", "unproved", "holds_generically", "timeout", "error", "cancelled")
FINAL = frozenset(STATUSES[2:])
KINDS = ("solve", "propose")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    progress TEXT NOT NULL DEFAULT '{}',
    result TEXT,
    figure TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    started REAL,
    finished REAL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, seq);
"""


@dataclass(frozen=True, slots=True)
class Job:
    """One job as stored: `request` as the client sent it (validated), `result` once final."""

    id: str
    seq: int
    kind: str
    status: str
    request: dict[str, Any]
    progress: dict[str, Any]
    result: dict[str, Any] | None
    attempts: int
    created: float
    started: float | None
    finished: float | None

    @property
    def final(self) -> bool:
        return self.status in FINAL


def _job(row: sqlite3.Row) -> Job:
    return Job(
        id=row["id"],
        seq=row["seq"],
        kind=row["kind"],
        status=row["status"],
        request=json.loads(row["request"]),
        progress=json.loads(row["progress"]),
        result=None if row["result"] is None else json.loads(row["result"]),
        attempts=row["attempts"],
        created=row["created"],
        started=row["started"],
        finished=row["finished"],
    )


_COLUMNS = "seq, id, kind, status, request, progress, result, attempts, created, started, finished"


class JobStore:
    """Jobs in `path` (created if missing).  Thread-safe: one connection behind a lock."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30.0)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, sql: str, args: tuple[Any, ...]) -> Job | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE {sql}", args).fetchone()
        return None if row is None else _job(row)

    def recover(self) -> list[str]:
        """Jobs left `running` by a server that died go back to `queued`; their ids, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT id FROM jobs WHERE status = 'running' ORDER BY seq").fetchall()
            self._db.execute("UPDATE jobs SET status = 'queued', progress = '{}' WHERE status = 'running'")
        return [r["id"] for r in rows]

    def create(self, kind: str, request: dict[str, Any]) -> Job:
        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        job_id = uuid.uuid4().hex
        with self._lock:
            self._db.execute(
                "INSERT INTO jobs (id, kind, status, request, created) VALUES (?, ?, 'queued', ?, ?)",
                (job_id, kind, json.dumps(request), time.time()),
            )
            job = self._one("id = ?", (job_id,))
        assert job is not None
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._one("id = ?", (job_id,))

    def figure(self, job_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT figure FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else row["figure"]

    def page(self, offset: int, limit: int, status: str | None = None) -> tuple[list[Job], int]:
        """Jobs newest first, and how many there are (of that status, if given)."""
        where, args = ("status = ?", (status,)) if status else ("1 = 1", ())
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM jobs WHERE {where}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE {where} ORDER BY seq DESC LIMIT ? OFFSET ?",
                (*args, limit, offset),
            ).fetchall()
        return [_job(r) for r in rows], int(total)

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").fetchall()
        return {r["status"]: int(r["n"]) for r in rows}

    def claim(self) -> Job | None:
        """The oldest queued job, now `running` (its attempt counted), or None."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                job = self._one("status = 'queued' ORDER BY seq LIMIT 1", ())
                if job is not None:
                    self._db.execute(
                        "UPDATE jobs SET status = 'running', attempts = attempts + 1, started = ? "
                        "WHERE id = ?",
                        (time.time(), job.id),
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return None if job is None else self.get(job.id)

    def set_progress(self, job_id: str, progress: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running'",
                (json.dumps(progress), job_id),
            )

    def finish(
        self,
        job_id: str,
        status: str,
        result: dict[str, Any],
        figure: str | None = None,
        progress: dict[str, Any] | None = None,
    ) -> bool:
        """Record a running job's final status and result; False if it was no longer running (cancelled)."""
        if status not in FINAL:
            raise ValueError(f"not a final status: {status!r}")
        with self._lock:
            cursor = self._db.execute(
                "UPDATE jobs SET status = ?, result = ?, figure = ?, finished = ?, "
                "progress = COALESCE(?, progress) WHERE id = ? AND status = 'running'",
                (
                    status,
                    json.dumps(result),
                    figure,
                    time.time(),
                    None if progress is None else json.dumps(progress),
                    job_id,
                ),
            )
        return cursor.rowcount == 1

    def cancel(self, job_id: str) -> Job | None:
        """Mark a queued or running job `cancelled` (a final job stays as it is); the job, or None."""
        with self._lock:
            self._db.execute(
                "UPDATE jobs SET status = 'cancelled', finished = ?, result = ? "
                "WHERE id = ? AND status IN ('queued', 'running')",
                (time.time(), json.dumps({"message": "cancelled by the client"}), job_id),
            )
            return self._one("id = ?", (job_id,))
