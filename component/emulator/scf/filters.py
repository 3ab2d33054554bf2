"""``Filters`` of ListFunctions and ListTriggers, as the SDK request models document them.

ListFunctions: ``tag-<key>`` (the function carries tag ``key`` with one of the values), single-value
attributes (``VpcId``, ``SubnetId``, ``Role``, ``ClsTopicId``, ``ClsLogsetId``) and multi-value ones
(``Status``, ``Runtime``, ``Type``, ``PublicNetStatus``, ``AsyncRunEnable``, ``TraceEnable``); at most
10 filters.  ListTriggers: ``Qualifier``, ``TriggerName``, ``Description``.  Several filters must all
match; a filter matches when the attribute equals one of its values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from component.emulator.core.errors import ApiError

from .models import Function, Trigger

MAX_FILTERS = 10
SINGLE_VALUE = frozenset({"VpcId", "SubnetId", "Role", "ClsTopicId", "ClsLogsetId"})

FUNCTION_ATTRIBUTES: dict[str, Callable[[Function], str]] = {
    "Status": lambda fn: fn.status,
    "Runtime": lambda fn: fn.latest.runtime,
    "Type": lambda fn: fn.latest.type,
    "PublicNetStatus": lambda fn: str(fn.latest.public_net_config.get("PublicNetStatus", "ENABLE")),
    "AsyncRunEnable": lambda fn: str(fn.latest.extra.get("AsyncRunEnable", "FALSE")),
    "TraceEnable": lambda fn: str(fn.latest.extra.get("TraceEnable", "FALSE")),
    "VpcId": lambda fn: fn.latest.vpc_config.get("VpcId", ""),
    "SubnetId": lambda fn: fn.latest.vpc_config.get("SubnetId", ""),
    "Role": lambda fn: fn.latest.role,
    "ClsTopicId": lambda fn: str(fn.latest.extra.get("ClsTopicId", "")),
    "ClsLogsetId": lambda fn: str(fn.latest.extra.get("ClsLogsetId", "")),
}
TRIGGER_ATTRIBUTES: dict[str, Callable[[Trigger], str]] = {
    "Qualifier": lambda t: t.qualifier,
    "TriggerName": lambda t: t.name,
    "Description": lambda t: t.description,
}


def parse_filters(raw: Any, code: str) -> list[tuple[str, list[str]]]:
    """``[{"Name": ..., "Values": [...]}]`` → ``[(name, values)]``; ``code`` when malformed."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_FILTERS:
        raise ApiError(code, f"Filters must be a list of at most {MAX_FILTERS} {{Name, Values}} objects.")
    parsed = []
    for item in raw:
        name = item.get("Name") if isinstance(item, dict) else None
        values = item.get("Values") if isinstance(item, dict) else None
        if not isinstance(name, str) or not isinstance(values, list) or not values:
            raise ApiError(code, "Each filter needs a Name and a non-empty list of Values.")
        parsed.append((name, [str(v) for v in values]))
    return parsed


def _function_filter(name: str, values: list[str]) -> Callable[[Function], bool]:
    if name.startswith("tag-") and len(name) > len("tag-"):
        key = name[len("tag-"):]
        return lambda fn: any(t.get("Key") == key and t.get("Value") in values for t in fn.latest.tags)
    attribute = FUNCTION_ATTRIBUTES.get(name)
    if attribute is None or (name in SINGLE_VALUE and len(values) != 1):
        raise ApiError("InvalidParameterValue", f"参数取值错误。Filter `{name}` is not supported.",
                       f"Filter `{name}` is not supported.")
    return lambda fn: attribute(fn) in values


def function_matcher(raw: Any) -> Callable[[Function], bool]:
    tests = [_function_filter(name, values) for name, values in parse_filters(raw, "InvalidParameterValue")]
    return lambda fn: all(test(fn) for test in tests)


def trigger_matcher(raw: Any) -> Callable[[Trigger], bool]:
    tests = []
    for name, values in parse_filters(raw, "InvalidParameterValue.Filters"):
        attribute = TRIGGER_ATTRIBUTES.get(name)
        if attribute is None:
            raise ApiError("InvalidParameterValue.Filters", f"Filter `{name}` is not supported.")
        tests.append((attribute, values))
    return lambda t: all(attribute(t) in values for attribute, values in tests)
