"""Sampling from a trained model with transformers: n completions of a prompt with the log-probability
of every sampled token (of the model's distribution, before temperature) and the top alternatives."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import torch
from transformers import LlamaForCausalLM, PreTrainedTokenizerFast

from neural.lm.tokenizer import load_tokenizer


class Generator:
    """A loaded model and tokenizer, and sampling with log-probabilities."""

    def __init__(self, model_dir: str | Path, name: str | None = None, device: str | None = None) -> None:
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.tokenizer: PreTrainedTokenizerFast = load_tokenizer(model_dir)
        model = LlamaForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32)
        self.model = model.to(self.device).eval()  # type: ignore[arg-type]
        self.name = name or str(model_dir)
        self.max_length = int(self.model.config.max_position_embeddings)
        self.lock = threading.Lock()

    @torch.no_grad()
    def sample(
        self,
        prompt: str,
        n: int,
        max_tokens: int,
        temperature: float,
        top_p: float,
        top_logprobs: int,
        stop: list[str],
        seed: int | None,
    ) -> list[dict[str, Any]]:
        """n completions of `prompt`: text, tokens, their log-probabilities (of the model's distribution,
        before temperature), top alternatives, finish reason."""
        tok = self.tokenizer
        ids = tok(prompt, return_tensors="pt")["input_ids"].to(self.device)
        budget = max(min(max_tokens, self.max_length - ids.shape[1]), 0)
        eos = tok.eos_token_id
        generator = torch.Generator(device=self.device)
        generator.manual_seed(seed if seed is not None else int(time.time_ns() % (2**31)))
        sequences = ids.repeat(n, 1)
        alive = torch.ones(n, dtype=torch.bool, device=self.device)
        chosen: list[list[int]] = [[] for _ in range(n)]
        logps: list[list[float]] = [[] for _ in range(n)]
        tops: list[list[dict[str, float]]] = [[] for _ in range(n)]
        past = None
        cache_key = "cache"
        step_input = sequences
        for _ in range(budget):
            # recent transformers name the key-value cache `cache` (in and out), earlier ones
            # `past_key_values`: pass it back under the name the model returned it
            extra: dict[str, Any] = {} if past is None else {cache_key: past}
            out = self.model(input_ids=step_input, use_cache=True, **extra)
            cache_key = "cache" if "cache" in out else "past_key_values"
            past = out[cache_key]
            logits = out.logits[:, -1].float()
            logprob = torch.log_softmax(logits, dim=-1)
            if temperature == 0.0:
                token = logits.argmax(-1)
            else:
                probs = torch.softmax(logits / temperature, dim=-1)
                if top_p < 1.0:
                    sorted_p, order = probs.sort(dim=-1, descending=True)
                    keep = sorted_p.cumsum(-1) - sorted_p < top_p
                    sorted_p = sorted_p * keep
                    probs = torch.zeros_like(probs).scatter(-1, order, sorted_p)
                token = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
            for row in range(n):
                if not alive[row]:
                    continue
                t = int(token[row])
                chosen[row].append(t)
                logps[row].append(float(logprob[row, t]))
                if top_logprobs:
                    values, indices = logprob[row].topk(top_logprobs)
                    tops[row].append(
                        {str(tok.decode([int(i)])): float(v) for v, i in zip(values, indices, strict=True)}
                    )
                if t == eos:
                    alive[row] = False
            if not alive.any():
                break
            step_input = token.unsqueeze(-1)
        results = []
        for row in range(n):
            tokens = chosen[row]
            finish = "stop" if tokens and tokens[-1] == eos else "length"
            body = tokens[:-1] if finish == "stop" else tokens
            text = tok.decode(body)
            for s in stop:
                if s and s in text:
                    text, finish = text[: text.index(s)], "stop"
            results.append(
                {
                    "text": text,
                    "finish_reason": finish,
                    "logprobs": {
                        "tokens": [tok.decode([t]) for t in tokens],
                        "token_logprobs": logps[row],
                        "top_logprobs": tops[row] if top_logprobs else None,
                    },
                }
            )
        return results
