"""The one HTTP client of the models (OpenAI-compatible /v1/completions, vLLM or the transformers
backend), shared by search's policies and proposing's walk ranker: standard library only, no torch."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class ModelServerError(RuntimeError):
    """The endpoint could not be reached, or answered something that is not a completion."""


def complete(url: str, body: dict[str, Any], timeout: float) -> list[dict[str, Any]]:
    """POST {url}/completions; the choices.  Raises ModelServerError."""
    request = urllib.request.Request(
        url.rstrip("/") + "/completions",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8"))
        choices = data["choices"]
        if not isinstance(choices, list):
            raise TypeError("choices is not a list")
        return [c for c in choices if isinstance(c, dict)]
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelServerError(f"{url}: {type(exc).__name__}: {exc}") from exc
