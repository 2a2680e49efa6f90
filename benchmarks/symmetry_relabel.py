"""Label held-out symmetry records again with the current exact detector (same statements, new labels),
after a fix of the exact detector; only records whose first labelling was complete (saturation at a
fixpoint) are relabelled, the others being left out of every figure anyway.

    python benchmarks/symmetry_relabel.py SRC.jsonl ... --out-dir benchmarks/data --suffix _v2
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.progress import Progress, TaskID

from tonggeo.symmetry.dataset import relabel
from tonggeo.symmetry.training import complete


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="+", type=Path)
    parser.add_argument("--out-dir", type=Path, required=True)
    parser.add_argument("--suffix", default="_v2")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    for src in args.src:
        out = args.out_dir / f"{src.stem}{args.suffix}.jsonl"
        start = time.monotonic()
        with Progress() as bar:
            task = bar.add_task(src.name, total=None)

            def advance(k: int, n: int, task: TaskID = task) -> None:
                bar.update(task, completed=k, total=n)

            stats = relabel(src, out, args.seed, timeout=args.timeout, keep=complete, progress=advance)
        print(f"{src} -> {out}: {stats['records']} records, {stats['changed']} with other pairs, "
              f"{time.monotonic() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
