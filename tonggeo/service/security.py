"""The service's guards: the API token (required off loopback), limits on requests and problems, and a
body-size cap enforced before the body is read."""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_FILE = "api-token"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may ask for."""

    max_body_bytes: int = 64 * 1024
    max_problem_chars: int = 8000
    max_points: int = 40
    max_clauses: int = 40
    max_goals: int = 4
    max_timeout: float = 600.0
    max_propose_seconds: float = 600.0
    max_page: int = 100
    max_queued: int = 10_000
    """Jobs waiting at once; beyond, submissions get 429."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def load_or_create_token(data: Path) -> tuple[str, bool]:
    """The API token kept in `data/api-token` (mode 600), created on first use; and whether it is new."""
    path = data / TOKEN_FILE
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token, False
    data.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    return token, True


def token_matches(expected: str | None, headers: dict[str, str], query: dict[str, str]) -> bool:
    """No token configured: anyone (loopback only).  Else `Authorization: Bearer T`, `X-API-Key: T` or
    `?token=T` (for EventSource and links, which cannot set headers)."""
    if expected is None:
        return True
    given = headers.get("x-api-key") or query.get("token") or ""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return secrets.compare_digest(given.encode(), expected.encode())


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a body over `limit` bytes is answered 413 with a JSON error, unread."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"error": "request_too_large", "detail": f"the request body is limited to {self.limit} bytes"}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await self._refuse(send)


def error_body(error: str, detail: Any = None) -> dict[str, Any]:
    return {"error": error, "detail": detail}
