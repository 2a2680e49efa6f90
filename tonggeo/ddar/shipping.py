"""Fast pickling of the records a database ships to search workers.

Facts and justifications are frozen slotted dataclasses, which pickle through `dataclasses`' generic
`__getstate__`/`__setstate__` (a `fields()` call per object each way): most of the cost of shipping a
saturated state.  Registering a reducer per class (the class and its field values, rebuilt by the
class itself) gives equal objects at a fraction of the cost.
"""

from __future__ import annotations

import copyreg
import dataclasses
from collections.abc import Callable
from typing import Any

from tonggeo.facts import justification, model


def _reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    names = tuple(f.name for f in dataclasses.fields(cls))

    def reduce(obj: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, tuple([getattr(obj, name) for name in names])

    return reduce


def frozen_record_classes() -> list[type]:
    """The frozen slotted dataclasses of `tonggeo.facts.model` and `tonggeo.facts.justification`."""
    found = []
    for module in (model, justification):
        for value in vars(module).values():
            if not (isinstance(value, type) and dataclasses.is_dataclass(value)):
                continue
            params = getattr(value, "__dataclass_params__", None)
            if value.__module__ == module.__name__ and params is not None and params.frozen \
                    and hasattr(value, "__slots__"):
                found.append(value)
    return found


def register() -> None:
    for cls in frozen_record_classes():
        copyreg.pickle(cls, _reducer(cls))


register()
