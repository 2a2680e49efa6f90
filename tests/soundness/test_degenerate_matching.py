"""The engine must not apply a rule to a degenerate instance whose premises hold only trivially.

Each case is a diagram whose points all lie on one line, with true facts given as records (parallel
point pairs of that line, collinear triples the database has not yet merged into one line).  A rule run
alone must not derive the conclusion: the given facts do not imply it (move one point along the line and
it is false), it only happens to hold in this diagram.  The engine reaches such instances whenever para
records join pairs of one line before a coll record merges them (e.g. the read-back of `para a o a x`
before r28 turns it into `coll a o x`).

The checker follows the rule text, so before r07, r26 and r42 got their `ncoll` conditions it accepted a
hand-written proof of a false theorem through r26; these tests keep it that way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tonggeo.config import DdarConfig
from tonggeo.ddar import writer
from tonggeo.ddar.numeric import NumericModel
from tonggeo.ddar.rules import load_rules
from tonggeo.ddar.saturate import Saturator, plans_for
from tonggeo.dsl import parse_problem
from tonggeo.facts import Fact, make_fact
from tonggeo.facts.justification import AlgebraStep, Given, RuleStep
from tonggeo.proof import Proof, check_proof
from tonggeo.proof.model import ProofStep

RULES = {r.id: r for r in load_rules()}
CONFIG = DdarConfig(skip_algebraic_rules=False)


def _derives(
    rule_id: str, xs: Mapping[str, float], given: Sequence[tuple[str, str]], target: tuple[str, str]
) -> bool:
    """Run `rule_id` alone on points (x, 0) with the given facts; whether it derives `target`."""
    names = sorted(xs)
    numeric = NumericModel(names, {n: (xs[n], 0.0) for n in names}, CONFIG)
    db = writer.new_database(numeric)
    for kind, args in given:
        writer.add(db, make_fact(kind, args.split()), Given("test"))
    fact = make_fact(target[0], target[1].split())
    assert not db.holds(fact), "the target must not be known before the rule runs"
    Saturator(db, plans_for([RULES[rule_id]], CONFIG), CONFIG).run(())
    return db.holds(fact)


def test_r26_parallelogram_on_one_line() -> None:
    # M midpoint of AB; C, D anywhere on line AB satisfy both para premises; here CD happens to share M
    xs = {"a": 0, "b": 4, "m": 2, "c": 1, "d": 3}
    given = [("coll", "m a b"), ("cong", "m a m b"), ("midp", "m a b"),
             ("para", "a c b d"), ("para", "a d b c")]
    assert not _derives("r26", xs, given, ("midp", "m c d"))


def test_r07_thales_on_one_line() -> None:
    # OA/OC = OB/OD = 1/2 by coincidence; coll o a c and coll o b d are two records (one line in fact)
    xs = {"o": 0, "a": 1, "c": 2, "b": 3, "d": 6}
    given = [("para", "a b c d"), ("coll", "o a c"), ("coll", "o b d")]
    assert not _derives("r07", xs, given, ("eqratio", "o a o c o b o d"))


def test_r42_trapezoid_on_one_line() -> None:
    # MA/MD = NB/NC = 2 by coincidence
    xs = {"a": 0, "b": 1, "c": 3, "d": 5, "m": 10, "n": 7 / 3}
    given = [("para", "a b c d"), ("coll", "m a d"), ("coll", "n b c"), ("para", "m n a b")]
    assert not _derives("r42", xs, given, ("eqratio", "m a m d n b n c"))


FALSE_THEOREM = "a b = segment a b; m = midpoint m a b; c = on_line c a b; d = on_line d a b ? midp m c d"
# C and D happen to be symmetric about M in this drawing
POINTS = {"a": (0.0, 0.0), "b": (4.0, 0.0), "m": (2.0, 0.0), "c": (1.0, 0.0), "d": (3.0, 0.0)}


def _fact(kind: str, args: str) -> Fact:
    return make_fact(kind, args.split())


def _steps_up_to_r26() -> list[ProofStep]:
    """Valid steps: the statement, the midpoint by definition, two parallels that hold because all four
    points are on one line (an angle step whose combination is empty)."""
    midp_def = RuleStep("midp_def", (1, 2), (("M", "m"), ("A", "a"), ("B", "b")))
    return [
        ProofStep(1, _fact("coll", "m a b"), Given("midpoint m a b")),
        ProofStep(2, _fact("cong", "m a m b"), Given("midpoint m a b")),
        ProofStep(3, _fact("coll", "c a b"), Given("on_line c a b")),
        ProofStep(4, _fact("coll", "d a b"), Given("on_line d a b")),
        ProofStep(5, _fact("midp", "m a b"), midp_def),
        ProofStep(6, _fact("para", "a c b d"), AlgebraStep("angle", (), (3, 4))),
        ProofStep(7, _fact("para", "a d b c"), AlgebraStep("angle", (), (3, 4))),
    ]


def test_checker_rejects_a_proof_of_a_false_theorem_through_r26() -> None:
    """C, D are any points of line AB, so `midp m c d` is false in general; the proof below uses only
    trivially true parallels and r26."""
    problem = parse_problem(FALSE_THEOREM, "false_midpoint")
    r26 = RuleStep("r26", (5, 6, 7), tuple(zip("MABCD", "mabcd", strict=True)))
    steps = (*_steps_up_to_r26(), ProofStep(8, _fact("midp", "m c d"), r26))
    report = check_proof(Proof(problem.name, (_fact("midp", "m c d"),), steps, POINTS), problem)
    assert not report.ok, "the checker accepted a proof of a false theorem"


def test_checker_accepts_every_step_before_r26() -> None:
    """Control for the test above: each step before r26 is valid, so r26 is the only fault (the one
    error left is that the problem's goal is not reached)."""
    problem = parse_problem(FALSE_THEOREM, "false_midpoint")
    steps = tuple(_steps_up_to_r26())
    report = check_proof(Proof(problem.name, (_fact("para", "a d b c"),), steps, POINTS), problem)
    assert len(report.errors) == 1 and "not stated by any step" in report.errors[0], report.errors
