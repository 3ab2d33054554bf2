"""Read ``inputs`` the way the Node component does where it only tests truthiness.

Real ``serverless.yml`` files (console exports, the component's own docs, Tencent's templates) leave
keys empty: ``vpcConfig: {vpcId: '', subnetId: ''}``, ``cls: {logsetId: null}``, a trigger ``name:``
with nothing after it, ``handler: ''`` on a web function. The Node component reads such a value with
``if (value)`` and so treats it as "not set"; schema validation would refuse it as an empty string or
a missing value. :func:`normalize_inputs` removes exactly those values before validation, so the rest
of the tool sees "unset" and applies the same defaults as the Node component.

Only the places listed in :data:`_UNSET_WHEN_EMPTY` (and any top-level input left empty, ``key:``)
are treated so: elsewhere an empty string is a value and validation judges it. Every removal is
silent because the Node component is silent about it too; the one reshaping that is not the Node
component's behaviour (``environment`` written as a console-export list) is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

# path pattern (``*`` = any list index or trigger type) → which values mean "unset"
_EMPTY = (None, "")
_NULL = (None,)
_UNSET_WHEN_EMPTY: tuple[tuple[tuple[str, ...], tuple[Any, ...]], ...] = (
    (("vpcConfig", "vpcId"), _EMPTY),
    (("vpcConfig", "subnetId"), _EMPTY),
    (("cls", "logsetId"), _NULL),  # '' is meaningful for CLS: "log to no topic" (toolkit sends it)
    (("cls", "topicId"), _NULL),
    (("environment", "variables"), _NULL),
    (("events", "*", "*", "name"), _EMPTY),
    (("events", "*", "*", "parameters", "name"), _EMPTY),
    (("events", "*", "*", "parameters", "qualifier"), _EMPTY),
    (("events", "*", "apigw", "parameters", "serviceName"), _EMPTY),
    (("events", "*", "apigw", "parameters", "serviceId"), _EMPTY),
    (("events", "*", "cos", "parameters", "filter", "prefix"), _EMPTY),
    (("events", "*", "cos", "parameters", "filter", "suffix"), _EMPTY),
)
# containers left empty once their empty members are gone mean "unset" too (``vpcConfig: {}``)
_DROP_IF_EMPTY = (("vpcConfig",), ("cls",), ("environment",), ("events", "*", "cos", "parameters", "filter"))


def normalize_inputs(inputs: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A copy of *inputs* with Node-style empty values removed, and (path, warning) pairs."""
    data: dict[str, Any] = {k: _copy(v) for k, v in inputs.items() if v is not None}
    warnings: list[tuple[str, str]] = []
    if data.get("type") == "web" and data.get("handler") in _EMPTY:
        data.pop("handler", None)  # web functions send no handler (toolkit formatInputs)
    for path, empties in _UNSET_WHEN_EMPTY:
        _visit(data, path, partial(_drop_if, empties=empties))
    for path in _DROP_IF_EMPTY:
        _visit(data, path, partial(_drop_if, empties=({},)))
    env = data.get("environment")
    if isinstance(env, list):
        converted = _env_list(env)
        if converted is not None:
            data["environment"] = {"variables": converted} if converted else {}
            warnings.append(
                (
                    "inputs.environment",
                    "a list of {key, value} (the console export form) is applied as environment.variables; "
                    "the Node component ignores this form and deploys no variables",
                )
            )
    return data, warnings


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _visit(node: Any, path: tuple[str, ...], action: Callable[[dict[str, Any], str], None]) -> None:
    """Call *action(parent, key)* for every mapping entry *path* reaches (``*``: every child)."""
    head, rest = path[0], path[1:]
    if head == "*":
        children = node if isinstance(node, list) else list(node.values()) if isinstance(node, dict) else []
        for child in children:
            if rest:
                _visit(child, rest, action)
        return
    if not isinstance(node, dict) or head not in node:
        return
    if rest:
        _visit(node[head], rest, action)
    else:
        action(node, head)


def _drop_if(parent: dict[str, Any], key: str, empties: tuple[Any, ...]) -> None:
    if any(parent[key] == e and type(parent[key]) is type(e) for e in empties):
        del parent[key]


def _env_list(items: list[Any]) -> dict[str, Any] | None:
    """``[{key: A, value: 1}, ...]`` → ``{A: 1}``; None when the list is not of that form."""
    out: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or set(item) - {"key", "value"} or not isinstance(item.get("key"), str):
            return None
        out[item["key"]] = "" if item.get("value") is None else item["value"]
    return out
