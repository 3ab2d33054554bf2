"""The quick check agrees with jsonschema wherever it is sure (#17: valid files skip the jsonschema import).

Two sides: every valid corpus file is ``valid`` here (else the quick path would never be taken), and on
mutated files (a value replaced by another of any JSON type, a key added or removed) a ``valid`` or
``invalid`` answer is always jsonschema's answer. ``unsure`` is allowed anywhere: jsonschema decides.
"""

from __future__ import annotations

import collections
import copy
import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from component.config.project import load_project
from component.config.quickcheck import INVALID, UNSURE, VALID, verdict
from component.config.validate import _validator_class, load_schema
from component.errors import ScfError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    p.parent for base in ("examples", "tests/compat/projects", "tests/fixtures/projects")
    for p in (ROOT / base).glob("*/serverless.yml")
)


@cache
def corpus_inputs() -> tuple[dict[str, Any], ...]:
    found = []
    for folder in CORPUS:
        try:
            found.append(load_project(folder).inputs)
        except ScfError:
            continue  # a fixture that needs outputs or is meant to fail: not a valid file
    return tuple(found)


def schema_valid(inputs: Any) -> bool:
    """jsonschema's verdict, with the schema's patterns read as ECMA-262 (component.config.ecma)."""
    return not any(True for _ in _validator_class()(load_schema()).iter_errors(inputs))


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(corpus_inputs()) >= 30


@pytest.mark.parametrize("index", range(len(CORPUS)))
def test_every_valid_corpus_file_is_accepted_quickly(index: int) -> None:
    inputs = corpus_inputs()
    if index >= len(inputs):
        pytest.skip("fewer valid files than folders")
    assert schema_valid(inputs[index])
    assert verdict(inputs[index], load_schema()) == VALID


# Values of every JSON type, including the ones Python confuses (True == 1, 1.0 == 1) and the strings and
# numbers the schema's enums and patterns test.
VALUES = (None, True, False, 0, 1, -1, 128, 1.5, 256.0, 10**6, "", "x", "1", "-1", "Python3.9", "$LATEST",
          "index.main_handler", "ap-guangzhou", [], ["x"], [1], {}, {"a": 1}, {"name": "x"})
KEYS = ("memorySize", "bogus", "traffic", "type", "name", "weight", "handler", "runtime", "enable")


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nodes(item, (*path, index))
    return found


def _mutate(inputs: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
    """One change at a random place: a value replaced, a key added, or a key removed."""
    mutated = copy.deepcopy(inputs)
    path = rnd.choice(_nodes(mutated))
    parent: Any = mutated
    for step in path[:-1]:
        parent = parent[step]
    target, how = parent[path[-1]], rnd.randrange(3)
    if how == 1 and isinstance(target, dict):
        target[rnd.choice(KEYS)] = rnd.choice(VALUES)
    elif how == 2 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(rnd.choice(VALUES))
    return mutated


def test_where_the_quick_check_is_sure_jsonschema_agrees() -> None:
    rnd = random.Random(17)  # a fixed seed: the same 3000 files on every run
    inputs = corpus_inputs()
    seen: collections.Counter[tuple[str, bool]] = collections.Counter()
    for _ in range(3000):
        mutated = _mutate(rnd.choice(inputs), rnd)
        answer, valid = verdict(mutated, load_schema()), schema_valid(mutated)
        seen[answer, valid] += 1
        if answer != UNSURE:
            assert (answer == VALID) is valid, mutated
    assert seen[VALID, True] > 500 and seen[INVALID, False] > 500  # both sides were exercised


@pytest.mark.parametrize(
    ("instance", "answer", "valid"),
    [
        ({"memorySize": True}, INVALID, False),  # a boolean is not an integer, though True == 1 in Python
        ({"memorySize": 256.0}, UNSURE, True),  # an integral float: multipleOf on a float is left to jsonschema
        ({"timeout": 30.0}, VALID, True),  # an integral float is an integer in JSON Schema
        ({"memorySize": 200}, INVALID, False),  # multipleOf 128
        ({"traffic": 1.5}, INVALID, False),
        ({"publish": 1}, INVALID, False),
        ({"unknownKey": 1}, INVALID, False),  # jsonschema then decides whether it is only ignored (a warning)
        ({"aliasName": "release\n"}, INVALID, False),  # ECMA's $ is the end of the text, not before a newline
        ({"region": "ap-guangzhou\n"}, INVALID, False),
        ({"aliasName": "release"}, VALID, True),
    ],
)
def test_json_schema_corner_cases(instance: dict[str, Any], answer: str, valid: bool) -> None:
    inputs = {**corpus_inputs()[0], **instance}
    assert verdict(inputs, load_schema()) == answer
    assert schema_valid(inputs) is valid
