"""Turning "the database knows this" into a record with a justification that cites older records only.

A rule's premises are often known through classes or the tables rather than as records of their own;
before the rule's conclusion is stored, each such premise gets its own record (a merge of coll/cyclic
records, an algebraic certificate, or the definition of midp/circle), so every proof is acyclic.
"""

from __future__ import annotations

from collections.abc import Sequence

from tonggeo.ddar import writer
from tonggeo.ddar.database import Database
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import MergeStep, RuleStep

MIDP_RULE = "midp_def"
CIRCLE_RULE = "circle_def"


def merged_contains(sets: Sequence[frozenset[str]], target: frozenset[str], arity: int) -> bool:
    """Whether merging point sets that share `arity` points puts all of `target` in one set."""
    groups = [set(s) for s in sets]
    changed = True
    while changed:
        changed = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if len(groups[i] & groups[j]) >= arity:
                    groups[i] |= groups.pop(j)
                    changed = True
                    break
            if changed:
                break
    return any(target <= g for g in groups)


def _minimal_merge(db: Database, candidates: Sequence[int], target: frozenset[str], arity: int) -> list[int]:
    chosen = list(dict.fromkeys(candidates))
    sets = {fid: frozenset(db.records[fid].fact.args) for fid in chosen}
    for fid in list(chosen):
        trial = [f for f in chosen if f != fid]
        if trial and merged_contains([sets[f] for f in trial], target, arity):
            chosen = trial
    return sorted(chosen)


def support(db: Database, fact: Fact) -> int | None:
    """The id of a record stating `fact`, creating one if the database knows it another way."""
    fid = db.by_fact.get(fact)
    if fid is not None:
        return fid
    idx = db.index
    pts = [idx[a] for a in fact.args]
    match fact.kind:
        case "coll" | "cyclic":
            sets = db.lines if fact.kind == "coll" else db.circles
            sid = sets.of(pts)
            if sid is None:
                return None
            premises = _minimal_merge(db, sets.facts(sid), frozenset(fact.args), sets.arity)
            return writer.add(db, fact, MergeStep(tuple(premises)))
        case ("para" | "perp" | "eqangle" | "aconst" | "cong" | "eqratio" | "rconst" | "r2const" | "lconst"
              | "l2const" | "aequation" | "lequation"):
            if db.linear is None:
                return None
            step = db.linear.explain(fact)
            return None if step is None else writer.add(db, fact, step)
        case "midp":
            m, a, b = fact.args
            parts = (make_fact("coll", (m, a, b)), make_fact("cong", (m, a, m, b)))
            return _by_definition(db, fact, MIDP_RULE, parts, (("M", m), ("A", a), ("B", b)))
        case "circle":
            o, a, b, c = fact.args
            parts = (make_fact("cong", (o, a, o, b)), make_fact("cong", (o, a, o, c)))
            return _by_definition(db, fact, CIRCLE_RULE, parts, (("O", o), ("A", a), ("B", b), ("C", c)))
        case _:
            return None


def _by_definition(
    db: Database, fact: Fact, rule: str, parts: tuple[Fact, ...], assignment: tuple[tuple[str, str], ...]
) -> int | None:
    ids = []
    for part in parts:
        pid = support(db, part)
        if pid is None:
            return None
        ids.append(pid)
    return writer.add(db, fact, RuleStep(rule, tuple(ids), assignment))
