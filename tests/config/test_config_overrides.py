"""`--inputs` on the command line: both syntaxes, the Node CLI's value typing, and malformed tokens."""

from __future__ import annotations

from typing import Any

import pytest

from component.config.overrides import extract_input_overrides, parse_value
from component.errors import ConfigError

SYNTAXES: list[tuple[list[str], list[str], dict[str, Any]]] = [
    # argv after the subcommand             remaining argv          overrides
    (["--inputs.traffic=0.1"], [], {"traffic": 0.1}),
    (["--inputs.traffic", "0.1"], [], {"traffic": 0.1}),
    (["--inputs", "traffic=0.1", "publish=true"], [], {"traffic": 0.1, "publish": True}),
    (["--inputs", "traffic=1.0"], [], {"traffic": 1.0}),
    (["--inputs.environment.variables.FOO=bar"], [], {"environment": {"variables": {"FOO": "bar"}}}),
    (
        ["--inputs", "environment.variables.A=1", "environment.variables.B=x"],
        [],
        {"environment": {"variables": {"A": 1, "B": "x"}}},
    ),
    (["--stage", "prod", "--inputs.traffic=0"], ["--stage", "prod"], {"traffic": 0}),
    (["--inputs", "traffic=0.5", "--stage", "prod"], ["--stage", "prod"], {"traffic": 0.5}),
    (["--inputs", "publish=true", "traffic=0", "--debug"], ["--debug"], {"publish": True, "traffic": 0}),
    (["--inputs", "a=1", "target"], ["target"], {"a": 1}),
    (["--inputs.a=1", "--inputs.a=2"], [], {"a": 2}),
    (["--target", "./api"], ["--target", "./api"], {}),
    ([], [], {}),
]


@pytest.mark.parametrize(("argv", "rest", "overrides"), SYNTAXES)
def test_both_syntaxes_build_nested_overrides(argv: list[str], rest: list[str], overrides: dict[str, Any]) -> None:
    assert extract_input_overrides(argv) == (rest, overrides)


VALUES: list[tuple[str, Any]] = [
    # raw value       typed like the Node CLI
    ("0.1", 0.1),
    ("1.0", 1.0),
    ("0", 0),
    ("true", True),
    ("false", False),
    ("null", None),
    ('{"a":1}', {"a": 1}),
    ("[1,2]", [1, 2]),
    ("a,b", ["a", "b"]),
    ("1,true,x", [1, True, "x"]),
    ("release", "release"),
    ("b=c", "b=c"),
    ("'007'", "007"),
    ('"007"', "007"),
    ("007", "007"),
    ("NaN", "NaN"),
    ("", ""),
    ("$DEFAULT", "$DEFAULT"),
]


@pytest.mark.parametrize(("raw", "typed"), VALUES)
def test_values_are_typed_like_the_node_cli(raw: str, typed: Any) -> None:
    value = parse_value(raw)
    assert value == typed
    assert type(value) is type(typed)


def test_a_equals_b_equals_c_keeps_the_rest_of_the_value() -> None:
    assert extract_input_overrides(["--inputs", "description=a=b=c"]) == ([], {"description": "a=b=c"})


def test_quoted_token_stays_a_string() -> None:
    assert extract_input_overrides(["--inputs.name='007'"]) == ([], {"name": "007"})


MALFORMED = [
    ["--inputs.=1"],
    ["--inputs"],
    ["--inputs", "--stage", "dev"],
    ["--inputs.traffic"],
    ["--inputs.traffic", "--stage"],
    ["--inputs", "a..b=1"],
    ["--inputs", "=1"],
]


@pytest.mark.parametrize("argv", MALFORMED)
def test_malformed_tokens_are_config_errors_on_inputs(argv: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        extract_input_overrides(argv)
    assert [p.path for p in caught.value.problems] == ["--inputs"]
    assert "malformed override" in caught.value.problems[0].message


KEY_ONLY = "malformed override 'traffic': expected key=value, e.g. --inputs traffic=0.1"
NO_PAIR = "malformed override '--inputs': needs at least one key=value after it, e.g. --inputs traffic=0.1"
MALFORMED_SAYS = {
    # a key without its value names the token the user wrote, not the flag before it
    ("--inputs", "traffic"): KEY_ONLY,
    ("--inputs", "traffic", "publish=true"): KEY_ONLY,
    ("--inputs",): NO_PAIR,
    ("--inputs", "--stage", "dev"): NO_PAIR,
}


@pytest.mark.parametrize("argv", list(MALFORMED_SAYS))
def test_a_malformed_override_names_the_token_at_fault(argv: tuple[str, ...]) -> None:
    with pytest.raises(ConfigError) as caught:
        extract_input_overrides(list(argv))
    assert [p.message for p in caught.value.problems] == [MALFORMED_SAYS[argv]]
