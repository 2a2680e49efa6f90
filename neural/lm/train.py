"""Training loop: a Llama-style model from scratch on (prompt, completion) JSON-line records, loss on the
completion only.  Seeded; a checkpoint (model, optimizer, scheduler, epoch, random states) after every
epoch, resumed automatically; validation loss and accuracies per epoch; the final model is saved in
Hugging Face format (safetensors, config, tokenizer) with a metrics.json."""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from transformers import LlamaForCausalLM, PreTrainedTokenizerFast

from neural.lm.configs import SIZES, TRAINING, TrainSettings, llama_config
from neural.lm.tokenizer import load_tokenizer, train_tokenizer

Example = tuple[list[int], int]
"""Token ids (<s> prompt completion </s>) and the number of prompt tokens (<s> included)."""
Progress = Callable[[str, int, int], None]
"""Called with (phase, done, total)."""


@dataclass(frozen=True, slots=True)
class Metrics:
    epoch: int
    train_loss: float
    valid_loss: float
    token_accuracy: float
    """Completion tokens predicted right (teacher forcing)."""
    first_token_accuracy: float
    """The completion's first token right: the class accuracy of a value model."""
    exact: float
    """Every completion token right."""
    seconds: float


def read_records(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                data = json.loads(line)
                out.append((str(data["prompt"]), str(data["completion"])))
                if limit is not None and len(out) >= limit:
                    break
    return out


def encode(
    tokenizer: PreTrainedTokenizerFast, records: Sequence[tuple[str, str]], max_length: int
) -> list[Example]:
    """Records as examples; those longer than `max_length` are dropped (never cut: a cut completion
    teaches the wrong end)."""
    if not records:
        return []
    prompts = tokenizer([p for p, _ in records])["input_ids"]
    completions = tokenizer([c for _, c in records], add_special_tokens=False)["input_ids"]
    eos = tokenizer.eos_token_id
    assert isinstance(eos, int)
    out = []
    for p, c in zip(prompts, completions, strict=True):
        ids = [*p, *c, eos]
        if len(ids) <= max_length:
            out.append((ids, len(p)))
    return out


def batch_tensors(batch: Sequence[Example], pad: int, device: torch.device) -> tuple[torch.Tensor, ...]:
    """input_ids, attention_mask, labels (-100 outside the completion), right-padded."""
    width = max(len(ids) for ids, _ in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, (tokens, n_prompt) in enumerate(batch):
        ids[row, : len(tokens)] = torch.tensor(tokens)
        mask[row, : len(tokens)] = 1
        labels[row, n_prompt : len(tokens)] = torch.tensor(tokens[n_prompt:])
    return ids.to(device), mask.to(device), labels.to(device)


def batches(examples: Sequence[Example], size: int, rng: random.Random | None) -> list[list[Example]]:
    """Batches of examples of similar length (shuffled buckets when `rng` is given)."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    groups = [[examples[i] for i in order[k : k + size]] for k in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(groups)
    return groups


@torch.no_grad()
def evaluate(
    model: LlamaForCausalLM, examples: Sequence[Example], size: int, pad: int, device: torch.device
) -> tuple[float, float, float, float]:
    """Mean completion-token loss, token accuracy, first-token accuracy, exact share."""
    model.eval()
    loss_sum = right = tokens = first = exact = 0.0
    for batch in batches(examples, size, None):
        ids, mask, labels = batch_tensors(batch, pad, device)
        logits = model(input_ids=ids, attention_mask=mask).logits[:, :-1].float()
        target = labels[:, 1:]
        valid = target != -100
        loss = torch.nn.functional.cross_entropy(
            logits.transpose(1, 2), target, ignore_index=-100, reduction="sum"
        )
        guess = logits.argmax(-1)
        hit = (guess == target) & valid
        loss_sum += float(loss.detach())
        right += float(hit.sum())
        tokens += float(valid.sum())
        exact += float(((hit | ~valid).all(dim=1)).sum())
        starts = valid.float().argmax(dim=1)
        rows = torch.arange(len(batch), device=device)
        first += float(hit[rows, starts].sum())
    n = max(len(examples), 1)
    return loss_sum / max(tokens, 1.0), right / max(tokens, 1.0), first / n, exact / n


def _seed(seed: int) -> random.Random:
    random.seed(seed)
    torch.manual_seed(seed)
    return random.Random(seed)


def train(
    data: Path,
    out: Path,
    config: str,
    *,
    seed: int = 0,
    settings: TrainSettings | None = None,
    limit: int | None = None,
    device: str | None = None,
    progress: Progress | None = None,
    log: Callable[[str], None] = print,
    stop_after: int | None = None,
) -> list[Metrics]:
    """Train `config` on DATA/train.jsonl (validated on DATA/valid.jsonl) into OUT; resumes from
    OUT/checkpoint if it is there; `stop_after` ends this run after that many epochs (the final model is
    then not written: run again to finish).  Returns the per-epoch metrics of this run and earlier ones."""
    size = SIZES[config]
    settings = settings or TRAINING[config]
    dev = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    rng = _seed(seed)
    train_records = read_records(data / "train.jsonl", limit)
    valid_records = read_records(data / "valid.jsonl", None if limit is None else max(limit // 10, 1))
    if not train_records:
        raise ValueError(f"{data / 'train.jsonl'}: no records")
    checkpoint = out / "checkpoint"
    resume = (checkpoint / "state.pt").exists()
    if resume:
        tokenizer = load_tokenizer(checkpoint)
        model = LlamaForCausalLM.from_pretrained(str(checkpoint), dtype=torch.float32)
    else:
        tokenizer = train_tokenizer((p + c for p, c in train_records), settings.vocab_size)
        bos, eos, pad_id = (tokenizer.get_vocab()[t] for t in ("<s>", "</s>", "<pad>"))
        model = LlamaForCausalLM(llama_config(size, len(tokenizer), bos, eos, pad_id))
    model.to(dev)  # type: ignore[arg-type]
    pad = int(tokenizer.pad_token_id or 0)
    train_set = encode(tokenizer, train_records, size.max_length)
    valid_set = encode(tokenizer, valid_records, size.max_length)
    steps_per_epoch = math.ceil(len(train_set) / settings.batch_size)
    total = steps_per_epoch * settings.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    warm = max(int(total * settings.warmup), 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, 0.5 * (1 + math.cos(math.pi * min(s / total, 1.0))))
    )
    history: list[Metrics] = []
    start_epoch = 0
    if resume:
        state = torch.load(checkpoint / "state.pt", weights_only=False)
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        start_epoch = int(state["epoch"])
        rng.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        history = [Metrics(**m) for m in state["history"]]
        log(f"resumed from {checkpoint} after epoch {start_epoch}")
    params = sum(p.numel() for p in model.parameters())
    log(
        f"{config}: {params / 1e6:.2f}M parameters, "
        f"{len(train_set)} train / {len(valid_set)} valid examples, "
        f"{settings.epochs} epochs on {dev}"
    )
    autocast = dev.type == "cuda"
    last = settings.epochs if stop_after is None else min(settings.epochs, start_epoch + stop_after)
    for epoch in range(start_epoch, last):
        began = time.monotonic()
        model.train()
        loss_sum = 0.0
        epoch_batches = batches(train_set, settings.batch_size, rng)
        for step, batch in enumerate(epoch_batches):
            inputs, mask, labels = batch_tensors(batch, pad, dev)
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=autocast):
                loss = model(input_ids=inputs, attention_mask=mask, labels=labels).loss
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            loss_sum += float(loss.detach())
            if progress is not None:
                progress(f"epoch {epoch + 1}/{settings.epochs}", step + 1, len(epoch_batches))
        valid = evaluate(model, valid_set, settings.batch_size, pad, dev)
        metrics = Metrics(
            epoch + 1, loss_sum / max(len(epoch_batches), 1), *valid, seconds=time.monotonic() - began
        )
        history.append(metrics)
        log(
            f"epoch {metrics.epoch}: train loss {metrics.train_loss:.4f}, "
            f"valid loss {metrics.valid_loss:.4f}, "
            f"token acc {metrics.token_accuracy:.3f}, first-token acc {metrics.first_token_accuracy:.3f}, "
            f"exact {metrics.exact:.3f} ({metrics.seconds:.0f} s)"
        )
        checkpoint.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(str(checkpoint))
        tokenizer.save_pretrained(str(checkpoint))
        torch.save(
            {
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "epoch": epoch + 1,
                "rng": rng.getstate(),
                "torch_rng": torch.get_rng_state(),
                "history": [asdict(m) for m in history],
            },
            checkpoint / "state.pt",
        )
    if last < settings.epochs:
        return history
    model.to("cpu")  # type: ignore[arg-type]
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    summary = {
        "config": config,
        "seed": seed,
        "parameters": params,
        "settings": asdict(settings),
        "train_examples": len(train_set),
        "valid_examples": len(valid_set),
        "train_seconds": sum(m.seconds for m in history),
        "epochs": [asdict(m) for m in history],
    }
    (out / "metrics.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return history


def with_epochs(config: str, epochs: int | None, batch_size: int | None = None) -> TrainSettings:
    settings = TRAINING[config]
    if epochs is not None:
        settings = replace(settings, epochs=epochs)
    if batch_size is not None:
        settings = replace(settings, batch_size=batch_size)
    return settings
