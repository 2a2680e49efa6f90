"""Training a tiny model on the fixture dataset: Hugging Face folder that transformers reloads, metrics
per epoch, seeded runs agree, and a run resumed from its checkpoint ends where an unbroken run ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from neural.lm.configs import TrainSettings  # noqa: E402
from neural.lm.train import train  # noqa: E402

SETTINGS = TrainSettings(epochs=2, batch_size=4, lr=2e-3, vocab_size=320)


def _run(dataset: Path, out: Path, stop_after: int | None = None) -> float:
    history = train(
        dataset / "policy", out, "tiny", seed=3, settings=SETTINGS, log=lambda _: None, stop_after=stop_after
    )
    return history[-1].valid_loss


def test_saved_model_reloads_and_generates(dataset: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _run(dataset, tmp_path / "m")
    for name in ("model.safetensors", "config.json", "tokenizer.json", "metrics.json"):
        assert (tmp_path / "m" / name).exists(), name
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text())
    assert [e["epoch"] for e in metrics["epochs"]] == [1, 2]
    assert all(0.0 <= e["token_accuracy"] <= 1.0 for e in metrics["epochs"])
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path / "m"))
    model = AutoModelForCausalLM.from_pretrained(str(tmp_path / "m"))
    ids = tokenizer("next: a b = segment a b ? cong a b a b =>", return_tensors="pt")["input_ids"]
    assert int(ids[0, 0]) == tokenizer.bos_token_id
    out = model.generate(ids, max_new_tokens=5, do_sample=False)
    assert out.shape[1] > ids.shape[1]


def test_seeded_and_resumable(dataset: Path, tmp_path: Path) -> None:
    straight = _run(dataset, tmp_path / "a")
    assert _run(dataset, tmp_path / "b") == pytest.approx(straight, rel=1e-5)
    _run(dataset, tmp_path / "c", stop_after=1)
    assert (tmp_path / "c" / "checkpoint" / "state.pt").exists()
    assert not (tmp_path / "c" / "model.safetensors").exists()
    resumed = _run(dataset, tmp_path / "c")
    assert resumed == pytest.approx(straight, rel=1e-4)
