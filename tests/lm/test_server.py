"""The transformers completions server: the OpenAI completions shape vLLM answers with (n samples, one
log-probability per token, top alternatives), batches of prompts, a wrong model name refused."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from neural.lm.configs import TrainSettings
from neural.lm.generate import Generator
from neural.lm.server import create_app
from neural.lm.train import train


@pytest.fixture(scope="module")
def client(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    out = tmp_path_factory.mktemp("served")
    train(
        dataset / "value",
        out,
        "tiny",
        settings=TrainSettings(epochs=1, batch_size=8, lr=1e-3, vocab_size=300),
        log=lambda _: None,
    )
    return TestClient(create_app(Generator(out, name="value")))


def test_completions_with_samples_and_logprobs(client: TestClient) -> None:
    assert client.get("/v1/models").json()["data"][0]["id"] == "value"
    body = {
        "prompt": "value: a b = segment a b ? cong a b a b =>",
        "n": 3,
        "max_tokens": 6,
        "temperature": 1.0,
        "top_p": 0.95,
        "logprobs": 2,
        "seed": 1,
    }
    answer = client.post("/v1/completions", json=body).json()
    assert len(answer["choices"]) == 3
    for choice in answer["choices"]:
        lp = choice["logprobs"]
        assert len(lp["tokens"]) == len(lp["token_logprobs"]) == len(lp["top_logprobs"]) >= 1
        assert all(v <= 0.0 for v in lp["token_logprobs"])
        assert all(len(top) == 2 for top in lp["top_logprobs"])
        assert choice["finish_reason"] in ("stop", "length")


def test_prompt_lists_greedy_and_errors(client: TestClient) -> None:
    body = {
        "prompt": ["value: a b = segment a b ? cong a b a b =>"] * 2,
        "n": 1,
        "max_tokens": 3,
        "temperature": 0.0,
    }
    choices = client.post("/v1/completions", json=body).json()["choices"]
    assert [c["prompt_index"] for c in choices] == [0, 1]
    assert choices[0]["text"] == choices[1]["text"] and choices[0]["logprobs"] is None
    assert client.post("/v1/completions", json={**body, "model": "other"}).status_code == 404
    assert client.post("/v1/completions", json={"prompt": "x", "n": 0}).status_code == 422


def test_serve_lm_stops_its_server_on_sigterm(tmp_path: Path) -> None:
    """`kill` of `tonggeo serve-lm` (SIGTERM, not Ctrl-C) also stops the model server it started."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    from tonggeo.lm.serving import SHIPPED_VALUE, free_port

    port = free_port()
    errors = tmp_path / "serve-lm.err"
    with errors.open("wb") as sink:
        cli = subprocess.Popen(
            [sys.executable, "-c", "from tonggeo.cli import main; main()", "serve-lm", str(SHIPPED_VALUE),
             "--backend", "transformers", "--port", str(port), "--log", str(tmp_path / "server.log")],
            stdout=subprocess.PIPE, stderr=sink, text=True,
        )
    try:
        assert cli.stdout is not None
        line = cli.stdout.readline()  # printed once the server answers
        assert f"127.0.0.1:{port}" in line, line
        cli.send_signal(signal.SIGTERM)
        try:
            cli.wait(timeout=60)
        except subprocess.TimeoutExpired:  # say what serve-lm and its server were doing (a rare flake)
            raise AssertionError(
                f"serve-lm did not exit within 60 s of SIGTERM; its stderr:\n{errors.read_text()}\n"
                f"server log:\n{(tmp_path / 'server.log').read_text()[-3000:]}"
            ) from None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    break
            time.sleep(0.5)
        else:
            raise AssertionError(f"the model server still answers on port {port} after serve-lm was killed")
    finally:
        if cli.poll() is None:
            cli.kill()
