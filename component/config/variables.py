"""Resolve ``${...}`` variables in ``serverless.yml`` values.

Supported, as in the Tencent CLI and platform (reference §8): ``${env:NAME}`` and the instance
fields ``${name}``, ``${stage}``, ``${app}``, ``${org}``. A variable may be the whole value or part of
a string; either way the result is a string (``"${env:PORT}"`` stays ``"8080"``, it does not become a
number), so an environment variable cannot silently change a value's type.

``${output:[stage]:[app]:[instance].[key]}`` (short form ``${output:[instance].[key]}``, stage and
app then being this instance's) reads another instance's deploy outputs, but only when the caller
passes an :data:`OutputResolver` (a multi-instance run does, see ``component.multi``); a single
project has no other instance to read from, so there it stays an error. A value that is exactly one
``${output:...}`` keeps the output's type (``memorySize: ${output:base.memorySize}`` stays a number):
outputs are typed data the tool wrote itself, unlike environment variables.

Everything else is rejected up front rather than passed to the cloud as a literal: Serverless
Framework v1 sources (``self``, ``opt``, ``file(...)`` …). All problems are collected and reported
together. A message names the variable, never its value: ``.env`` files hold secrets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from component.config.yamlfile import join_path
from component.errors import Problem

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_ENV = re.compile(r"^env:\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*$")
INSTANCE_FIELDS = ("name", "stage", "app", "org")
_SUPPORTED = "supported: ${env:NAME}, ${name}, ${stage}, ${app}, ${org}"
_OUTPUT = re.compile(r"^output:\s*(?:([^:\s]+)\s*:\s*([^:\s]+)\s*:\s*)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_.$-]+)\s*$")
OUTPUT_VARIABLE = re.compile(r"\$\{\s*(output:[^{}]*)\}")

OutputResolver = Callable[[str, str, str, str], Any]
"""(stage, app, instance, key) → the output's value; raises LookupError saying why it is missing."""


@dataclass(frozen=True)
class OutputReference:
    """A parsed ``${output:...}``; ``stage``/``app`` are None in the short form."""

    stage: str | None
    app: str | None
    instance: str
    key: str


def parse_output_reference(expr: str) -> OutputReference | None:
    """Parse the inside of ``${...}`` (``output:dev:app:api.functionName``); None if malformed."""
    match = _OUTPUT.match(expr.strip())
    if match is None:
        return None
    stage, app, instance, key = match.groups()
    return OutputReference(stage, app, instance, key)


@dataclass(frozen=True)
class Context:
    """What variables resolve against, and how to locate a problem."""

    env: Mapping[str, str]
    fields: Mapping[str, str]  # instance fields: name, stage, app, org
    file: str
    line_at: Callable[[str], int | None]
    outputs: OutputResolver | None = None


def resolve(value: Any, path: str, ctx: Context, problems: list[Problem]) -> Any:
    """Return *value* with every variable substituted; append a Problem for each one that can't be."""
    if isinstance(value, dict):
        return {k: resolve(v, join_path(path, k), ctx, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, join_path(path, i), ctx, problems) for i, v in enumerate(value)]
    if isinstance(value, str) and "${" in value:
        return _resolve_string(value, path, ctx, problems)
    return value


def _resolve_string(text: str, path: str, ctx: Context, problems: list[Problem]) -> Any:
    whole = _VARIABLE.fullmatch(text.strip())
    if whole and ctx.outputs is not None and whole.group(1).strip().startswith("output:"):
        value, message = _output(whole.group(1).strip(), ctx)
        if message is None:
            return value
        problems.append(Problem(path, message, file=ctx.file, line=ctx.line_at(path)))
        return text

    def substitute(match: re.Match[str]) -> str:
        replacement, message = _lookup(match.group(1).strip(), ctx)
        if message is None:
            return replacement
        problems.append(Problem(path, message, file=ctx.file, line=ctx.line_at(path)))
        return match.group(0)

    return _VARIABLE.sub(substitute, text)


def _lookup(expr: str, ctx: Context) -> tuple[str, str | None]:
    """(value, None) on success, ("", message) on failure."""
    shown = "${" + expr + "}"
    env = _ENV.match(expr)
    if env:
        name = env.group(1)
        if name in ctx.env:
            return ctx.env[name], None
        return "", (
            f"environment variable {name!r} used in {shown} is not set (looked in the environment and the .env files)"
        )
    if expr in ctx.fields:
        return ctx.fields[expr], None
    if ctx.outputs is not None and expr.startswith("output:"):
        value, message = _output(expr, ctx)
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return (text, None) if message is None else ("", message)
    return "", _unsupported(expr, shown)


def _output(expr: str, ctx: Context) -> tuple[Any, str | None]:
    """(value, None) on success, (None, message) on failure; only called with a resolver."""
    shown = "${" + expr + "}"
    ref = parse_output_reference(expr)
    if ref is None or ctx.outputs is None:
        return None, f"{shown}: expected ${{output:STAGE:APP:INSTANCE.KEY}} or ${{output:INSTANCE.KEY}}"
    stage = ref.stage or ctx.fields.get("stage", "")
    app = ref.app or ctx.fields.get("app", "")
    try:
        return ctx.outputs(stage, app, ref.instance, ref.key), None
    except LookupError as exc:
        reason = exc.args[0] if exc.args else f"no output {ref.key!r}"
        return None, f"{shown}: {reason}"


def _unsupported(expr: str, shown: str) -> str:
    source = re.split(r"[:(]", expr, maxsplit=1)[0].strip()
    if source == "output":
        return f"{shown}: ${{output:...}} refers to another instance; multi-instance projects are not supported yet"
    if source in ("self", "opt", "file", "sls", "cf", "s3", "ssm"):
        return f"{shown}: variable source {source!r} is not supported ({_SUPPORTED})"
    return f"{shown}: unknown variable {expr!r} ({_SUPPORTED})"
