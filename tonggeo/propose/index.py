"""The persistent index of proposed problems (SQLite): one row per canonical key, so runs over days
never emit the same problem twice. Writers insert; worker processes may read it concurrently (WAL).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from types import TracebackType

_SCHEMA = """
CREATE TABLE IF NOT EXISTS problems (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    aux INTEGER NOT NULL,
    symmetric INTEGER NOT NULL,
    steps INTEGER NOT NULL,
    score REAL NOT NULL,
    base TEXT NOT NULL,
    run TEXT NOT NULL,
    created REAL NOT NULL
)
"""


class ProblemIndex:
    """Canonical keys of every problem emitted so far, with their text and tags."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30.0)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._db.commit()

    def __contains__(self, key: object) -> bool:
        row = self._db.execute("SELECT 1 FROM problems WHERE key = ?", (key,)).fetchone()
        return row is not None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM problems").fetchone()[0])

    def add(
        self,
        key: str,
        *,
        name: str,
        text: str,
        aux: int,
        symmetric: bool,
        steps: int,
        score: float,
        base: str,
        run: str,
    ) -> bool:
        """Insert a problem; False (nothing written) if its key is already indexed."""
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO problems VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, name, text, aux, int(symmetric), steps, score, base, run, time.time()),
        )
        self._db.commit()
        return cursor.rowcount == 1

    def keys(self) -> Iterator[str]:
        with closing(self._db.execute("SELECT key FROM problems ORDER BY created")) as cursor:
            for (key,) in cursor:
                yield str(key)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProblemIndex:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
