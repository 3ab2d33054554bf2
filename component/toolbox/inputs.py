"""Reading the ``--inputs key=value`` of a component action: required keys, types, clear errors.

Every problem is a :class:`~component.errors.ConfigError` (exit 2) naming the input, what was expected
and an example, raised before any call to the cloud.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from component.errors import ConfigError, Problem

WEIGHTS_EXAMPLE = "config='{\"weights\":{\"2\":0.5}}'"


def problem(key: str, message: str, hint: str = "") -> ConfigError:
    return ConfigError(Problem(f"--inputs {key}", message, hint=hint))


def text(inputs: Mapping[str, Any], key: str, default: str | None = None) -> str | None:
    """A string input; numbers are accepted as their text (``version=2``)."""
    value = inputs.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise problem(key, f"must be a string, got {json.dumps(value)}")
    return str(value)


def required(inputs: Mapping[str, Any], key: str, example: str) -> str:
    value = text(inputs, key)
    if value is None:
        raise problem(key, "is required", hint=f"e.g. --inputs {example}")
    return value


def number(inputs: Mapping[str, Any], key: str, default: int) -> int:
    value = inputs.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise problem(key, f"must be a positive number of seconds, got {json.dumps(value)}")
    return int(value)


def flag(inputs: Mapping[str, Any], key: str) -> bool:
    value = inputs.get(key, False)
    if not isinstance(value, bool):
        raise problem(key, f"must be true or false, got {json.dumps(value)}")
    return value


def json_text(inputs: Mapping[str, Any], *keys: str) -> str:
    """The first of *keys* given, as JSON text (an object given on the command line is re-encoded)."""
    for key in keys:
        value = inputs.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                json.loads(value)
            except ValueError:
                raise problem(key, "must be JSON", hint=f"e.g. --inputs {key}='{{\"hello\":\"world\"}}'") from None
            return value
        return json.dumps(value)
    return "{}"


def weights(inputs: Mapping[str, Any], main_version: str) -> list[dict[str, Any]]:
    """``config.weights`` as AdditionalVersionWeights (none without ``config``); more than one is refused
    (SCF routes an alias to two versions at most) instead of silently keeping the first, as the reference did."""
    config = inputs.get("config")
    if config is None:  # an alias on one version (the reference insisted on a config)
        return []
    if isinstance(config, str):
        try:
            config = json.loads(config)
        except ValueError:
            config = None
    table = config.get("weights") if isinstance(config, dict) else None
    if not isinstance(table, dict):
        raise problem("config", "must be an object with weights {VERSION: SHARE}", hint=f"e.g. {WEIGHTS_EXAMPLE}")
    found = []
    for version, share in table.items():
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise problem(f"config.weights.{version}", f"must be a number from 0 to 1, got {json.dumps(share)}")
        if str(version) == main_version:
            raise problem(f"config.weights.{version}", f"is the alias's main version ({main_version})",
                          hint="the main version gets what the other weights leave")
        found.append({"Version": str(version), "Weight": float(share)})
    if len(found) > 1:
        raise problem("config.weights", f"names {len(found)} versions; an alias routes to its main version and "
                      "at most one other", hint=f"e.g. {WEIGHTS_EXAMPLE}")
    return found
