"""The independent proof checker: replays every step of a proof from the problem, the rule file and the
diagram's coordinates, without the engine's matcher, database or algebraic tables.

* a given step must be a fact the problem's construction calls state;
* a rule step must instantiate the named rule: its assignment is one-to-one, each premise is exactly the
  cited earlier step, the side conditions hold in the diagram, the fact is one of the conclusions;
* an algebraic step must re-derive: the stated combination of the cited facts' linear equations is the
  fact's equation (angles mod pi over lines identified by the cited coll facts, or log-lengths);
* a merge step must put the fact's points in one set by merging the cited coll/cyclic facts;
* every stated fact must hold numerically, and every goal must be stated by some step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from sympy import factorint

from tonggeo.config import DEFAULT_NUMERIC, NumericConfig
from tonggeo.constructions import Catalogue, load_catalogue
from tonggeo.ddar.rules import Rule, load_rules
from tonggeo.diagram.predicates import CHECKS
from tonggeo.dsl import Problem
from tonggeo.facts import Fact, FactError, fact_text, format_angle, format_ratio, make_fact, parse_fact
from tonggeo.facts.justification import AlgebraStep, Given, MergeStep, RuleStep
from tonggeo.facts.values import parse_angle, parse_ratio
from tonggeo.proof.lengths import own_equation, selected_equation
from tonggeo.proof.model import Proof, ProofStep

_ORIENTED = {"simtri*": ("simtri", "simtri2"), "contri*": ("contri", "contri2")}
_CONDITIONS_NOT_FACTS = frozenset({"diff", "ncoll", "npara", "nperp", "sameside", "nsameside", "sameclock"})


@dataclass(slots=True)
class CheckReport:
    """The checker's verdict: `ok` iff no step failed and every goal is proved."""

    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def stated_facts(problem: Problem, catalogue: Catalogue | None = None) -> set[Fact]:
    """The facts the problem's construction calls state (the checker's own reading of the catalogue)."""
    catalogue = catalogue or load_catalogue()
    out: set[Fact] = set()
    for clause in problem.clauses:
        for call in clause.calls:
            construction = catalogue[call.name]
            mapping = dict(zip(construction.args, call.args, strict=True))
            for template in construction.all_facts():
                name, args = template.bind(mapping)
                if name in _CONDITIONS_NOT_FACTS:
                    continue
                try:
                    out.add(parse_fact(name, args))
                except FactError:
                    continue
    return out


class ProofChecker:
    """Checks proofs of one problem against a rule set and the diagram's coordinates."""

    def __init__(
        self,
        problem: Problem,
        points: Mapping[str, tuple[float, float]],
        rules: Iterable[Rule] | None = None,
        config: NumericConfig = DEFAULT_NUMERIC,
    ) -> None:
        self.problem = problem
        self.coords = {k: complex(v[0], v[1]) for k, v in points.items()}
        self.rules = {r.id: r for r in (rules if rules is not None else load_rules())}
        self.config = config
        self.given = stated_facts(problem)

    # ------------------------------------------------------------------ numeric truth
    def numeric(self, name: str, args: Sequence[str], values: Sequence[str] = ()) -> bool:
        check = CHECKS.get(name)
        if check is None:
            return False
        try:
            return check([self.coords[a] for a in args], list(values), self.config)
        except (KeyError, ValueError, ZeroDivisionError):
            return False

    def fact_numeric(self, fact: Fact) -> bool:
        if fact.kind == "aconst":
            return self.numeric("aconst", fact.args, [format_angle(fact.value)])  # type: ignore[union-attr]
        if fact.kind == "rconst":
            return self.numeric("rconst", fact.args, [format_ratio(fact.value)])  # type: ignore[union-attr]
        return self.numeric(fact.kind, fact.args)

    # ------------------------------------------------------------------ the proof
    def check(self, proof: Proof) -> CheckReport:
        report = CheckReport()
        by_number: dict[int, ProofStep] = {}
        for step in proof.steps:
            if step.number in by_number:
                report.errors.append(f"step {step.number}: number used twice")
                continue
            problem = self.check_step(step, by_number)
            if problem is None and not self.fact_numeric(step.fact):
                problem = "the fact is false in the diagram"
            if problem is not None:
                report.errors.append(f"step {step.number} ({fact_text(step.fact)}): {problem}")
            by_number[step.number] = step
        stated = {s.fact for s in proof.steps}
        for goal in proof.goals:
            if goal not in stated:
                report.errors.append(f"goal {fact_text(goal)} is not proved by any step")
        return report

    def check_step(self, step: ProofStep, earlier: Mapping[int, ProofStep]) -> str | None:
        why = step.why
        cited = _cited(why)
        missing = [n for n in cited if n not in earlier or n >= step.number]
        if missing:
            return f"cites steps {missing} that do not come before it"
        match why:
            case Given():
                return None if step.fact in self.given else "not stated by the problem"
            case RuleStep():
                return self._check_rule(step.fact, why, earlier)
            case AlgebraStep():
                return self._check_algebra(step.fact, why, earlier)
            case MergeStep():
                return self._check_merge(step.fact, why, earlier)
        return f"unknown justification {why!r}"

    # ------------------------------------------------------------------ rule steps
    def _check_rule(self, fact: Fact, why: RuleStep, earlier: Mapping[int, ProofStep]) -> str | None:
        rule = self.rules.get(why.rule)
        if rule is None:
            return f"unknown rule {why.rule}"
        assign = dict(why.assignment)
        if set(assign) != set(rule.variables) or len(why.assignment) != len(assign):
            return f"assignment {assign} does not cover the variables of {rule.id} exactly"
        if len(why.premises) != len(rule.premises):
            return f"{rule.id} has {len(rule.premises)} premises, step cites {len(why.premises)}"
        for lit, number in zip(rule.premises, why.premises, strict=True):
            try:
                wanted = make_fact(lit.name, [assign[a] for a in lit.args], _value(lit.name, lit.value))
            except FactError as exc:
                return f"premise {lit.to_text()} is degenerate: {exc}"
            if earlier[number].fact != wanted:
                return f"premise {lit.to_text()} is {fact_text(wanted)}, step {number} states another fact"
        for lit in rule.conditions:
            pts = [assign[a] for a in lit.args]
            if not _condition_well_formed(lit.name, pts) or not self.numeric(lit.name, pts):
                return f"side condition {lit.to_text()} fails in the diagram"
        for lit in rule.conclusions:
            kinds = _ORIENTED.get(lit.name, (lit.name,))
            for kind in kinds:
                try:
                    made = make_fact(kind, [assign[a] for a in lit.args], _value(lit.name, lit.value))
                except FactError:
                    continue
                if made == fact:
                    return None
        return f"not a conclusion of {rule.id} under the assignment"

    # ------------------------------------------------------------------ merge steps
    def _check_merge(self, fact: Fact, why: MergeStep, earlier: Mapping[int, ProofStep]) -> str | None:
        if fact.kind not in ("coll", "cyclic"):
            return "only coll and cyclic facts come from merging"
        sets = []
        for number in why.premises:
            cited = earlier[number].fact
            if cited.kind != fact.kind:
                return f"step {number} is not a {fact.kind} fact"
            sets.append(set(cited.args))
        arity = 2 if fact.kind == "coll" else 3
        groups = _merge(sets, arity)
        if any(set(fact.args) <= g for g in groups):
            return None
        return "the cited sets do not contain its points"

    # ------------------------------------------------------------------ algebraic steps
    def _check_algebra(self, fact: Fact, why: AlgebraStep, earlier: Mapping[int, ProofStep]) -> str | None:
        if why.domain == "angle":
            return self._check_angle(fact, why, earlier)
        if why.domain == "ratio":
            return self._check_ratio(fact, why, earlier)
        if why.domain == "squared":
            return self._check_squared(fact, why, earlier)
        return f"unknown algebraic domain {why.domain!r}"

    def _check_angle(self, fact: Fact, why: AlgebraStep, earlier: Mapping[int, ProofStep]) -> str | None:
        sets = []
        for number in why.structure:
            cited = earlier[number].fact
            if cited.kind != "coll":
                return f"structure step {number} is not a coll fact"
            sets.append(set(cited.args))
        groups = [frozenset(g) for g in _merge(sets, 2)]

        def line(a: str, b: str) -> object:
            for k, g in enumerate(groups):
                if a in g and b in g:
                    return k
            return (a, b) if a < b else (b, a)

        target = _angle_equation(fact, line)
        if target is None:
            return "not an angle fact"
        k = why.multiplier
        if k < 1:
            return "multiplier must be positive"
        total: dict[object, Fraction] = {}
        const = Fraction(0)
        for number, coef in why.terms:
            eq = _angle_equation(earlier[number].fact, line)
            if eq is None:
                return f"step {number} is not an angle fact"
            scaled = coef * k
            if scaled.denominator != 1:
                return f"coefficient {coef} times multiplier {k} is not an integer"
            for var, c in eq[0].items():
                total[var] = total.get(var, Fraction(0)) + scaled * c
            const += scaled * eq[1]
        lhs = {v: c for v, c in total.items() if c}
        want = {v: c * k for v, c in target[0].items() if c}
        if lhs != want:
            return "the combination does not give the fact's angle equation"
        if (const - k * target[1]) % 1 != 0:
            return "the constants do not add up (mod pi)"
        if k > 1 and 1 / k <= 4 * self.config.angle_tol:
            return f"multiplier {k} too large to pick a solution from the diagram"
        return None

    def _check_squared(self, fact: Fact, why: AlgebraStep, earlier: Mapping[int, ProofStep]) -> str | None:
        target = own_equation(fact)
        if target is None:
            return "not a perp/cong/rconst fact"
        selectors = why.selectors or ("",) * len(why.terms)
        if len(selectors) != len(why.terms):
            return "selectors do not match the terms"
        lines = []
        for number in why.structure:
            cited = earlier[number].fact
            if cited.kind != "coll":
                return f"structure step {number} is not a coll fact"
            lines.append(set(cited.args))
        groups = _merge(lines, 2)

        def on_line(points: Sequence[str], line: Sequence[str]) -> bool:
            return _same_line(groups, points, line)

        def side(p: str, x: str, y: str) -> int:
            return _side(self.coords[p], self.coords[x], self.coords[y], self.config)

        total: dict[object, Fraction] = {}
        for (number, coef), selector in zip(why.terms, selectors, strict=True):
            eq = selected_equation(earlier[number].fact, selector, on_line, side)
            if isinstance(eq, str):
                return f"step {number} ({selector or 'own equation'}): {eq}"
            for var, c in eq.items():
                total[var] = total.get(var, Fraction(0)) + coef * c
        lhs = {v: c for v, c in total.items() if c}
        # both sides are homogeneous with right side 0, so the target may come out scaled
        if not target:
            return None if not lhs else "the combination is not zero"
        key = next(iter(target))
        scale = lhs.get(key, Fraction(0)) / target[key]
        if scale == 0 or lhs != {v: c * scale for v, c in target.items()}:
            return "the combination does not give the fact's squared-length equation"
        return None

    def _menelaus(
        self, selector: str, structure: Sequence[int], earlier: Mapping[int, ProofStep]
    ) -> tuple[dict[tuple[str, str], int], Fraction] | str:
        """Menelaus: triangle ABC, X on BC, Y on CA, Z on AB with X, Y, Z on one line (all by the step's
        coll structure): BX.CY.AZ = XC.YA.ZB."""
        words = selector.split()
        if len(words) != 7 or words[0] != "menelaus":
            return "unknown selector"
        a, b, c, x, y, z = words[1:]
        if len(set(words[1:])) != 6:
            return "the six points are not distinct"
        lines = []
        for number in structure:
            cited = earlier[number].fact
            if cited.kind != "coll":
                return f"structure step {number} is not a coll fact"
            lines.append(set(cited.args))
        groups = _merge(lines, 2)
        for triple in ((b, c, x), (c, a, y), (a, b, z), (x, y, z)):
            if not any(set(triple) <= g for g in groups):
                return f"{' '.join(triple)} are not known collinear"
        if not self.numeric("ncoll", (a, b, c)):
            return "the triangle is degenerate in the diagram"
        coeffs: dict[tuple[str, str], int] = {}
        for p, q, s in ((b, x, 1), (x, c, -1), (c, y, 1), (y, a, -1), (a, z, 1), (z, b, -1)):
            key = (p, q) if p < q else (q, p)
            coeffs[key] = coeffs.get(key, 0) + s
        return {k: v for k, v in coeffs.items() if v}, Fraction(1)

    def _check_ratio(self, fact: Fact, why: AlgebraStep, earlier: Mapping[int, ProofStep]) -> str | None:
        target = _ratio_equation(fact)
        if target is None:
            return "not a ratio fact"
        total: dict[tuple[str, str], Fraction] = {}
        const: dict[int, Fraction] = {}
        selectors = why.selectors or ("",) * len(why.terms)
        if len(selectors) != len(why.terms):
            return "selectors do not match the terms"
        for (number, coef), selector in zip(why.terms, selectors, strict=True):
            eq: tuple[dict[tuple[str, str], int], Fraction] | None
            if selector:
                found = self._menelaus(selector, why.structure, earlier)
                if isinstance(found, str):
                    return f"step {number} ({selector}): {found}"
                eq = found
            else:
                eq = _ratio_equation(earlier[number].fact)
            if eq is None:
                return f"step {number} is not a ratio fact"
            for var, c in eq[0].items():
                total[var] = total.get(var, Fraction(0)) + coef * c
            for p, e in _prime_exponents(eq[1]).items():
                const[p] = const.get(p, Fraction(0)) + coef * e
        lhs = {v: c for v, c in total.items() if c}
        if lhs != {v: Fraction(c) for v, c in target[0].items() if c}:
            return "the combination does not give the fact's ratio equation"
        got = {p: e for p, e in const.items() if e}
        if got != _prime_exponents(target[1]):
            return "the constants do not multiply out"
        return None


def _condition_well_formed(name: str, pts: Sequence[str]) -> bool:
    if name == "ncoll":
        return len(set(pts)) == len(pts)
    if name in ("npara", "nperp"):
        return pts[0] != pts[1] and pts[2] != pts[3]
    if name == "sameclock":
        return len(set(pts[:3])) == 3 and len(set(pts[3:])) == 3
    return True


def _same_line(groups: Sequence[set[str]], pair: Sequence[str], line: Sequence[str]) -> bool:
    """Whether the points `pair` lie on the line through `line` (itself, or by the structure's colls)."""
    if set(pair) <= set(line):
        return True
    return any(set(pair) | set(line) <= g for g in groups)


def _side(p: complex, x: complex, y: complex, config: NumericConfig) -> int:
    """+1 if P lies outside segment XY, -1 strictly inside, 0 at an end (as the diagram shows)."""
    u, v = x - p, y - p
    d = u.real * v.real + u.imag * v.imag
    if abs(d) <= config.rel_tol * max(abs(u), abs(v)) ** 2:
        return 0
    return 1 if d > 0 else -1


def _cited(why: object) -> list[int]:
    match why:
        case RuleStep(premises=premises) | MergeStep(premises=premises):
            return list(premises)
        case AlgebraStep(terms=terms, structure=structure):
            return [n for n, _ in terms] + list(structure)
    return []


def _value(name: str, token: str | None) -> Fraction | None:
    if token is None:
        return None
    return parse_angle(token) if name == "aconst" else parse_ratio(token)


def _merge(sets: Sequence[set[str]], arity: int) -> list[set[str]]:
    groups = [set(s) for s in sets]
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if len(groups[i] & groups[j]) >= arity:
                    groups[i] |= groups.pop(j)
                    merged = True
                    break
            if merged:
                break
    return groups


def _angle_equation(fact: Fact, line: object) -> tuple[dict[object, int], Fraction] | None:
    """Directions as variables: the angle from line p to line q is x_q - x_p (units of pi, mod 1)."""
    p = fact.args
    coeffs: dict[object, int] = {}

    def put(a: str, b: str, c: int) -> None:
        var = line(a, b)  # type: ignore[operator]
        coeffs[var] = coeffs.get(var, 0) + c

    if fact.kind in ("para", "perp"):
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        return coeffs, Fraction(1, 2) if fact.kind == "perp" else Fraction(0)
    if fact.kind == "eqangle":
        put(p[2], p[3], 1)
        put(p[0], p[1], -1)
        put(p[6], p[7], -1)
        put(p[4], p[5], 1)
        return coeffs, Fraction(0)
    if fact.kind == "aconst":
        put(p[2], p[3], 1)
        put(p[0], p[1], -1)
        return coeffs, fact.value  # type: ignore[union-attr]
    return None


def _ratio_equation(fact: Fact) -> tuple[dict[tuple[str, str], int], Fraction] | None:
    """Log-lengths as variables: `sum(c * log|s|) = log(const)`."""
    p = fact.args
    coeffs: dict[tuple[str, str], int] = {}

    def put(a: str, b: str, c: int) -> None:
        seg = (a, b) if a < b else (b, a)
        coeffs[seg] = coeffs.get(seg, 0) + c

    if fact.kind == "cong":
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        return coeffs, Fraction(1)
    if fact.kind == "eqratio":
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        put(p[4], p[5], -1)
        put(p[6], p[7], 1)
        return coeffs, Fraction(1)
    if fact.kind == "rconst":
        put(p[0], p[1], 1)
        put(p[2], p[3], -1)
        return coeffs, fact.value  # type: ignore[union-attr]
    return None


def _prime_exponents(value: Fraction) -> dict[int, Fraction]:
    out: dict[int, Fraction] = {}
    for p, e in factorint(value.numerator).items():
        out[p] = out.get(p, Fraction(0)) + e
    for p, e in factorint(value.denominator).items():
        out[p] = out.get(p, Fraction(0)) - e
    return {p: e for p, e in out.items() if e}


def check_proof(proof: Proof, problem: Problem, rules: Iterable[Rule] | None = None) -> CheckReport:
    """Replay `proof` of `problem` (with the diagram coordinates stored in the proof); the problem's goals
    that are diagram conditions (sameclock, sameside...) are checked on the coordinates."""
    checker = ProofChecker(problem, proof.points, rules)
    report = checker.check(proof)
    stated = {step.fact for step in proof.steps}
    for goal in problem.goals:
        if goal.name in _CONDITIONS_NOT_FACTS:
            if not checker.numeric(goal.name, goal.args):
                report.errors.append(f"goal {goal.to_text()} fails in the diagram")
            continue
        # the goals come from the problem, never from the proof: a proof must state each of them
        try:
            wanted = parse_fact(goal.name, goal.args)
        except FactError as exc:
            report.errors.append(f"goal {goal.to_text()} cannot be checked: {exc}")
            continue
        if wanted not in stated:
            report.errors.append(f"goal {goal.to_text()} of the problem is not stated by any step")
    return report


__all__ = ["CheckReport", "ProofChecker", "check_proof", "stated_facts"]
