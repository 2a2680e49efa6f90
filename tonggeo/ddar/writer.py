"""The one writer of facts: every record of a database is added here, and the algebraic tables are built,
fed, forked and extended here only.

`Database` keeps the records and the classes (lines, circles, directions, lengths, perpendicular
directions) and reads the tables through `db.linear` to answer `holds`; it never builds or changes them.
The tables (`LinearStore`, `SquaredLengths`) read the database through `FactView` and hand what they find
back as facts or (fact, step) pairs.  `add` stores a record and then feeds the tables, so a record and
the tables' view of it cannot drift apart.  Callers: the saturator and its justification helper
(`support`), a statement's premises (`State`, propose's `deduce`).  `tests/ddar/test_one_writer.py`
checks that nothing else adds a record or feeds a table.
"""

from __future__ import annotations

from tonggeo.ddar.database import Database
from tonggeo.ddar.linear import LinearStore
from tonggeo.ddar.numeric import NumericModel
from tonggeo.facts import Fact
from tonggeo.facts.justification import Justification


def new_database(numeric: NumericModel, *, algebra: bool = True) -> Database:
    """An empty database on `numeric`, with algebraic tables unless `algebra` is off."""
    db = Database(numeric)
    if algebra:
        db.linear = LinearStore(db)
    return db


def add(db: Database, fact: Fact, why: Justification) -> int | None:
    """Store `fact` with its justification, update the classes and feed the tables; None if it is
    already a record."""
    added = db.add_record(fact, why)
    if added is None:
        return None
    fid, merge = added
    linear = db.linear
    if linear is not None:
        if merge is not None:
            linear.merge_lines(merge[0], merge[1], fid)
        linear.feed(fact, fid)
    return fid


def fork(db: Database) -> Database:
    """An independent copy: the records shared, the classes and tables copy-on-write."""
    other = db.fork_classes()
    if db.linear is not None:
        other.linear = db.linear.copy(other)
    return other


def add_points(db: Database, numeric: NumericModel) -> None:
    """Switch `db` to a numeric model with more points (the existing ones first, unchanged); the tables
    extend the relations they hold for every point (a midpoint's medians) to the new points."""
    old = db.n
    db.add_points(numeric)
    if db.linear is not None:
        db.linear.add_points(old)
