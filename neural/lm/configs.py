"""Model and training settings of the three sizes: `tiny` (2 CPU cores, under an hour), `small` (about
25M parameters), `base` (about 1B parameters, for a GPU).  Llama-style decoder-only models."""

from __future__ import annotations

from dataclasses import dataclass

from transformers import LlamaConfig


@dataclass(frozen=True, slots=True)
class ModelSize:
    layers: int
    hidden: int
    heads: int
    intermediate: int
    max_length: int = 512


@dataclass(frozen=True, slots=True)
class TrainSettings:
    epochs: int
    batch_size: int
    lr: float
    warmup: float = 0.05
    """Share of the steps with a linear warm-up."""
    weight_decay: float = 0.01
    vocab_size: int = 1024


SIZES: dict[str, ModelSize] = {
    "tiny": ModelSize(layers=4, hidden=128, heads=4, intermediate=512),
    "small": ModelSize(layers=8, hidden=512, heads=8, intermediate=1408),
    "base": ModelSize(layers=22, hidden=2048, heads=16, intermediate=5632),
}

TRAINING: dict[str, TrainSettings] = {
    "tiny": TrainSettings(epochs=6, batch_size=32, lr=2e-3),
    "small": TrainSettings(epochs=8, batch_size=64, lr=6e-4),
    "base": TrainSettings(epochs=4, batch_size=64, lr=2e-4),
}


def llama_config(size: ModelSize, vocab_size: int, bos: int, eos: int, pad: int) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=size.hidden,
        intermediate_size=size.intermediate,
        num_hidden_layers=size.layers,
        num_attention_heads=size.heads,
        num_key_value_heads=size.heads,
        max_position_embeddings=size.max_length,
        bos_token_id=bos,
        eos_token_id=eos,
        pad_token_id=pad,
        tie_word_embeddings=True,
    )
