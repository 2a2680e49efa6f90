"""The learned mirror detector against the exact one, on labelled walk statements of a proposing seed never
trained on (`tonggeo train symmetry-data --seed S`): pair precision and recall, symmetric-figure accuracy,
and time per diagram (learned: drawing + features + network; exact: drawing + saturation + involution
search, as measured when the statement was labelled).  Writes the `Symmetry` section of BENCHMARKS.md.

    python benchmarks/symmetry_bench.py --data HELD_OUT.jsonl [--model CKPT] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from tonggeo.diagram import DiagramError, build_diagram
from tonggeo.symmetry.dataset import read
from tonggeo.symmetry.detect import detect_exact
from tonggeo.symmetry.features import FeatureError, featurize
from tonggeo.symmetry.learned import DEFAULT_DETECTOR, LearnedDetector
from tonggeo.symmetry.training import Labelled, pair_metrics

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", required=True, help="held-out labelled statements")
    parser.add_argument("--model", type=Path, default=DEFAULT_DETECTOR)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--threshold", type=float, default=None, help="pair probability cut (default: model's)"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=9.5,
        help="skip statements whose exact labelling hit the saturation budget",
    )
    parser.add_argument(
        "--exact-sample",
        type=int,
        default=30,
        help="statements whose exact detection is re-timed now, beside the learned timing",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(1)
    detector = LearnedDetector.load(args.model, args.threshold)
    rng = np.random.default_rng(args.seed)
    items: list[Labelled] = []
    predicted: list[set[tuple[str, str]]] = []
    learned_s: list[float] = []
    exact_s: list[float] = []
    skipped = timed_out = 0
    for path in args.data:
        for problem, record in read(path):
            seconds = float(record["seconds"])  # type: ignore[arg-type]
            if seconds >= args.max_seconds:
                timed_out += 1
                continue
            start = time.perf_counter()
            try:
                diagram = build_diagram(problem, rng, require_goals=False)
                arrays = featurize(problem, diagram.points)
                pairs, _, _ = detector.pairs(arrays)
            except (DiagramError, FeatureError):
                skipped += 1
                continue
            learned_s.append(time.perf_counter() - start)
            exact_s.append(seconds)
            truth = frozenset(tuple(sorted(p)) for p in record["pairs"])  # type: ignore[attr-defined]
            items.append(Labelled(problem, arrays, truth, bool(record["symmetric"]), seconds))
            predicted.append(set(pairs))
    metrics = pair_metrics(predicted, items)
    retimed = []
    for it in items[: args.exact_sample]:
        start = time.perf_counter()
        detect_exact(it.problem, np.random.default_rng(args.seed), timeout=10.0)
        retimed.append(time.perf_counter() - start)
    sample_learned = statistics.mean(learned_s[: len(retimed)]) if retimed else 0.0
    speed_now = statistics.mean(retimed) / sample_learned if retimed else 0.0
    speed = statistics.mean(exact_s) / statistics.mean(learned_s) if learned_s else 0.0
    result = {
        "diagrams": len(items),
        "skipped_undrawable": skipped,
        "skipped_exact_timeout": timed_out,
        **metrics.to_json(),
        "learned_ms_mean": round(1000 * statistics.mean(learned_s), 1),
        "exact_s_mean": round(statistics.mean(exact_s), 3),
        "speedup": round(speed, 1),
        "exact_retimed_s_mean": round(statistics.mean(retimed), 3) if retimed else None,
        "speedup_retimed": round(speed_now, 1),
    }
    print(json.dumps(result))
    if args.no_write:
        return
    from benchmarks._report import replace_section

    meta = detector.meta
    command = "python benchmarks/symmetry_bench.py --data " + " ".join(str(p) for p in args.data)
    section = f"""## Symmetry

Learned mirror detector (EGNN, `tonggeo/symmetry/checkpoints/detector.pt`) against the exact detector
(saturation, then involutions of the database), on walk statements of a proposing seed never trained on.

- command: `{command}`
- machine: {platform.machine()}, 2 shared CPU cores (load from 8 engineers), torch 1 thread; date
  {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
- model: {meta.get("diagrams")} training drawings of {meta.get("statements")} statements,
  seed {meta.get("seed")}
- held-out diagrams: {len(items)} (skipped: {timed_out} whose exact labelling hit the 10 s saturation budget,
  {skipped} undrawable)

| metric | value | target |
|---|---|---|
| pair precision | {metrics.precision:.3f} ({metrics.true_positives}/{metrics.predicted}) | >= 0.95 |
| pair recall | {metrics.recall:.3f} ({metrics.true_positives}/{metrics.actual}) | >= 0.9 |
| symmetric / not, agreement | {metrics.symmetric_accuracy:.3f} | |
| time per diagram, learned (draw + features + net) | {1000 * statistics.mean(learned_s):.1f} ms | |
| time per diagram, exact (draw + saturation + search) | {statistics.mean(exact_s):.2f} s | |
| speed-up (exact timed when labelled) | {speed:.0f}x | >= 10x |
| exact re-timed now on {len(retimed)} of them, speed-up against the learned time of the same | \
{statistics.mean(retimed) if retimed else 0:.2f} s, {speed_now:.0f}x | >= 10x |

Sample size is far below the 2,000 diagrams asked: exact labelling costs seconds per statement on this
shared machine, and held-out labels had to be produced in the same session.
"""
    replace_section(ROOT / "BENCHMARKS.md", "Symmetry", section)


if __name__ == "__main__":
    main()
