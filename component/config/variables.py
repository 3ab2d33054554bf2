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
from component.records import Frozen

_ENV = re.compile(r"^env:\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*$")
_SUPPORTED = "supported: ${env:NAME}, ${name}, ${stage}, ${app}, ${org}"
_OUTPUT = re.compile(r"^output:\s*(?:([^:\s]+)\s*:\s*([^:\s]+)\s*:\s*)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_.$-]+)\s*$")

OutputResolver = Callable[[str, str, str, str], Any]
"""(stage, app, instance, key) → the output's value; raises LookupError saying why it is missing."""


@dataclass(frozen=True, eq=False, repr=False)
class OutputReference(Frozen):
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


@dataclass(frozen=True, eq=False, repr=False)
class Context(Frozen):
    """What variables resolve against, and how to locate a problem."""

    env: Mapping[str, str]
    fields: Mapping[str, str]  # instance fields: name, stage, app, org
    file: str
    line_at: Callable[[str], int | None]
    outputs: OutputResolver | None = None


MAX_NESTING = 4  # ``${output:${stage}:…}`` needs 2; deeper is refused, never recursed into without bound
_PLACEHOLDER = "\x00this\x00"  # stands for a nested ``${...}`` while parsing an output reference


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
    """Expand the variables of *text*, innermost first (``${output:${stage}:${app}:x.y}``).

    A substituted value is never scanned again, so an environment variable holding ``${...}`` text
    cannot pull in other variables. A value that is exactly one ``${output:...}`` keeps its type.
    """

    def fail(message: str, hint: str = "") -> None:
        problems.append(Problem(path, message, file=ctx.file, line=ctx.line_at(path), hint=hint))

    stripped = text.strip()
    if stripped.startswith("${") and _closing(stripped, 2) == len(stripped) - 1 and ctx.outputs is not None:
        inner, _ = _expand(stripped, 2, 1, ctx, fail)
        if inner is None:
            return text
        if inner.strip().startswith("output:"):
            value, message, hint = _output(inner.strip(), ctx)
            if message is None:
                return value
            fail(message, hint)
            return text
    expanded, _ = _expand(text, 0, 0, ctx, fail)
    return text if expanded is None else expanded


def _closing(text: str, start: int) -> int:
    """Index of the ``}`` closing the ``${`` whose body starts at *start*; -1 if unclosed."""
    depth, i = 1, start
    while i < len(text):
        if text.startswith("${", i):
            depth, i = depth + 1, i + 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _expand(text: str, start: int, depth: int, ctx: Context, fail: Callable[..., None]) -> tuple[str | None, int]:
    """Expand ``text[start:]`` up to the ``}`` closing this level (or the end at level 0).

    Returns (expansion, index after it); None when a problem was reported (the caller keeps the text).
    """
    out: list[str] = []
    ok, i = True, start
    while i < len(text):
        if text.startswith("${", i):
            end = _closing(text, i + 2)
            if end < 0:
                fail(f"unclosed variable {text[i : i + 40]!r}: a '${{' without its '}}'")
                return None, len(text)
            if depth + 1 > MAX_NESTING:
                fail(f"variables nested deeper than {MAX_NESTING} levels")
                return None, len(text)
            inner, _ = _expand(text, i + 2, depth + 1, ctx, fail)
            if inner is None:
                ok = False
            else:
                value, message, hint = _lookup(inner.strip(), ctx)
                if message is None:
                    out.append(value)
                else:
                    fail(message, hint)
                    ok = False
            i = end + 1
            continue
        if depth > 0 and text[i] == "}":
            return ("".join(out) if ok else None), i + 1
        out.append(text[i])
        i += 1
    return ("".join(out) if ok else None), i


def unresolved_paths(value: Any, path: str) -> list[str]:
    """Paths of strings that still hold ``${`` after resolution: they must never reach the cloud."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in unresolved_paths(v, join_path(path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in unresolved_paths(v, join_path(path, i))]
    return [path] if isinstance(value, str) and "${" in value else []


def output_references(text: str) -> list[tuple[str, OutputReference | None]]:
    """Every ``${output:...}`` in *text* as written, parsed; a nested ``${...}`` as stage or app means
    this instance's own (``${output:${stage}:${app}:base.id}`` reads like ``${output:base.id}``)."""
    found: list[tuple[str, OutputReference | None]] = []
    i = 0
    while (i := text.find("${", i)) >= 0:
        end = _closing(text, i + 2)
        if end < 0:
            break
        written, inner = text[i : end + 1], text[i + 2 : end]
        if inner.strip().startswith("output:"):
            found.append((written, _parse_nested(inner)))
        i = end + 1
    return found


def _parse_nested(inner: str) -> OutputReference | None:
    flat, i = [], 0
    while i < len(inner):
        if inner.startswith("${", i):
            end = _closing(inner, i + 2)
            if end < 0:
                return None
            flat.append(_PLACEHOLDER)
            i = end + 1
            continue
        flat.append(inner[i])
        i += 1
    text = "".join(flat)
    parts = text.strip().removeprefix("output:").split(":")
    if len(parts) == 3 and all(p.strip() == _PLACEHOLDER for p in parts[:2]):
        return parse_output_reference("output:" + parts[2])
    return None if _PLACEHOLDER in text else parse_output_reference(text)


def _lookup(expr: str, ctx: Context) -> tuple[str, str | None, str]:
    """(value, None, "") on success, ("", message, hint) on failure."""
    shown = "${" + expr + "}"
    env = _ENV.match(expr)
    if env:
        name = env.group(1)
        if name in ctx.env:
            return ctx.env[name], None, ""
        return (
            "",
            f"environment variable {name!r} used in {shown} is not set (looked in the environment and the .env files)",
            "",
        )
    if expr in ctx.fields:
        return ctx.fields[expr], None, ""
    if ctx.outputs is not None and expr.startswith("output:"):
        value, message, hint = _output(expr, ctx)
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        return (text, None, "") if message is None else ("", message, hint)
    return "", _unsupported(expr, shown), ""


def _output(expr: str, ctx: Context) -> tuple[Any, str | None, str]:
    """(value, None, "") on success, (None, message, hint) on failure; only called with a resolver."""
    shown = "${" + expr + "}"
    ref = parse_output_reference(expr)
    if ref is None or ctx.outputs is None:
        return None, f"{shown}: expected ${{output:STAGE:APP:INSTANCE.KEY}} or ${{output:INSTANCE.KEY}}", ""
    stage = ref.stage or ctx.fields.get("stage", "")
    app = ref.app or ctx.fields.get("app", "")
    try:
        return ctx.outputs(stage, app, ref.instance, ref.key), None, ""
    except LookupError as exc:
        reason = exc.args[0] if exc.args else f"no output {ref.key!r}"
        hint = (
            f"{ref.key!r} of instance {ref.instance!r} is needed here: deploy that instance from a folder next "
            f"to this project (its serverless.yml with name: {ref.instance}) so its outputs are recorded, "
            "or write the value itself (e.g. ${env:NAME} with NAME in .env)"
        )
        return None, f"{shown}: {reason}", hint


def _unsupported(expr: str, shown: str) -> str:
    source = re.split(r"[:(]", expr, maxsplit=1)[0].strip()
    if source == "output":
        return f"{shown}: ${{output:...}} refers to another instance; multi-instance projects are not supported yet"
    if source in ("self", "opt", "file", "sls", "cf", "s3", "ssm"):
        return f"{shown}: variable source {source!r} is not supported ({_SUPPORTED})"
    return f"{shown}: unknown variable {expr!r} ({_SUPPORTED})"
