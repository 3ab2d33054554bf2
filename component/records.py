"""``Frozen``: the ``==``, ``hash`` and ``repr`` of frozen dataclasses, written once (#17 start-up).

``@dataclass(frozen=True)`` compiles six methods for each class while its module is imported (≈0.35 ms
a class: the plan's 26 instruction classes alone were ≈9 ms of every command's start). A class
declared ``@dataclass(frozen=True, eq=False, repr=False)`` on this base gets only ``__init__`` and the
frozen ``__setattr__``/``__delattr__`` compiled, and inherits what dataclasses would have generated:

* ``==``: instances of the very same class compare their ``compare=True`` fields as a tuple, in order;
  anything else is ``NotImplemented``;
* ``hash``: of the tuple of the fields that take part in hashing (``hash=`` when given, else ``compare``);
* ``repr``: ``QualifiedName(field=value!r, ...)`` over the ``repr=True`` fields.

It stays a dataclass: ``dataclasses.replace``, ``fields`` and ``asdict`` work as before, and
``tests/test_records.py`` compares each of the three with a plain ``@dataclass(frozen=True)`` twin.
"""

from __future__ import annotations

import dataclasses
from typing import Any


class Frozen:
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _values(self, compared=True) == _values(other, compared=True)

    def __hash__(self) -> int:
        return hash(_values(self, compared=False))

    def __repr__(self) -> str:
        fields = dataclasses.fields(self)  # type: ignore[arg-type]
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields if f.repr)
        return f"{self.__class__.__qualname__}({shown})"


def _values(record: Any, *, compared: bool) -> tuple[Any, ...]:
    """The fields ``==`` compares (``compared``), else those hashed, in declaration order."""
    fields = dataclasses.fields(record)
    if compared:
        return tuple(getattr(record, f.name) for f in fields if f.compare)
    return tuple(getattr(record, f.name) for f in fields if (f.compare if f.hash is None else f.hash))
