"""An OpenAI-compatible completions server over a transformers model (the fallback backend of
`tonggeo serve-lm` where vLLM is not installed): POST /v1/completions with n samples and per-token
log-probabilities, GET /v1/models and /health.  One lock serialises generation (one model, one device)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from neural.lm.generate import Generator


class CompletionRequest(BaseModel):
    model: str | None = None
    prompt: str | list[str]
    n: int = Field(default=1, ge=1, le=256)
    max_tokens: int = Field(default=32, ge=1, le=1024)
    temperature: float = Field(default=1.0, ge=0.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    logprobs: int | None = Field(default=None, ge=0, le=20)
    stop: str | list[str] | None = None
    seed: int | None = None


def create_app(generator: Generator) -> FastAPI:
    app = FastAPI(title="tonggeo LM (transformers)")

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/models")
    def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": generator.name, "object": "model", "owned_by": "tonggeo"}]}

    @app.post("/v1/completions")
    def completions(request: CompletionRequest) -> dict[str, Any]:
        if request.model not in (None, generator.name):
            raise HTTPException(
                404, f"model {request.model!r} not served (this server serves {generator.name!r})"
            )
        prompts = [request.prompt] if isinstance(request.prompt, str) else request.prompt
        stop = [request.stop] if isinstance(request.stop, str) else list(request.stop or [])
        choices: list[dict[str, Any]] = []
        with generator.lock:
            for p_index, text in enumerate(prompts):
                for sample in generator.sample(
                    text,
                    request.n,
                    request.max_tokens,
                    request.temperature,
                    request.top_p,
                    request.logprobs or 0,
                    stop,
                    request.seed,
                ):
                    if request.logprobs is None:
                        sample["logprobs"] = None
                    choices.append({"index": len(choices), "prompt_index": p_index, **sample})
        return {
            "id": f"cmpl-{uuid.uuid4().hex}",
            "object": "text_completion",
            "created": int(time.time()),
            "model": generator.name,
            "choices": choices,
        }

    return app


def serve(model_dir: str | Path, host: str, port: int, name: str | None = None, on_ready: Any = None) -> None:
    """Load the model and serve it until interrupted; `on_ready(url)` is called once it listens."""
    import uvicorn

    app = create_app(Generator(model_dir, name))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    if on_ready is not None:

        @app.on_event("startup")
        def _ready() -> None:
            on_ready(f"http://{host}:{port}/v1")

    server.run()


def main() -> None:
    """`python -m neural.lm.server MODEL_DIR --port P [--name NAME]`."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("model_dir")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--served-model-name", default=None)
    args = parser.parse_args()
    serve(
        args.model_dir,
        args.host,
        args.port,
        args.served_model_name,
        on_ready=lambda url: print(f"serving {args.model_dir} at {url}", flush=True),
    )


if __name__ == "__main__":
    main()
