"""Alias traffic routing: validation of ``RoutingConfig`` and the per-invoke choice.

Rules (reference §2.3): weights and rule matches are mutually exclusive; one additional
version at most, never the alias's main version; weights in [0, 1]; rule keys are
``invoke.headers.<key>`` read from the invoke's ``RoutingKey``; ``exact`` compares
strings, ``range`` takes ``[a,b]`` (closed) or ``(a,b)`` (open) integer intervals.  At
invoke time a rule hit wins, otherwise a seeded random draw decides the weighted split.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import as_float

from .models import Alias

KEY_PREFIX = "invoke.headers."
RANGE = re.compile(r"^\s*([\[(])\s*(-?\d+)\s*,\s*(-?\d+)\s*([\])])\s*$")
METHODS = frozenset({"exact", "range"})

Weights = list[dict[str, Any]]
Matchs = list[dict[str, str]]


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ApiError("InvalidParameter.RoutingConfig")
    return value


def _check_version(version: Any, main: str, known: Collection[str], code: str) -> str:
    if not isinstance(version, str) or not version:
        raise ApiError(code)
    if version == main:
        raise ApiError(code, f"{ApiError(code).message} The additional version must not be the main version.")
    if version not in known:
        raise ApiError("ResourceNotFound.FunctionVersion")
    return version


def parse_range(expression: str) -> tuple[bool, int, int]:
    """``[a,b]`` → (closed=True, a, b); ``(a,b)`` → (False, a, b)."""
    match = RANGE.match(expression)
    if match is None or (match[1] == "[") != (match[4] == "]"):
        raise ApiError("InvalidParameterValue.RoutingConfig")
    low, high = int(match[2]), int(match[3])
    if low > high:
        raise ApiError("InvalidParameterValue.RoutingConfig")
    return match[1] == "[", low, high


def _weight(item: dict[str, Any], main: str, known: Collection[str]) -> dict[str, Any]:
    version = _check_version(item.get("Version"), main, known, "InvalidParameterValue.AdditionalVersionWeights")
    weight = as_float(item.get("Weight"), "InvalidParameterValue.AdditionalVersionWeights")
    if not 0.0 <= weight <= 1.0:
        raise ApiError("InvalidParameterValue.AdditionalVersionWeights")
    return {"Version": version, "Weight": weight}


def _match(item: dict[str, Any], main: str, known: Collection[str]) -> dict[str, str]:
    version = _check_version(item.get("Version"), main, known, "InvalidParameterValue.RoutingConfig")
    key, method, expression = item.get("Key"), item.get("Method"), item.get("Expression")
    if not isinstance(key, str) or not key.startswith(KEY_PREFIX) or len(key) == len(KEY_PREFIX):
        raise ApiError("InvalidParameterValue.RoutingConfig")
    if method not in METHODS or not isinstance(expression, str) or not expression:
        raise ApiError("InvalidParameterValue.RoutingConfig")
    if method == "range":
        parse_range(expression)
    return {"Version": version, "Key": key, "Method": method, "Expression": expression}


def parse_routing(raw: Any, main: str, known: Collection[str]) -> tuple[Weights, Matchs]:
    """Validate a RoutingConfig against the alias main version and existing versions."""
    if raw is None:
        return [], []
    if not isinstance(raw, dict):
        raise ApiError("InvalidParameter.RoutingConfig")
    weights_raw = _list(raw, "AdditionalVersionWeights")
    matchs_raw = _list(raw, "AddtionVersionMatchs")
    if weights_raw and matchs_raw:
        raise ApiError("InvalidParameterValue.RoutingConfig")
    if len(weights_raw) > 1:
        raise ApiError("InvalidParameterValue.AdditionalVersionWeights")
    weights = [_weight(item, main, known) for item in weights_raw]
    matchs = [_match(item, main, known) for item in matchs_raw]
    if len({m["Version"] for m in matchs}) > 1:
        raise ApiError("InvalidParameterValue.RoutingConfig")
    return weights, matchs


def rule_hits(rule: dict[str, str], routing_key: dict[str, str]) -> bool:
    value = routing_key.get(rule["Key"][len(KEY_PREFIX):])
    if value is None:
        return False
    if rule["Method"] == "exact":
        return value == rule["Expression"]
    closed, low, high = parse_range(rule["Expression"])
    try:
        number = int(value)
    except ValueError:
        return False
    return low <= number <= high if closed else low < number < high


def choose_version(alias: Alias, routing_key: dict[str, str], rng: random.Random) -> str:
    for rule in alias.matchs:
        if rule_hits(rule, routing_key):
            return rule["Version"]
    for weight in alias.weights:
        if rng.random() < float(weight["Weight"]):
            return str(weight["Version"])
    return alias.function_version
