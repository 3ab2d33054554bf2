"""``scf invoke``: run the function through an alias or version and say which version served.

The cloud's Invoke answer does not say which version ran, so the version comes from documented sources
only: a version qualifier (or ``$LATEST``) is what ran; an alias without a split serves its main
version; an alias with rules serves the rule's version when the routing key matches it (``exact`` /
``range``, as the routing reference defines them) and its main version otherwise. Behind a weighted
split the cloud does not report it, and we say so (``version: null``) instead of guessing. (The
emulator's ``START … Version: N`` log line is an emulator extra and is not read.) A user-code error is
not an API error: the cloud answers normally with ``InvokeResult`` 1, and we turn that into exit code 4
with the function's own error message.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from component.cloud.api import ScfApi
from component.errors import ConfigError, InvocationFailed, Problem
from component.qualifiers import DEFAULT_ALIAS, LATEST
from component.render import Reporter

_RANGE = re.compile(r"^\s*([\[(])\s*(-?\d+)\s*,\s*(-?\d+)\s*([\])])\s*$")


def _rule_hits(method: str, expression: str, value: str | None) -> bool:
    if value is None:
        return False
    if method == "exact":
        return value == expression
    found = _RANGE.match(expression)
    if found is None or not value.lstrip("-").isdigit():
        return False
    low, high, number = int(found[2]), int(found[3]), int(value)
    return low <= number <= high if found[1] == "[" else low < number < high


def served_version(api: ScfApi, name: str, qualifier: str, routing_key: str | None) -> str | None:
    """The version that served, from documented sources only; None when the cloud does not say."""
    if qualifier == LATEST or qualifier.isdigit():
        return qualifier
    alias = api.get_alias(name, qualifier)
    if alias is None or alias.weights:
        return None
    key: dict[str, str] = json.loads(routing_key) if routing_key else {}
    for rule in alias.matches:
        if _rule_hits(rule.method, rule.expression, key.get(rule.key.removeprefix("invoke.headers."))):
            return rule.version
    return alias.main_version


#: ``ClientContext`` of a synchronous Invoke: at most 6 MB (tencent-api.md, limits).
EVENT_LIMIT = 6 * 1024 * 1024


def read_event(text: str, limit: int = EVENT_LIMIT) -> str:
    if text.startswith("@"):
        try:
            with open(text[1:], "rb") as handle:  # bounded: @/dev/zero or a huge file never fills memory
                data = handle.read(limit + 1)
            if len(data) > limit:
                message = f"{text[1:]} is larger than {limit} bytes, the limit of a synchronous Invoke event"
                raise ConfigError(Problem(path="--event", message=message, hint="give a smaller event"))
            raw = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message = f"cannot read {text[1:]}: {why}"
            raise ConfigError(Problem(path="--event", message=message, hint="give JSON or @FILE")) from None
    else:
        raw = text
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(Problem(path="--event", message=f"must be JSON: {exc.msg} at column {exc.colno}")) from None
    return raw


def _routing_key(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(
            Problem(path="--routing-key", message='must be a JSON object of strings, e.g. {"User":"Bob"}')
        )
    return json.dumps(value)


def invoke_function(api: ScfApi, name: str, args: argparse.Namespace, reporter: Reporter) -> int:
    params: dict[str, Any] = {
        "Qualifier": args.qualifier or DEFAULT_ALIAS,
        "ClientContext": read_event(args.event),
        "LogType": "Tail",
        "InvocationType": "RequestResponse",
    }
    key = _routing_key(args.routing_key)
    if key:
        params["RoutingKey"] = key
    result = api.invoke(name, params)
    summary = {
        "version": served_version(api, name, params["Qualifier"], key),
        "result": result.get("RetMsg"),
        "duration": result.get("Duration"),
        "billDuration": result.get("BillDuration"),
        "memUsage": result.get("MemUsage"),
        "functionRequestId": result.get("FunctionRequestId"),
        "log": result.get("Log"),
    }
    if reporter.json_mode:
        reporter.write(json.dumps(summary, indent=2, default=str))
    else:
        reporter.write(_render(summary))
    if int(result.get("InvokeResult") or 0) != 0:
        message = result.get("ErrMsg") or result.get("RetMsg") or "function failed"
        raise InvocationFailed(f"{name} ({params['Qualifier']}) raised an error in user code: {message}")
    return 0


def _render(summary: dict[str, Any]) -> str:
    version = summary["version"] or "not reported by the cloud (the alias splits traffic by weight)"
    lines = [f"version:   {version}", f"duration:  {summary['duration']} ms", "result:"]
    lines += [f"  {line}" for line in str(summary["result"] or "").splitlines()]
    lines.append("log:")
    lines += [f"  {line}" for line in str(summary["log"] or "").splitlines()]
    return "\n".join(lines)
