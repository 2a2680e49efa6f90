"""Sampling throughput of a model through transformers: `python -m neural.lm.throughput MODEL RECORDS`
samples n completions for each of the first prompts of RECORDS (JSON lines with `prompt`) and prints
samples/s and tokens/s as JSON."""

from __future__ import annotations

import argparse
import json
import time

import torch

from neural.lm.generate import Generator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model_dir")
    parser.add_argument("records")
    parser.add_argument("--n", type=int, default=16)
    parser.add_argument("--prompts", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=40)
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    prompts = []
    with open(args.records, encoding="utf-8") as lines:
        for line in lines:
            data = json.loads(line)
            if data.get("task", "next") == "next":
                prompts.append(data["prompt"])
            if len(prompts) >= args.prompts:
                break
    generator = Generator(args.model_dir, device=args.device)
    generator.sample(prompts[0], 2, 4, 1.0, 0.95, 0, [], 0)  # warm-up
    if generator.device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    samples = tokens = 0
    for k, p in enumerate(prompts):
        out = generator.sample(p, args.n, args.max_tokens, 1.0, 0.95, 0, [], k)
        samples += len(out)
        tokens += sum(len(o["logprobs"]["tokens"]) for o in out)
    if generator.device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "model": args.model_dir,
                "device": str(generator.device),
                "prompts": len(prompts),
                "n": args.n,
                "samples": samples,
                "tokens": tokens,
                "seconds": round(seconds, 3),
                "samples_per_s": round(samples / seconds, 2),
                "tokens_per_s": round(tokens / seconds, 1),
                "threads": torch.get_num_threads(),
            }
        )
    )


if __name__ == "__main__":
    main()
