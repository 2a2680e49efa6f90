"""Learned guidance against the heuristics, on the synthetic test split of `tonggeo train data`:

- first-aux hit rate: the proof's first auxiliary clause (equal up to renaming its new points) among the
  policy's top 1 and top 8 (heuristic: `HeuristicPolicy.rank`; model: distinct parsed samples ranked by
  mean log-probability - lambda x value);
- proved within k: the share of problems DDAR proves once one of the policy's first k clauses is added;
- search at equal budget: `mixed` against `heuristic` (`--search-seconds` per problem, 1 worker);
- throughput: samples/s through the transformers server and through vLLM (when `.venv-vllm` exists).

    python benchmarks/lm_bench.py --data DATA --policy models/policy --value models/value [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _node(problem: Any) -> Any:
    from solvers.search.node import SearchState
    from tonggeo.ddar import initial_state
    from tonggeo.ddar.premises import split_goals

    goals, _ = split_goals(problem.goals)
    return SearchState(initial_state(problem, np.random.default_rng(0)), (), tuple(goals))


def _proves(problem: Any, clause: Any, seconds: float) -> bool:
    from solvers.ddar import solve
    from tonggeo.dsl.ast import Problem

    trial = Problem(problem.name, (*problem.clauses, clause), problem.goals)
    return solve(trial, timeout=seconds, rng=np.random.default_rng(0)).status == "proved"


def hit_rates(
    problems: list[Any], lm_url: str, value_url: str | None, samples: int, ddar_seconds: float,
    others: dict[str, tuple[str, str | None]] | None = None,
) -> dict[str, Any]:
    """First-aux hits in the top 1 / top 8 and proved with the 1st / within the first 8 clauses, for the
    heuristic, the model, and `others` (name -> policy URL, value URL: e.g. the previous model); each
    clause is proved once per problem (the lists share DDAR runs), and a list stops at its first clause
    that proves."""
    from rich.progress import track

    from solvers.search.expand import renamed
    from solvers.search.policy import HeuristicPolicy
    from tonggeo.dsl.ast import Problem
    from tonggeo.lm.client import ModelServerError
    from tonggeo.lm.format import clause_key
    from tonggeo.lm.proposer import CALLS, FAILED, UNUSABLE, CallCounts, LMSettings, ModelProposer

    heuristic = HeuristicPolicy()
    counts = CallCounts()
    urls = {"model": (lm_url, value_url), **(others or {})}
    models = {
        name: ModelProposer(LMSettings(url=u, value_url=v, samples=samples, timeout=300), counts)
        for name, (u, v) in urls.items()
    }
    tally = {name: {"top1": 0, "top8": 0, "proved1": 0, "proved8": 0} for name in ("heuristic", *models)}
    per_problem = []
    for problem in track(problems, description="first-aux hits"):
        bare = Problem(problem.name, problem.clauses, problem.goals)
        node = _node(bare)
        target = clause_key(problem.aux[0])
        ranked = {"heuristic": [r.clause for r in heuristic.rank(node, 8, np.random.default_rng(0))]}
        for name, model in models.items():
            counts.add(CALLS)
            try:
                ranked[name] = [p.clause for p in model.proposals(bare)][:8]
            except ModelServerError:
                counts.add(FAILED)
                ranked[name] = []
            if not ranked[name]:
                counts.add(UNUSABLE)
        cache: dict[str, bool] = {}
        row: dict[str, Any] = {"name": problem.name}
        for name, clauses in ranked.items():
            keys = [clause_key(c) for c in clauses]
            tally[name]["top1"] += target in keys[:1]
            tally[name]["top8"] += target in keys[:8]
            first = None
            for k, (key, clause) in enumerate(zip(keys[:8], clauses[:8], strict=True)):
                if key not in cache:
                    cache[key] = _proves(bare, renamed(clause, node.state.diagram.points), ddar_seconds)
                if cache[key]:
                    first = k
                    break
            tally[name]["proved1"] += first == 0
            tally[name]["proved8"] += first is not None
            row[name] = {"hit": keys.index(target) if target in keys else None, "proved_at": first}
        per_problem.append(row)
    return {
        "problems": len(problems),
        **tally,
        "model_calls": [counts.calls, counts.failed, counts.unusable],
        "per_problem": per_problem,
    }


def search_compare(problems: list[Any], lm_url: str, value_url: str | None, seconds: float) -> dict[str, Any]:
    from solvers import Budget
    from solvers.registry import SolverOptions, get_solver
    from solvers.search.lm_policy import LMSettings, learned_policy
    from tonggeo.dsl.ast import Problem

    out: dict[str, Any] = {}
    for kind in ("heuristic", "mixed"):
        proved = 0
        calls = None
        for problem in problems:
            bare = Problem(problem.name, problem.clauses, problem.goals)
            if kind == "heuristic":
                solver = get_solver("search")
            else:
                policy, model = learned_policy(kind, LMSettings(url=lm_url, value_url=value_url, timeout=60))
                solver = get_solver("search", SolverOptions(policy=policy))
                calls = model.counts
            result = solver.solve(bare, Budget(seconds=seconds, jobs=1), np.random.default_rng(0))
            proved += result.status.value == "proved"
        out[kind] = {"proved": proved, "problems": len(problems)}
        if calls is not None:
            out[kind]["model_calls_last_problem"] = [calls.calls, calls.failed, calls.unusable]
    return out


def throughput(url: str, prompts: list[str], n: int) -> dict[str, float]:
    start = time.perf_counter()
    samples = tokens = 0
    for p in prompts:
        body = {"prompt": p, "n": n, "max_tokens": 40, "temperature": 1.0, "top_p": 0.95, "logprobs": 1}
        request = urllib.request.Request(
            url + "/completions", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            choices = json.loads(response.read())["choices"]
        samples += len(choices)
        tokens += sum(len(c["logprobs"]["token_logprobs"]) for c in choices)
    seconds = time.perf_counter() - start
    return {
        "samples": samples,
        "seconds": round(seconds, 2),
        "samples_per_s": round(samples / seconds, 2),
        "tokens_per_s": round(tokens / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="Dataset folder (tonggeo train data).")
    parser.add_argument("--policy", type=Path, default=ROOT / "models" / "policy")
    parser.add_argument("--value", type=Path, default=ROOT / "models" / "value")
    parser.add_argument("--limit", type=int, default=50, help="Test problems at most.")
    parser.add_argument("--samples", type=int, default=32)
    parser.add_argument("--search-problems", type=int, default=5)
    parser.add_argument("--search-seconds", type=float, default=30.0)
    parser.add_argument("--ddar-seconds", type=float, default=20.0)
    parser.add_argument("--vllm", action="store_true", help="Also measure throughput through vLLM.")
    parser.add_argument("--write", action="store_true", help="Write the section of BENCHMARKS.md.")
    parser.add_argument("--previous", type=Path, default=None,
                        help="Another policy folder (with value/ beside it if any) to compare hits with.")
    parser.add_argument("--previous-value", type=Path, default=None)
    parser.add_argument("--parts", default="hits,speed,search",
                        help="Comma-separated parts to run: hits, speed, search (default all).")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    parts = set(args.parts.split(","))

    from tonggeo.dsl import load_problems
    from tonggeo.lm.serving import start

    problems = [p for p in load_problems(args.data / "test_problems.txt") if p.aux][: args.limit]
    prompts = [
        json.loads(line)["prompt"]
        for line in (args.data / "policy" / "test.jsonl").open()
        if json.loads(line)["task"] == "next"
    ][:8]
    policy = start(args.policy, "transformers", name="policy")
    value = start(args.value, "transformers", name="value") if (args.value / "config.json").exists() else None
    value_url = value.url if value is not None else None
    previous = start(args.previous, "transformers", name="previous") if args.previous else None
    previous_value = (
        start(args.previous_value, "transformers", name="previous-value") if args.previous_value else None
    )
    previous_value_url = previous_value.url if previous_value is not None else None
    others = {} if previous is None else {"previous": (previous.url, previous_value_url)}
    hits: dict[str, Any] = {}
    speed: dict[str, Any] = {}
    search: dict[str, Any] = {}
    try:
        if "hits" in parts:
            hits = hit_rates(problems, policy.url, value_url, args.samples, args.ddar_seconds, others)
            print(json.dumps({k: v for k, v in hits.items() if k != "per_problem"}), flush=True)
        if "speed" in parts:
            speed = {"transformers": throughput(policy.url, prompts, 16)}
            print(json.dumps(speed), flush=True)
        if "search" in parts:
            chosen = problems[: args.search_problems]
            search = search_compare(chosen, policy.url, value_url, args.search_seconds)
            print(json.dumps(search), flush=True)
    finally:
        for server in (policy, value, previous, previous_value):
            if server is not None:
                server.stop()
    if args.json is not None:
        args.json.write_text(json.dumps({"hits": hits, "speed": speed, "search": search}, indent=1))
    if args.vllm:
        server = start(args.policy, "vllm", name="policy")
        try:
            throughput(server.url, prompts[:1], 4)  # warm-up
            speed["vllm"] = throughput(server.url, prompts, 16)
        finally:
            server.stop()
        print(json.dumps(speed), flush=True)
    if args.write:
        write(args, hits, speed, search)


def write(
    args: argparse.Namespace, hits: dict[str, Any], speed: dict[str, Any], search: dict[str, Any]
) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _report import replace_section

    n = hits["problems"]
    stats = json.loads((args.data / "stats.json").read_text())
    metrics = {
        k: json.loads((p / "metrics.json").read_text())
        for k, p in (("policy", args.policy), ("value", args.value))
        if (p / "metrics.json").exists()
    }

    def pct(k: int) -> str:
        return f"{k}/{n} ({100 * k / max(n, 1):.0f}%)"

    lines = [
        "## Learned guidance (policy and value models)",
        "",
        f"`python benchmarks/lm_bench.py --data {args.data} --samples {args.samples} "
        f"--search-problems {args.search_problems} --search-seconds {args.search_seconds:g}"
        f"{' --vllm' if args.vllm else ''} --write` on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} cores shared with other work, {platform.machine()}), "
        f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        "Dataset (`tonggeo train data`; problems / with aux / records):",
        "",
        "| split | problems | with aux | next | rest | value | goal kinds | aux counts |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split in ("train", "valid", "test"):
        s = stats[split]
        r = s["records"]
        lines.append(
            f"| {split} | {s['problems']} | {s['aux_problems']} | {r.get('next', 0)} | {r.get('rest', 0)} "
            f"| {r.get('value', 0)} | {s['goal_kinds']} | {s['aux_counts']} |"
        )
    lines += [
        "",
        "Models (validation metrics of the shipped models, `models/*/metrics.json`):",
        "",
        "| model | config | parameters | train examples | epochs | valid loss | token acc | first-token acc |"
        " train s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in metrics.items():
        last = m["epochs"][-1]
        lines.append(
            f"| {name} | {m['config']} | {m['parameters'] / 1e6:.2f}M | {m['train_examples']} | "
            f"{last['epoch']} | {last['valid_loss']:.3f} | {last['token_accuracy']:.3f} | "
            f"{last['first_token_accuracy']:.3f} | {m['train_seconds']:.0f} |"
        )
    h, mo = hits["heuristic"], hits["model"]
    lines += [
        "",
        f"First aux clause of the test split ({n} aux problems; model: {args.samples} samples, "
        "temperature 1, top-p 0.95):",
        "",
        "| policy | top-1 hit | top-8 hit | proved with its 1st clause | proved within 8 |",
        "|---|---|---|---|---|",
        f"| heuristic | {pct(h['top1'])} | {pct(h['top8'])} | {pct(h['proved1'])} | {pct(h['proved8'])} |",
        f"| model | {pct(mo['top1'])} | {pct(mo['top8'])} | {pct(mo['proved1'])} | {pct(mo['proved8'])} |",
        "",
        f"Model calls (calls, failed, unusable): {hits['model_calls']}.",
        "",
        f"Search at equal budget ({args.search_seconds:g} s per problem, 1 worker, first "
        f"{search['heuristic']['problems']} test problems): heuristic {search['heuristic']['proved']}, "
        f"mixed {search['mixed']['proved']} proved.",
        "",
        "Sampling throughput of the shipped policy on this CPU (16 samples per prompt, up to 40 tokens):",
        "",
    ]
    for backend, s in speed.items():
        lines.append(
            f"- {backend}: {s['samples_per_s']} samples/s, {s['tokens_per_s']} tokens/s "
            f"({s['samples']} samples in {s['seconds']} s)"
        )
    replace_section(
        ROOT / "BENCHMARKS.md", "Learned guidance (policy and value models)", "\n".join(lines) + "\n"
    )


if __name__ == "__main__":
    main()
