"""The common machinery of the angle, ratio and distance tables: caller ids <-> columns, numeric values,
exact answers from the `Basis`, batch answers from the fingerprint kernels re-checked exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import ClassVar, Generic, Self

import numpy as np
from numpy.typing import NDArray

from tonggeo.config import DEFAULT_ALGEBRA, AlgebraTablesConfig
from tonggeo.ddar.algebra.basis import Basis, InconsistentFact, Reduction
from tonggeo.ddar.algebra.certificate import Certificate, Const, Equation, TableKind
from tonggeo.ddar.algebra.constants import C, ConstSpace, Rational
from tonggeo.ddar.algebra.modular import ModularImage

Coeffs = Mapping[int, int]
Pair = tuple[int, int]


class NumericMismatch(AssertionError):
    """An equation given to `add` is false in the diagram (`AlgebraTablesConfig.check_numeric`)."""


class LinearTable(Generic[C]):
    """Equations `sum(c * x_var) = const` over caller-chosen integer variable ids, fact ids as reasons."""

    kind: ClassVar[TableKind]

    def __init__(self, space: ConstSpace[C], config: AlgebraTablesConfig = DEFAULT_ALGEBRA) -> None:
        self.config = config
        self._space = space
        self._basis: Basis[C] = Basis(space)
        self._column: dict[int, int] = {}
        self._variable: list[int] = []
        self._values: dict[int, float] = {}
        self._facts: dict[int, tuple[Equation, ...]] = {}
        self._sources: list[tuple[int, Equation]] = []
        """equation id (the basis's provenance key) -> (fact id, equation)."""
        self._ids: dict[tuple[int, Equation], int] = {}
        self._modular = ModularImage(self._basis, config)  # type: ignore[arg-type]
        self.generation = 0
        """How many `add`s changed what the table implies (answers are the same while it stays put)."""
        self._classes_at: tuple[int, int, list[list[tuple[int, C]]]] | None = None
        """`classes()` as of (generation, number of variables)"""

    def copy(self) -> Self:
        """An independent copy that can take further facts without touching this table."""
        other = object.__new__(type(self))
        other.config = self.config
        other._space = self._space
        other._basis = self._basis.copy()
        other._column = dict(self._column)
        other._variable = list(self._variable)
        other._values = dict(self._values)
        other._facts = dict(self._facts)
        other._sources = list(self._sources)
        other._ids = dict(self._ids)
        other._modular = self._modular.copy(other._basis)  # type: ignore[arg-type]
        other.generation = self.generation
        other._classes_at = self._classes_at
        return other

    # ------------------------------------------------------------------ hooks for each kind
    def _const(self, const: Rational | Const) -> C:
        raise NotImplementedError

    def _numeric(self, value: float) -> float:
        """The internal numeric value of a variable from the caller's value."""
        raise NotImplementedError

    def _mismatch(self, numeric: float, const: C, scale: float) -> float:
        """How far a numeric left side is from the constant, in units comparable to `numeric_tol`."""
        raise NotImplementedError

    def _resolve(self, k: int, base: C, red_vector: dict[int, Rational]) -> C | None:
        """The constant of a combination whose k-th multiple equals `base` (k > 1 only for angles)."""
        return base if k == 1 else None

    # ------------------------------------------------------------------ variables and facts
    def _col(self, var: int) -> int:
        col = self._column.get(var)
        if col is None:
            col = len(self._variable)
            self._column[var] = col
            self._variable.append(var)
        return col

    def add_variable(self, var: int, value: float) -> None:
        """Record a numeric value for a variable (used for checks and, for angles, to pick branches)."""
        self._values[self._col(var)] = self._numeric(value)

    @property
    def variables(self) -> tuple[int, ...]:
        return tuple(self._variable)

    def equations(self, fact: int) -> tuple[Equation, ...]:
        """The equations a fact was added with (what certificate terms naming it refer to)."""
        return self._facts.get(fact, ())

    @property
    def facts(self) -> Mapping[int, tuple[Equation, ...]]:
        """Fact id -> the equations added with it (usually one); `verify_certificate` accepts this."""
        return self._facts

    def add(self, coeffs: Coeffs, const: Rational | Const, fact: int) -> bool:
        """Assert `sum(c * x) = const` proved by `fact`; True if it was new information.

        One fact may give several equations (a coll record tying several lines); each is a separate
        term of the certificates that use it.
        """
        value = self._const(const)
        clean = {v: _integer(c) for v, c in coeffs.items() if c}
        if self.config.check_numeric:
            self._check_numeric(clean, value, fact)
        equation = Equation.of(self.kind, clean, const)
        if (fact, equation) in self._ids:
            return False
        eid = len(self._sources)
        self._sources.append((fact, equation))
        self._ids[(fact, equation)] = eid
        self._facts[fact] = (*self._facts.get(fact, ()), equation)
        vector = {self._col(v): c for v, c in clean.items()}
        try:
            changed = self._basis.insert(vector, value, eid)
        except InconsistentFact as exc:
            raise InconsistentFact(f"fact {fact}: {equation} contradicts the table ({exc})") from exc
        if changed:
            self.generation += 1
        return changed

    def _numeric_lhs(self, vector: Mapping[int, Rational]) -> tuple[float, float] | None:
        total, scale = 0.0, 0.0
        for col, c in vector.items():
            x = self._values.get(col)
            if x is None:
                return None
            total += float(c) * x
            scale += abs(float(c) * x)
        return total, scale

    def _check_numeric(self, coeffs: Coeffs, value: C, fact: int) -> None:
        cols = {self._column.get(v, -1): c for v, c in coeffs.items()}
        numeric = self._numeric_lhs(cols)
        if numeric is None:
            return
        miss = self._mismatch(numeric[0], value, numeric[1])
        if miss > self.config.numeric_tol:
            eq = Equation.of(self.kind, coeffs, value)  # type: ignore[arg-type]
            raise NumericMismatch(f"fact {fact}: {eq} is off by {miss:.3g} in the diagram")

    # ------------------------------------------------------------------ exact queries
    def _reduce(self, coeffs: Coeffs) -> Reduction | None:
        vector: dict[int, Rational] = {}
        for v, c in coeffs.items():
            if not c:
                continue
            col = self._column.get(v)
            if col is None:
                return None
            vector[col] = vector.get(col, 0) + c
        red = self._basis.reduce(vector)
        return red if red.in_span else None

    def _value_of(self, coeffs: Coeffs, red: Reduction) -> C | None:
        k, base = self._basis.value(red)
        if k == 1:
            return base
        return self._resolve(k, base, {self._column[v]: c for v, c in coeffs.items() if c})

    def constant(self, coeffs: Coeffs) -> C | None:
        """The value of `sum(c * x)` if the table determines it, else None."""
        red = self._reduce(coeffs)
        return None if red is None else self._value_of(coeffs, red)

    def implied(self, coeffs: Coeffs, const: Rational | Const) -> bool:
        """Whether `sum(c * x) = const` follows from the added facts."""
        value = self.constant(coeffs)
        return value is not None and value == self._const(const)

    def explain(self, coeffs: Coeffs, const: Rational | Const) -> Certificate | None:
        """A certificate for `sum(c * x) = const`, or None if it is not implied."""
        red = self._reduce(coeffs)
        if red is None:
            return None
        value = self._value_of(coeffs, red)
        target = self._const(const)
        if value is None or value != target:
            return None
        prov = self._basis.provenance(red)
        used = sorted(prov.items(), key=lambda item: (self._sources[item[0]][0], item[0]))
        terms = tuple((self._sources[eid][0], Fraction(x)) for eid, x in used)
        equations = tuple(self._sources[eid][1] for eid, _ in used)
        k = self._basis.value(red)[0]
        return Certificate(self.kind, terms, Equation.of(self.kind, coeffs, const), k, equations)

    # ------------------------------------------------------------------ batch queries
    def _pack(self, candidates: Sequence[Coeffs]) -> tuple[NDArray[np.int64], ...] | None:
        indptr = np.zeros(len(candidates) + 1, dtype=np.int64)
        cols: list[int] = []
        vals: list[int] = []
        known = self._column
        bad = -1
        for i, coeffs in enumerate(candidates):
            for v, c in coeffs.items():
                col = known.get(v, bad)
                cols.append(col)
                vals.append(c)
            indptr[i + 1] = len(cols)
        return indptr, np.array(cols, dtype=np.int64), np.array(vals, dtype=np.int64)

    def _maybe_in_span(self, candidates: Sequence[Coeffs]) -> list[bool]:
        """A superset of the candidates in the span (fingerprint test, or all of them if unusable)."""
        packed = self._pack(candidates)
        assert packed is not None
        indptr, cols, vals = packed
        unknown = cols < 0
        if not self._modular.usable:
            mask = np.ones(len(candidates), dtype=np.bool_)
        else:
            safe = np.where(unknown, 0, cols)
            n = max(len(self._variable), 1)
            mask = self._modular.candidate_mask(n, indptr, safe, vals)
        if unknown.any():
            rows = np.searchsorted(indptr, np.nonzero(unknown)[0], side="right") - 1
            nonzero = vals[unknown] != 0
            mask[rows[nonzero]] = False
        return [bool(x) for x in mask]

    def implied_equalities(self, candidates: Iterable[tuple[Coeffs, Rational | Const]]) -> list[bool]:
        """For each candidate `(coeffs, const)`, whether it is implied; fingerprints first, exact re-check."""
        cands = list(candidates)
        maybe = self._maybe_in_span([c for c, _ in cands])
        return [ok and self.implied(coeffs, const) for ok, (coeffs, const) in zip(maybe, cands, strict=True)]

    def determined(self, candidates: Sequence[Coeffs]) -> list[C | None]:
        """For each combination, its constant if the table determines it (batch form of `constant`)."""
        maybe = self._maybe_in_span(candidates)
        return [self.constant(c) if ok else None for ok, c in zip(maybe, candidates, strict=True)]

    def _fingerprint_keys(self) -> list[tuple[int, ...]]:
        n = len(self._variable)
        if n == 0:
            return []
        fps = self._modular.fingerprints(n)
        return list(zip(*(f.tolist() for f in fps), strict=True))

    def classes(self) -> list[list[tuple[int, C]]]:
        """Groups (of two or more) of variables whose pairwise differences are determined.

        Each group is `[(rep, zero), (var, offset), ...]` with `x_var - x_rep = offset` exactly; for
        angles, offset 0 is a parallel class and 1/2 a perpendicular one.  The answer is remembered until
        the table or its variables change (callers must not modify it).
        """
        cached = self._classes_at
        if cached is not None and cached[0] == self.generation and cached[1] == len(self._variable):
            return cached[2]
        if not self._modular.usable:
            groups = self._classes_exact()
        else:
            buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
            for col, key in enumerate(self._fingerprint_keys()):
                buckets[key].append(col)
            groups = self._verify_groups(buckets.values())
        self._classes_at = (self.generation, len(self._variable), groups)
        return groups

    def _classes_exact(self) -> list[list[tuple[int, C]]]:
        cols = list(range(len(self._variable)))
        return self._verify_groups([cols])

    def _verify_groups(self, groups: Iterable[list[int]]) -> list[list[tuple[int, C]]]:
        out: list[list[tuple[int, C]]] = []
        zero = self._space.zero()
        for group in groups:
            pending = list(group)
            while len(pending) > 1:
                rep = self._variable[pending[0]]
                members: list[tuple[int, C]] = [(rep, zero)]
                rest = []
                for col in pending[1:]:
                    var = self._variable[col]
                    value = self.constant({var: 1, rep: -1})
                    if value is None:
                        rest.append(col)
                    else:
                        members.append((var, value))
                if len(members) > 1:
                    out.append(members)
                pending = rest
        return out

    def pair_groups(self, pairs: Sequence[Pair]) -> list[list[tuple[Pair, C]]]:
        """Group pairs `(a, b)` whose differences `x_a - x_b` differ by determined constants.

        Each group is `[(pair0, zero), (pair, offset), ...]` with `(x_a - x_b) - (x_a0 - x_b0) = offset`;
        pairs with offset zero give eqangle / eqratio facts. Pairs with unknown variables are skipped.
        """
        known = [(a, b) for a, b in pairs if a in self._column and b in self._column]
        if not known:
            return []
        zero = self._space.zero()
        groups: dict[tuple[int, ...], list[Pair]] = defaultdict(list)
        if self._modular.usable:
            n = len(self._variable)
            fps = self._modular.fingerprints(n)
            a_cols = np.array([self._column[a] for a, _ in known], dtype=np.int64)
            b_cols = np.array([self._column[b] for _, b in known], dtype=np.int64)
            primes = self.config.primes
            keys = [((f[a_cols] - f[b_cols]) % p).tolist() for f, p in zip(fps, primes, strict=True)]
            for pair, key in zip(known, zip(*keys, strict=True), strict=True):
                groups[key].append(pair)
        else:
            groups[()] = known
        out: list[list[tuple[Pair, C]]] = []
        for group in groups.values():
            pending = group
            while len(pending) > 1:
                a0, b0 = pending[0]
                members: list[tuple[Pair, C]] = [((a0, b0), zero)]
                rest = []
                for a, b in pending[1:]:
                    combo: dict[int, int] = defaultdict(int)
                    for v, c in ((a, 1), (b, -1), (a0, -1), (b0, 1)):
                        combo[v] += c
                    value = self.constant(combo)
                    if value is None:
                        rest.append((a, b))
                    else:
                        members.append(((a, b), value))
                if len(members) > 1:
                    out.append(members)
                pending = rest
        return out

    # ------------------------------------------------------------------ statistics
    def stats(self) -> dict[str, int]:
        return {
            "variables": len(self._variable),
            "facts": len(self._facts),
            "rows": len(self._basis),
            "nonzeros": self._basis.nnz(),
        }


def _integer(c: Rational) -> int:
    if c != int(c):
        raise ValueError(f"equation coefficients must be integers, got {c}")
    return int(c)
