"""Exact symmetry of problems: label permutations mapping a statement's constructions to themselves,
and whether a goal is symmetric (mapped to itself, or to another derived fact, by one of them).

Olympiad committees prefer symmetric problems: swapping B and C in `triangle a b c; d = midpoint d b c`
leaves the statement as it was, so a goal such as `perp a d b c` under an isosceles base is symmetric.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tonggeo.dsl.ast import Clause, ConstructionCall, Goal
from tonggeo.facts import AConst, Fact, FactError, RConst, fact_text, make_fact, parse_fact
from tonggeo.propose.canonical import canonical_form

Permutation = Mapping[str, str]


def statement_symmetries(clauses: Sequence[Clause], max_leaves: int = 20_000) -> tuple[Permutation, ...]:
    """The non-identity label permutations that map the clauses to themselves."""
    form = canonical_form(clauses, (), max_leaves=max_leaves)
    return tuple(s for s in form.automorphisms if any(k != v for k, v in s.items()))


def map_fact(fact: Fact, sigma: Permutation) -> Fact:
    value = fact.value if isinstance(fact, AConst | RConst) else None
    return make_fact(fact.kind, tuple(sigma.get(a, a) for a in fact.args), value)


def map_call(call: ConstructionCall, sigma: Permutation) -> ConstructionCall:
    return ConstructionCall(call.name, tuple(sigma.get(a, a) for a in call.args))


def goal_fact(goal: Goal) -> Fact | None:
    try:
        return parse_fact(goal.name, goal.args)
    except FactError:
        return None


def symmetric_goal(
    goal: Fact, symmetries: Sequence[Permutation], derived: Callable[[Fact], bool] = lambda fact: False
) -> bool:
    """True when some symmetry maps `goal` to itself or to a fact `derived` says is derived."""
    for sigma in symmetries:
        try:
            image = map_fact(goal, sigma)
        except FactError:
            continue
        if image == goal or derived(image):
            return True
    return False


def orbit_texts(goal: Fact, symmetries: Sequence[Permutation]) -> list[str]:
    """The goal's images under the symmetries (DSL text), itself first."""
    seen = [fact_text(goal)]
    for sigma in symmetries:
        text = fact_text(map_fact(goal, sigma))
        if text not in seen:
            seen.append(text)
    return seen
