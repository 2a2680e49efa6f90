"""Child benchmark: the deductive share of a search child, on problems/newclid/ states (never the exam
sets).  For each saturated statement, the same seeded auxiliary constructions (midpoint, foot, mirror,
circumcentre, orthocentre, square, perpendicular, incentre over existing points) are each drawn on a
copy of the parent and saturated from the parent's database, as a search worker does: the parent is
shipped through pickle, forked by `State.extend`, and saturated to its fixpoint.  Reports children per
CPU-second of that work (no ranking, no proof search), so trees of different dates are compared on
identical inputs.

    python benchmarks/child_bench.py --limit 8 --children 6
"""

from __future__ import annotations

import argparse
import copyreg
import json
import pickle
import sys
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tonggeo.config import DEFAULT_DDAR  # noqa: E402
from tonggeo.ddar.rules import load_rules  # noqa: E402
from tonggeo.ddar.saturate import Saturator, plans_for  # noqa: E402
from tonggeo.ddar.state import State, initial_state  # noqa: E402
from tonggeo.dsl import load_problems, parse_problem  # noqa: E402

STEPS = (("midpoint", 2), ("foot", 3), ("mirror", 2), ("circle", 3), ("orthocenter", 3), ("nsquare", 2),
         ("on_tline", 3), ("incenter", 3))
EXAM_NAMES = ("imo_",)
"""Problems of large_examples.txt that are IMO-AG-30 problems (the exam): left out."""


def _proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


copyreg.pickle(MappingProxyType, _reduce_proxy)  # diagrams keep coordinates in mapping proxies


def clauses_for(state: State, count: int, seed: int) -> list[str]:
    """`count` seeded construction texts over the state's points, each naming one fresh point."""
    rng = np.random.default_rng(seed)
    points = list(state.diagram.points)
    fresh = next(f"x{i}" for i in range(1000) if f"x{i}" not in points)
    out = []
    for _ in range(count):
        name, arity = STEPS[int(rng.integers(len(STEPS)))]
        args = [points[i] for i in rng.choice(len(points), size=arity, replace=False)]
        out.append(f"{fresh} = {name} {fresh} {' '.join(args)}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", type=Path, default=Path("problems/newclid/large_examples.txt"))
    parser.add_argument("--limit", type=int, default=8, help="saturated statements (the first that draw)")
    parser.add_argument("--children", type=int, default=6, help="children tried per statement")
    parser.add_argument("--seconds", type=float, default=60.0, help="saturation budget per state")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    plans = plans_for(load_rules(), DEFAULT_DDAR)
    rows: list[dict[str, Any]] = []
    for problem in load_problems(ROOT / args.file):
        if len(rows) >= args.limit:
            break
        if any(problem.name.startswith(p) for p in EXAM_NAMES) or problem.aux:
            continue
        try:
            root = initial_state(problem, np.random.default_rng(0))
        except Exception:  # a statement that does not draw is not a sample
            continue
        Saturator(root.db, plans).run((), deadline=time.monotonic() + args.seconds)
        payload = pickle.dumps(root, protocol=pickle.HIGHEST_PROTOCOL)
        statement = "; ".join(c.to_text() for c in root.problem.clauses)
        built, cpu, facts = 0, 0.0, 0
        for k, text in enumerate(clauses_for(root, args.children, seed=k_seed(problem.name))):
            clause = parse_problem(f"{statement}; {text} ? coll a a a", "child").clauses[-1]
            start = time.process_time()
            parent = pickle.loads(payload)
            try:
                child = parent.extend(clause, np.random.default_rng(k))
            except Exception:  # not drawable here: not a child
                continue
            Saturator(child.db, plans).run((), deadline=time.monotonic() + args.seconds)
            pickle.dumps(child, protocol=pickle.HIGHEST_PROTOCOL)  # an open child is shipped back
            cpu += time.process_time() - start
            built += 1
            facts += len(child.db.records)
        rows.append({"problem": problem.name, "root_facts": len(root.db.records), "children": built,
                     "cpu": round(cpu, 3), "child_facts": facts})
        print(f"{problem.name:50s} {len(root.db.records):5d} facts  {built} children  {cpu:7.2f} CPU s",
              flush=True)
    children, cpu = sum(r["children"] for r in rows), sum(r["cpu"] for r in rows)
    print(f"children per CPU-second: {children} / {cpu:.2f} = {children / cpu:.3f}")
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


def k_seed(name: str) -> int:
    """A seed per problem that does not depend on the interpreter's string hashing."""
    return sum(ord(c) * (i + 1) for i, c in enumerate(name)) % 10_000


if __name__ == "__main__":
    main()
