"""Training records for the language models, built from `tonggeo propose` output folders.

Problems are deduplicated by canonical key and split by key: the test split comes from its own proposing
runs (a different seed), and no key of it is trained on; the valid split is a share of the training keys
chosen by a hash of the key (stable across rebuilds).  For an aux problem with clauses x1..xk, every
prefix x1..xj (j < k) gives a `next` record (-> x{j+1}), a `rest` record (-> x{j+1}..xk) and a `value`
record (k - j); the state with all k gives value 0, as do the problems DDAR proves alone (problems.txt
entries without aux).

With `augment` > 0 each training problem also gives that many copies under random renamings of its points
(a seeded bijection onto single letters, then letter-digit names): the statement is the same figure, so
the copies keep the problem's key and stay in its split.  Valid and test splits are never augmented.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from tonggeo.dsl import DslError, parse_problem
from tonggeo.dsl.ast import Clause, ConstructionCall, Goal, PointDecl, Problem
from tonggeo.lm.format import clause_completion, prompt, state_text, value_completion

SPLITS = ("train", "valid", "test")


class DatasetError(ValueError):
    """A proposing folder that cannot be read (missing files, broken records)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One proposing problem: its canonical key, its problem (aux clauses in `aux`), its goal kind."""

    key: str
    problem: Problem
    goal_kind: str
    seed_dir: str


@dataclass(frozen=True, slots=True)
class Record:
    """One training record: the model reads `prompt` and should write `completion`."""

    task: str
    prompt: str
    completion: str
    key: str
    goal_kind: str
    aux: int


def _aux_sources(folder: Path) -> Iterator[Source]:
    path = folder / "training.jsonl"
    if not path.exists():
        raise DatasetError(f"{folder}: no training.jsonl (is it a `tonggeo propose --out` folder?)")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                body = f"{data['problem'].split(' ? ')[0]} | {'; '.join(data['aux'])} ? {data['goal']}"
                problem = parse_problem(body, f"{folder.name}:{number}")
            except (ValueError, KeyError, DslError) as exc:
                raise DatasetError(f"{path}:{number}: {exc}") from exc
            yield Source(str(data["key"]), problem, str(data["goal"]).split()[0], str(folder))


def _plain_sources(folder: Path) -> Iterator[Source]:
    """Problems of problems.txt without aux (DDAR proves them alone), keyed by their normalised text."""
    path = folder / "problems.txt"
    if not path.exists():
        return
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    for name, body in zip(lines[0::2], lines[1::2], strict=False):
        if " | " in body:
            continue
        try:
            problem = parse_problem(body, name)
        except DslError as exc:
            raise DatasetError(f"{path}: {name}: {exc}") from exc
        if not problem.goals:
            continue
        key = "plain:" + hashlib.sha256(problem.to_text().encode()).hexdigest()[:24]
        yield Source(key, problem, problem.goals[0].name, str(folder))


def sources(folders: Iterable[Path]) -> list[Source]:
    """Every problem of the folders, once per canonical key (first seen wins)."""
    seen: dict[str, Source] = {}
    for folder in folders:
        for source in (*_aux_sources(folder), *_plain_sources(folder)):
            seen.setdefault(source.key, source)
    return list(seen.values())


def records(source: Source) -> Iterator[Record]:
    """The next/rest/value records of one problem (see the module docstring)."""
    aux = source.problem.aux
    bare = Problem(source.problem.name, source.problem.clauses, source.problem.goals)
    k = len(aux)
    for j in range(k + 1):
        state = state_text(bare, aux[:j])
        if j < k:
            yield Record(
                "next",
                prompt("next", state),
                clause_completion(aux[j : j + 1]),
                source.key,
                source.goal_kind,
                k,
            )
            yield Record(
                "rest", prompt("rest", state), clause_completion(aux[j:]), source.key, source.goal_kind, k
            )
        yield Record(
            "value", prompt("value", state), value_completion(k - j), source.key, source.goal_kind, k
        )


def _name_pool(size: int) -> list[str]:
    letters = list(string.ascii_lowercase)
    pool = list(letters)
    digit = 1
    while len(pool) < size:
        pool.extend(f"{c}{digit}" for c in letters)
        digit += 1
    return pool


def renamed(problem: Problem, mapping: dict[str, str]) -> Problem:
    """The problem with every point renamed by `mapping` (a bijection on its point names)."""

    def names(args: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(mapping.get(a, a) for a in args)

    def clause(c: Clause) -> Clause:
        points = tuple(PointDecl(mapping[p.name], p.coord) for p in c.points)
        return Clause(points, tuple(ConstructionCall(x.name, names(x.args)) for x in c.calls))

    return Problem(
        problem.name,
        tuple(clause(c) for c in problem.clauses),
        tuple(Goal(g.name, names(g.args)) for g in problem.goals),
        tuple(clause(c) for c in problem.aux),
    )


def random_renaming(problem: Problem, rng: random.Random) -> dict[str, str]:
    """A random bijection from the problem's points (aux included) onto the smallest name pool that
    holds them (single letters while they suffice)."""
    points = [*problem.points, *(p for c in problem.aux for p in c.point_names)]
    pool = _name_pool(len(points))
    return dict(zip(points, rng.sample(pool, len(points)), strict=True))


def augmented(source: Source, copies: int, rng: random.Random) -> Iterator[Source]:
    """`copies` renamed copies of the source (same key, goal kind and folder)."""
    for _ in range(copies):
        problem = renamed(source.problem, random_renaming(source.problem, rng))
        yield Source(source.key, problem, source.goal_kind, source.seed_dir)


def _valid(key: str, share: float) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def build(
    train_dirs: Sequence[Path],
    test_dirs: Sequence[Path],
    out: Path,
    valid_share: float = 0.05,
    augment: int = 0,
    seed: int = 0,
) -> dict:
    """Write OUT/{policy,value}/{train,valid,test}.jsonl, OUT/test_problems.txt and OUT/stats.json;
    returns the statistics.  `augment` renamed copies of each training problem are added (seeded)."""
    rng = random.Random(seed)
    test = sources(test_dirs)
    test_keys = {s.key for s in test}
    train_all = [s for s in sources(train_dirs) if s.key not in test_keys]
    split = {
        "train": [s for s in train_all if not _valid(s.key, valid_share)],
        "valid": [s for s in train_all if _valid(s.key, valid_share)],
        "test": test,
    }
    stats: dict = {
        "train_dirs": [str(d) for d in train_dirs],
        "test_dirs": [str(d) for d in test_dirs],
        "augment": augment,
        "seed": seed,
    }
    for model in ("policy", "value"):
        (out / model).mkdir(parents=True, exist_ok=True)
    for name, group in split.items():
        counts: Counter[str] = Counter()
        with (
            (out / "policy" / f"{name}.jsonl").open("w", encoding="utf-8") as policy,
            (out / "value" / f"{name}.jsonl").open("w", encoding="utf-8") as value,
        ):
            for source in group:
                copies = list(augmented(source, augment, rng)) if name == "train" and augment else []
                for record in (r for s in (source, *copies) for r in records(s)):
                    target = value if record.task == "value" else policy
                    target.write(json.dumps(asdict(record)) + "\n")
                    counts[record.task] += 1
        stats[name] = {
            "problems": len(group),
            "aux_problems": sum(1 for s in group if s.problem.aux),
            "records": dict(counts),
            "goal_kinds": dict(Counter(s.goal_kind for s in group).most_common()),
            "aux_counts": {str(k): v for k, v in sorted(Counter(len(s.problem.aux) for s in group).items())},
        }
    with (out / "test_problems.txt").open("w", encoding="utf-8") as problems:
        for i, source in enumerate(s for s in test if s.problem.aux):
            problems.write(f"test_{i:05d}\n{source.problem.to_text()}\n")
    (out / "stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    return stats
