"""Which derived facts rest on the diagram's configuration.

Most steps hold in every figure satisfying the premises.  A few read something off the diagram that can
differ between figures of the same statement (another choice of intersection point, a mirrored part):
side conditions sameside/nsameside/sameclock, the orientation that picks simtri or simtri2, the solution
an angle certificate with multiplier > 1 takes, the sign of a power of a point.  A fact resting on such a
step is true for the figure's configuration; the others must hold in every figure (the soundness check).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tonggeo.facts.justification import AlgebraStep, FactRecord, RuleStep, premises_of
from tonggeo.rules import Rule

CONFIGURATION_CONDITIONS = frozenset({"sameside", "nsameside", "sameclock"})


def rule_reads_configuration(rule: Rule) -> bool:
    return any(c.name in CONFIGURATION_CONDITIONS for c in rule.conditions) or any(
        c.name.endswith("*") for c in rule.conclusions
    )


def step_reads_configuration(record: FactRecord, rules: Mapping[str, Rule]) -> bool:
    why = record.why
    if isinstance(why, RuleStep):
        rule = rules.get(why.rule)
        return rule is None or rule_reads_configuration(rule)
    if isinstance(why, AlgebraStep):
        return why.multiplier > 1 or any(s.startswith("power") for s in why.selectors)
    return False


def configuration_dependent(records: Sequence[FactRecord], rules: Mapping[str, Rule]) -> list[bool]:
    """For each record (ids in order), whether its derivation reads the diagram's configuration."""
    out: list[bool] = []
    for record in records:
        own = step_reads_configuration(record, rules)
        out.append(own or any(out[p] for p in premises_of(record.why)))
    return out
