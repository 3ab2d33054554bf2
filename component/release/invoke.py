"""``scf invoke``: run the function through an alias or version and say which version served.

The version that served is read from the first line of the invocation log (``START RequestId: …
Version: N``), which is where SCF's log puts it. A user-code error is not an API error: the cloud
answers normally with ``InvokeResult`` 1, and we turn that into exit code 4 with the function's own
error message.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

from component.cloud.api import ScfApi
from component.errors import ConfigError, InvocationFailed, Problem
from component.render import Reporter

_VERSION = re.compile(r"Version:\s*(\S+)")


def served_version(log: str) -> str | None:
    found = _VERSION.search(log.splitlines()[0] if log else "")
    return found.group(1) if found else None


def read_event(text: str) -> str:
    if text.startswith("@"):
        try:
            raw = Path(text[1:]).read_text(encoding="utf-8")
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
        "Qualifier": args.qualifier or "$DEFAULT",
        "ClientContext": read_event(args.event),
        "LogType": "Tail",
        "InvocationType": "RequestResponse",
    }
    key = _routing_key(args.routing_key)
    if key:
        params["RoutingKey"] = key
    result = api.invoke(name, params)
    summary = {
        "version": served_version(str(result.get("Log") or "")),
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
    lines = [f"version:   {summary['version'] or '?'}", f"duration:  {summary['duration']} ms", "result:"]
    lines += [f"  {line}" for line in str(summary["result"] or "").splitlines()]
    lines.append("log:")
    lines += [f"  {line}" for line in str(summary["log"] or "").splitlines()]
    return "\n".join(lines)
