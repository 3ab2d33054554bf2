"""``component.records.Frozen`` gives a frozen dataclass the ``==``, ``hash`` and ``repr`` that
``@dataclass(frozen=True)`` would generate (#17): each case compares a pair of instances of a class on
the base with the same pair of its plain twin."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import pytest

from component.cloud.api import AliasInfo
from component.deploy.instructions import ApiBinding, CodeRef, CreateFunction, Plan, PutAlias
from component.records import Frozen


@dataclass(frozen=True, eq=False, repr=False)
class Lean(Frozen):
    name: str
    size: int = 0
    note: str = field(default="", compare=False)
    hidden: str = field(default="", repr=False)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Twin:
    name: str
    size: int = 0
    note: str = field(default="", compare=False)
    hidden: str = field(default="", repr=False)
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class Other(Frozen):
    name: str
    size: int = 0
    note: str = field(default="", compare=False)
    hidden: str = field(default="", repr=False)
    tags: tuple[str, ...] = ()


PAIRS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"name": "a"}, {"name": "a"}),
    ({"name": "a"}, {"name": "b"}),
    ({"name": "a", "note": "x"}, {"name": "a", "note": "y"}),  # not compared, not hashed
    ({"name": "a", "hidden": "x"}, {"name": "a", "hidden": "y"}),  # compared, not shown
    ({"name": "a", "tags": ("t",)}, {"name": "a", "tags": ()}),
    ({"name": "a'\n", "size": 3}, {"name": "a'\n", "size": 3}),
]


@pytest.mark.parametrize(("left", "right"), PAIRS)
def test_equality_hash_and_repr_are_the_generated_ones(left: dict[str, Any], right: dict[str, Any]) -> None:
    lean = Lean(**left), Lean(**right)
    twin = Twin(**left), Twin(**right)
    assert (lean[0] == lean[1], lean[0] != lean[1]) == (twin[0] == twin[1], twin[0] != twin[1])
    assert (hash(lean[0]) == hash(lean[1])) == (hash(twin[0]) == hash(twin[1]))
    assert hash(lean[0]) == hash(tuple(v for k, v in dataclasses.asdict(twin[0]).items() if k != "note"))
    assert [repr(x).replace("Lean", "Twin") for x in lean] == [repr(x) for x in twin]


def test_another_class_with_the_same_fields_is_not_equal_and_it_stays_frozen() -> None:
    assert Lean("a") != Other("a") and Lean("a") != ("a", 0, "", "", ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        Lean("a").name = "b"  # type: ignore[misc]
    assert dataclasses.replace(Lean("a"), size=2) == Lean("a", 2)


def test_plans_of_the_same_instructions_compare_equal() -> None:
    code = CodeRef(sha256="ab", size=3)
    steps = (CreateFunction("f", code, {"Handler": "i.h"}), PutAlias("f", AliasInfo("$DEFAULT", "1")))
    assert Plan(steps, (), None) == Plan(tuple(steps), (), None)
    assert Plan(steps, (), None) != Plan(steps[:1], (), None)
    assert ApiBinding("/", "GET", "n", "f", "default", "$DEFAULT", function_type="EVENT") == ApiBinding(
        "/", "GET", "n", "f", "default", "$DEFAULT", function_type="HTTP"
    )
    assert repr(code) == "CodeRef(sha256='ab', size=3, cos_bucket=None, cos_object=None, image=())"
