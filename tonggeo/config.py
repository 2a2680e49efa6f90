"""Engine-wide settings as frozen dataclasses: numeric tolerances, sampling and retry limits.

Each subsystem owns one section (a frozen dataclass with defaults); callers pass a config object
explicitly or use the section's `DEFAULT_*` instance. Nothing here is mutable at run time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NumericConfig:
    """Tolerances and limits of numeric diagrams (all lengths relative to the diagram's size).

    Checks are scale-aware: lengths are compared relative to the lengths involved, directions through
    sines and cosines of unit vectors, so a diagram scaled by 100 checks the same.
    """

    rel_tol: float = 1e-6
    """Relative tolerance of a numeric predicate check (lengths, ratios, sines of angles)."""
    angle_tol: float = 1e-6
    """Tolerance in radians of angle equalities and constant angles."""
    degenerate_tol: float = 1e-3
    """Margin by which preconditions such as ncoll/npara/nperp/diff must hold for a draw to be kept."""
    min_separation: float = 1e-2
    """A new point closer than this (times the diagram radius) to an existing one rejects the draw."""
    coincide_tol: float = 1e-7
    """An intersection candidate this close (times the diagram radius) to an existing point is it."""
    parallel_tol: float = 1e-4
    """Lines whose directions have |sin| below this are treated as parallel (no usable meet)."""
    tangent_tol: float = 1e-3
    """Loci meeting with a half-chord between touch_tol and this (times the radius) are redrawn."""
    touch_tol: float = 1e-5
    """Loci meeting with a half-chord below this (times the radius) touch: their one common point is used
    (a tangency that the problem asserts, e.g. a circle tangent to another by a theorem)."""
    max_extent: float = 1e3
    """Absolute coordinate bound: a point beyond it rejects the draw."""
    far_factor: float = 40.0
    """A new point farther than this many diagram radii from the diagram's centre rejects the draw."""
    sample_spread: float = 1.0
    """Random points on a line are drawn within this many diagram radii of the diagram's centre."""
    max_attempts: int = 60
    """Whole-problem attempts before `build_diagram` gives up with a DiagramError."""
    clause_retries: int = 6
    """Redraws of one failing clause (keeping earlier points) before redrawing the whole problem."""


DEFAULT_NUMERIC = NumericConfig()


@dataclass(frozen=True, slots=True)
class AlgebraTablesConfig:
    """Settings of the algebraic tables (angle, ratio and distance chasing by exact elimination).

    Exact answers never depend on these: the primes and weights only steer the batch fingerprint
    kernels, whose positive answers are re-checked in exact arithmetic before they are returned.
    """

    check_numeric: bool = True
    """Debug check: an added equation whose variables all have numeric values must hold numerically."""
    numeric_tol: float = 1e-6
    """Tolerance of that check: angles in units of pi (mod 1), log-lengths (ratios), lengths (distances)."""
    branch_tol: float = 1e-6
    """An angle known only as k*x = c (mod 1) takes the branch (c + j)/k this close to the diagram's value."""
    primes: tuple[int, int] = (2147483647, 2147483629)
    """Two primes below 2**31 for the modular fingerprints (products stay inside int64)."""
    fingerprint_seed: int = 0x7077_6E67
    """Seed of the deterministic pseudo-random column weights of the fingerprints."""
    use_numba: bool = True
    """Run the batch kernels compiled; False (or NUMBA_DISABLE_JIT=1) runs the plain-Python reference."""
    numba_cache: bool = True
    """Cache compiled kernels on disk (`cache=True`)."""


DEFAULT_ALGEBRA = AlgebraTablesConfig()


@dataclass(frozen=True, slots=True)
class DdarConfig:
    """Settings of the deductive database + algebra (DDAR) engine: numeric filters, budgets, switches.

    The numeric tolerances only decide which candidates are tried and which derived facts are kept;
    proofs never rest on them except for the side conditions (ncoll, npara, sameside) a rule names.
    """

    rel_tol: float = 1e-6
    """Relative tolerance of the engine's numeric checks (lengths, ratios, collinearity)."""
    angle_tol: float = 1e-6
    """Tolerance in radians of the engine's angle checks."""
    timeout: float = 60.0
    """Default time budget of one `solve` in seconds."""
    max_rounds: int = 1000
    """Saturation stops after this many rounds of rules + algebra even if facts keep coming."""
    use_algebra: bool = True
    """Chase angles, ratios and distances with the algebraic tables (False: rules only)."""
    menelaus: bool = True
    """Add Menelaus' theorem for every complete quadrilateral of known lines to the ratio table."""
    squared_lengths: bool = True
    """Also chase squared lengths (Pythagoras: perp AB CD is AC^2 + BD^2 = AD^2 + BC^2) for cong/perp."""
    skip_algebraic_rules: bool = True
    """With the algebra on, skip the rules whose conclusions the tables already derive (transitivity...)."""
    use_numba: bool = True
    """Run the numeric model's hot loops (collinearity, midpoints) compiled; False runs the references."""


DEFAULT_DDAR = DdarConfig()


@dataclass(frozen=True, slots=True)
class AlgebraicSolverConfig:
    """Settings of the algebraic strategy (Wu's method with a Groebner fallback, `solvers.algebraic`).

    The tolerances only steer choices (which factor the diagram lies on, whether a goal is numerically
    false); a `holds_generically` answer always rests on an exact zero remainder.
    """

    zero_tolerance: float = 1e-8
    """A polynomial whose value on the diagram is below this (relative to the sum of |terms|) vanishes."""
    refute_tolerance: float = 1e-5
    """A goal polynomial at least this far from zero (relative) on the diagram is numerically false."""
    refute_numerically: bool = True
    """Answer `refuted` when a goal is numerically false on the diagram; False goes on to the algebra
    (for negative controls: a false goal must then still fail algebraically)."""
    max_terms: int = 200_000
    """A pseudo-remainder with more terms than this stops Wu's method (memory guard)."""
    factor_max_terms: int = 600
    """Polynomials up to this many terms are factored to pick the component the diagram lies on."""
    elimination_max_terms: int = 20_000
    """While building the triangular set, an eliminant larger than this makes the point unsupported."""
    half_angles: bool = True
    """Place a free triangle vertex by half-angle tangents when one of the triangle's angles is bisected,
    so that internal and external bisectors become different factors the diagram can choose between."""
    use_groebner: bool = True
    """When Wu's remainder is not zero, try ideal membership with a Groebner basis over Q(parameters)."""
    groebner_max_variables: int = 12
    """The Groebner fallback is skipped for chains with more dependent variables than this."""
    subprocess: bool = True
    """Run the algebra in a child process killed at the deadline (sympy calls cannot be interrupted)."""
    diagram_attempts: int | None = None
    """Attempts of `build_diagram` (None: the numeric config's default)."""


DEFAULT_ALGEBRAIC = AlgebraicSolverConfig()


@dataclass(frozen=True, slots=True)
class SolverConfig:
    """Defaults of `solvers` (strategy selection and budgets), as used by `tonggeo solve`."""

    default_solver: str = "search"
    """Strategy used when none is named (`tonggeo solve` defaults to it): DDAR at the root, then the
    auxiliary-construction search, so it proves whatever `ddar` proves."""
    seconds: float = 600.0
    """Default wall-clock budget of one problem."""
    max_nodes: int | None = None
    """Default node budget of search strategies (None: unbounded)."""
    jobs: int = 1
    """Default number of worker processes."""
    algebraic: AlgebraicSolverConfig = DEFAULT_ALGEBRAIC
    """Settings of the algebraic strategy."""


DEFAULT_SOLVER = SolverConfig()


@dataclass(frozen=True, slots=True)
class CandidateConfig:
    """Which construction calls `tonggeo.candidates.enumerate` proposes over a diagram's points.

    Families: 'construction' (every catalogue construction whose new points its inputs fix, over all
    tuples of existing points), and intersections of the figure's lines and circles: 'lines',
    'line_circle', 'circles', 'parallel' (a parallel through a point meets a line), 'perpendicular'.
    """

    families: tuple[str, ...] = (
        "construction", "lines", "line_circle", "circles", "parallel", "perpendicular",
    )
    """Candidate families to enumerate, in this order (earlier families win ties on position)."""
    max_inputs: int = 3
    """'construction' family: only constructions with at most this many input points."""
    exclude: tuple[str, ...] = ("circle", "eqangle2", "3peq")
    """Constructions never proposed ('circle' duplicates 'circumcenter')."""
    position_tol: float = 1e-6
    """Two candidate points closer than this (times the diagram radius) are the same point."""


DEFAULT_CANDIDATES = CandidateConfig()


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """Settings of the auxiliary-construction beam search (`solvers.search`, `--solver search`).

    The root is the saturated DDAR state of the problem; each level ranks candidate constructions of the
    beam's states with a policy, builds the best ones as children (fork + extend + saturation from the
    parent's database), scores them with a value and keeps the best. The first child whose proof the
    checker accepts ends the search.
    """

    beam_width: int = 6
    """States kept at each level."""
    depth: int = 3
    """Auxiliary constructions added at most (levels below the root)."""
    candidates_per_expansion: int = 16
    """Children built from each state of the beam (its best-ranked candidates)."""
    root_candidates: int | None = None
    """Children built from the root (None: beam_width * candidates_per_expansion, the beam's breadth)."""
    batch_size: int = 8
    """Candidates drawn together in one batch child (HAGeo adds many points at once): one saturation
    tries them and every combination of them; a proof keeps only the constructions it uses."""
    batches_per_expansion: int = 2
    """Batch children of each state (blocks of `batch_size` best-ranked candidates); 0: none."""
    root_batches: int | None = None
    """Batch children of the root (None: enough blocks to cover the root's single children)."""
    shrink_seconds: float = 30.0
    """After a batch proves the goal, time spent dropping its constructions one at a time while the rest
    still prove it (fewer auxiliary points, shorter proofs)."""
    seconds: float = 600.0
    """Time budget of one search (a `Budget` with fewer seconds wins)."""
    jobs: int | None = None
    """Worker processes building children (None: os.cpu_count(); 1: everything in this process)."""
    node_seconds: float = 30.0
    """Time cap of one child's saturation."""
    shortlist_factor: int = 4
    """The policy realises this many times the candidates it returns before its numeric re-ranking."""
    extend_attempts: int = 8
    """Draws of a candidate clause on the child until it lands where the policy saw it."""
    candidates: CandidateConfig = CandidateConfig()
    """Which constructions the search proposes."""
    mirror_candidates: int = 128
    """When the configuration has a symmetry (swapping b and c...), the best this many candidates of a
    state get their image under it: batches carry the images of their members, and the first block's
    candidates are also tried together with their image as one child."""
    algebraic_share: float = 0.15
    """Share of the budget kept back from the beam search for the algebraic strategy (Wu/Groebner), run
    when the search ends without a synthetic proof; its success is reported as `holds_generically`,
    never as `proved`.  0: no algebraic fallback."""

    def expansion(self, level: int) -> tuple[int, int]:
        """(single children, batch children) of each state of the beam at `level` (0: the root)."""
        if level > 0:
            return self.candidates_per_expansion, self.batches_per_expansion
        singles = self.root_candidates or self.beam_width * self.candidates_per_expansion
        batches = self.root_batches
        if batches is None:
            batches = -(-singles // self.batch_size) if self.batches_per_expansion else 0
        return singles, batches

    def __post_init__(self) -> None:
        if self.batch_size < 2 or self.batches_per_expansion < 0:
            raise ValueError("batch_size must be >= 2 and batches_per_expansion >= 0")
        if self.beam_width < 1 or self.depth < 0 or self.candidates_per_expansion < 1:
            raise ValueError("beam_width and candidates_per_expansion must be >= 1, depth >= 0")
        if self.jobs is not None and self.jobs < 1:
            raise ValueError(f"SearchConfig.jobs must be >= 1 or None, got {self.jobs}")
        if not self.seconds > 0 or not self.node_seconds > 0:
            raise ValueError("SearchConfig.seconds and node_seconds must be positive")
        if not 0.0 <= self.algebraic_share < 1.0:
            raise ValueError(f"SearchConfig.algebraic_share must be in [0, 1), got {self.algebraic_share}")


DEFAULT_SEARCH = SearchConfig()


@dataclass(frozen=True, slots=True)
class ProposeConfig:
    """Settings of problem proposing (`tonggeo propose`): the walk, extraction, ranking, output."""

    bases: tuple[str, ...] = (
        "segment", "triangle", "r_triangle", "iso_triangle", "quadrangle", "circumcircle", "trapezoid",
    )
    """Base configurations the walk starts from (names of `tonggeo.constructions.bases.BASES`)."""
    depth: int = 6
    """Construction steps of one walk (mirror partners not counted). Deep walks (`--depth 20`, with more
    points: `max_walk_points`) are possible, but at the same CPU time they gave far fewer problems, found
    at a median depth of 4 (BENCHMARKS.md, Propose)."""
    branches: int = 8
    """One-step continuations of each trunk state tried as auxiliary constructions for the facts true in
    its drawing that it does not derive (only when there are such facts)."""
    ranker: str = "prior"
    """How the walk picks among sampled candidates: 'random' or 'prior' (odds by construction kind)."""
    branch_ranker: str = "aux"
    """How branches are picked: 'random', 'prior', or 'aux' (odds of auxiliary constructions)."""
    branch_near_goals: bool = True
    """Branches name at least one point of the state's hard facts."""
    mirror_pairs: bool = True
    """In a symmetric walk, apply each trunk construction together with its image under the statement's
    symmetry, if any (branches: `branch_twins`)."""
    branch_twins: bool = False
    """In a symmetric walk, a branch (an auxiliary construction) is drawn with its mirror image (True) or
    alone (False: the statement stays symmetric, its aux need not be; one point less to saturate, and a
    branch that is the mirror image of one already tried is skipped)."""
    sample: int = 24
    """Candidates realised per step; the walk's ranker (random or a policy) picks one of them."""
    saturation_seconds: float = 8.0
    """Cap of one DDAR saturation (a trunk state, or a statement checked alone), in CPU seconds of the walk's
    process (`tonggeo.propose.budget`: yields do not depend on the machine's load)."""
    branch_seconds: float = 3.0
    """Cap of the saturation of one branch, in CPU seconds (what it derived by then counts)."""
    min_aux_free_steps: int = 6
    """Problems without auxiliary constructions are kept only with at least this many proof steps."""
    min_proof_steps: int = 2
    """Facts whose proof has fewer rule/algebra steps are trivial and dropped."""
    per_statement: int = 4
    """At most this many goals per statement and set of auxiliary constructions (simple kinds first)."""
    aux_free_per_walk: int = 3
    """At most this many aux-free problems (longest proofs first) are finished per walk."""
    task_seconds: float = 90.0
    """A walk (trunk and branches) stops after this many CPU seconds of its process."""
    max_walk_points: int = 15
    """A walk stops growing at this many points (saturation time grows fast with the points)."""
    max_branch_points: int = 13
    """Trunk states with more points than this are not branched (each branch is one saturation)."""
    max_statement_points: int = 14
    """Statements with more points than this are dropped (hard to read, hard to draw)."""
    redraw_checks: int = 2
    """Fresh drawings (besides the walk's, each from its own generator) on which an aux problem must be
    unproved without its aux and proved with it before it is emitted (a problem that depends on the walk's
    drawing is dropped: `drops` 'drawing', or 'goal false' where the goal itself is false there)."""
    redraw_candidates: int = 4
    """Drawings of the statement tried for each fresh drawing after the first: the one whose order type
    (which way each triple of its points turns, `tonggeo.propose.ordertype`) differs most from the earlier
    fresh drawings' is taken, so the checks see a shape the first does not (an obtuse angle where it is
    acute: a DDAR route that holds in one shape only is dropped as 'drawing', a goal true in one shape only
    as 'goal false'). 1: one random drawing each."""
    redraw_configurations: int = 15
    """Other configurations of the first fresh drawing (its two-candidate choices flipped: the other
    intersection of two circles or a line and a circle, fewest flips first, at most this many) on which an
    aux problem whose goal holds there must be proved with its aux too, or it is dropped: a proof that
    holds in one configuration only is not a proof of the text (0 = off)."""
    redraw_mirror: bool = True
    """For a chiral text (a turn by +90 degrees, a square on one side: `tonggeo.diagram.chiral`), the first
    fresh drawing is redrawn with its base shapes mirrored, which for such a text is its other figure: where
    the goal holds there, the aux must prove it and the statement alone must not derive it, as in the
    two-candidate configurations above. Random drawings land in either orientation, so a problem whose
    route needs one of them would fail a fresh drawing of the other (`tonggeo.propose.redraw`)."""
    alone_configurations: int = 3
    """Configurations of the statement alone (its first fresh drawing without the aux, with its two-candidate
    choices flipped: `tonggeo.propose.redraw`) in which the goal holds and in which the statement saturated
    alone must not derive it, or the aux problem is dropped ('alone elsewhere'), as in its fresh drawings.
    The aux checks draw the aux too, which may collapse in such a configuration; the statement alone does
    not, and there it may derive the goal (0 = only the fresh drawings)."""
    scratch_share: float = 0.25
    """Share of the figures (statement + aux, chosen by a hash of their text, so every goal over a figure
    is checked or none) whose aux problems are proved once more as `tonggeo solve` would: statement and aux
    saturated together from scratch on the first fresh drawing. The checks above replay the walk's proof or
    continue the statement's saturation, which an incompleteness of the engine's read-back can let through.
    One it does not prove is an engine gap: not emitted, and written to gaps.txt for the engine's
    developers; one whose saturation stops at its cap (`saturation_seconds`) short of the goal and of its
    fixpoint is not emitted either (undecided, counted in the drops). 1 checks every figure (the guarantee
    that `solve` proves each emitted problem with its aux on that drawing, at 6% of the walks' CPU in
    session 14's run); 0.25 finds a gap in a family of figures at a quarter of that."""
    minimise_aux: bool = True
    """Drop auxiliary clauses the proof can do without (one saturation per clause tried)."""
    figures: int = 20
    """Figures are drawn for this many top-ranked problems."""
    diagram_attempts: int = 20
    """Attempts of `build_diagram` when re-drawing an extracted statement."""
    symmetric_share: float = 0.5
    """Share of the run's walk CPU (`share_of` 'cpu') or of its walks ('walks') given to walks that keep a
    symmetry of their base (mirror pairs): `tonggeo.propose.arms.Turns`. Until session 12 it was 0.75 of
    the walks, which put 93% of the CPU into symmetric walks (BENCHMARKS.md, Propose, session 13)."""
    share_of: str = "cpu"
    """What `symmetric_share` divides: 'cpu' (walk CPU seconds) or 'walks' (walk count)."""
    base_choice: str = "fertile"
    """How the run picks each walk's base and symmetry: 'turns' (bases in turn, `symmetric_share` of the CPU
    symmetric), 'fertile' (symmetry as with 'turns'; the base drawn by the aux problems per CPU second its
    recent walks of that kind let in under the quotas, with a uniform share) or 'yield' (base and symmetry
    drawn by the classic-goal aux problems per CPU second each gave so far: `tonggeo.propose.arms`)."""
    goal_classes: bool = True
    """Goals over one statement count once up to what its own saturation knows (`tonggeo.propose.goals`):
    a goal that follows from an emitted one (or implies it) is dropped; keys name the goal's class."""
    max_kind_share: float = 0.4
    """No goal kind takes more than this share of a run's aux problems (the parent drops the excess)."""
    min_classic_share: float = 0.5
    """Classic goals (perp, para, cyclic, coll, cong, eqangle) keep at least this share of aux problems."""
    quota_slack: int = 0
    """Problems a kind may run ahead of its quota (0: the quotas hold exactly; over-share problems wait for
    others to balance them, `tonggeo.propose.quota`)."""
    quota_backlog: int = 12
    """When this many aux problems of one goal kind wait for their share (`tonggeo.propose.quota`), new walks
    skip that kind (`Task.skip`): no branches aimed at its hard facts, none of its aux problems finished.
    0 turns the feedback off."""
    incremental: bool = True
    """Each trunk step continues the previous saturation (the statements emitted are still checked by a
    saturation of their own from scratch); without it every trunk state is saturated from scratch."""
    buffer: int = 8
    """Best trunk states kept (by value: new hard facts per step, symmetric share) to restart from."""
    restarts: int = 2
    """Times a walk restarts from its buffer when its trunk stops (no candidate, limit, no fixpoint)."""
    chained: bool = True
    """Each trunk step uses a point the previous step made."""
    angle_ratio_goals: bool = True
    """Also consider numerically true angle and ratio equalities as goals (not only rule conclusions)."""
    rank_aux: float = 3.0
    """Ranking weight per auxiliary construction (counted up to 3)."""
    rank_steps: float = 1.0
    """Ranking weight of log2(1 + proof steps)."""
    rank_symmetric: float = 2.0
    """Ranking bonus of a symmetric problem."""
    rank_size: float = 0.25
    """Ranking penalty per statement point beyond 8."""
    rank_goal_form: float = 4.0
    """Ranking weight of the goal's form (`tonggeo.propose.worth.goal_form`: 1 plain, 0.5, 0 unrelated)."""
    rank_extra_points: float = 1.5
    """Ranking penalty per point an aux clause draws beyond its first (a centroid clause: three)."""
    candidates: CandidateConfig = CandidateConfig(
        exclude=("circle", "eqangle2", "3peq", "excenter2", "ninepoints", "trisect", "trisegment", "square"),
    )
    """Candidate constructions the walk chooses from (fewer multi-point constructions than search)."""


DEFAULT_PROPOSE = ProposeConfig()
