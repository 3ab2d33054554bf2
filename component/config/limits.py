"""Limits the cloud documents, checked before the first write (#19 item 2).

A limit that only the cloud enforces is found half-way through a deploy: the code is updated, then
``UpdateFunctionConfiguration`` refuses 5 KB of environment variables, and ``$LATEST`` runs new code
with the old environment; or the version is published and the alias moved before ``CreateTrigger``
refuses a cron expression. Every limit of ``shared/reference/tencent-api.md`` that can be computed
from the inputs alone is therefore checked here, with the schema's other checks, exit 2:

* environment variables: at most 4096 bytes, keys and values (UTF-8) together (§4,
  ``InvalidParameterValue.EnvironmentExceededLimit``);
* timer triggers: a seven-field Tencent cron expression ``second minute hour day month weekday
  year`` with ``*``, ``?``, numbers, ranges ``a-b``, lists ``a,b``, steps ``/n`` and month/weekday
  names;
* function name: 2–60 ASCII letters, digits, ``_`` or ``-``, a letter first, not ending in ``_`` or
  ``-`` (with the namespace's 30 characters, always within the 118 of both together);
* handler of an event function: ASCII only, no whitespace; ``file.function`` for the Python,
  Node.js and PHP runtimes.

Patterns are matched with :data:`re.ASCII` and ``fullmatch``: JSON Schema's ``\\w`` is Unicode in
Python (``a函数b`` would pass) and its ``$`` accepts a trailing newline.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ENV_LIMIT_BYTES = 4096
FUNCTION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]", re.ASCII)
DOTTED_HANDLER = re.compile(r"[A-Za-z0-9_./-]+\.[A-Za-z_$][A-Za-z0-9_$-]*", re.ASCII)
PLAIN_HANDLER = re.compile(r"[!-~]+", re.ASCII)  # printable ASCII, no spaces (Go: main; Java: a.B::c)
DOTTED_RUNTIMES = ("Python", "Nodejs", "Php")
CRON_HINT = "seven fields: second minute hour day month weekday year, e.g. '0 */5 * * * * *'"

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# (field name, lowest, highest, names for 0.. or 1..)
_CRON_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("second", 0, 59, {}),
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day", 1, 31, {}),
    ("month", 1, 12, {m: i for i, m in enumerate(_MONTHS, start=1)}),
    ("weekday", 0, 7, {d: i for i, d in enumerate(_DAYS)}),
    ("year", 1970, 2099, {}),
)
_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)

Found = list[tuple[str, str, str]]  # (path, message, hint)


def limit_problems(inputs: Mapping[str, Any]) -> Found:
    """Every documented limit *inputs* (validated, resolved) would break."""
    found: Found = []
    found += _environment(inputs.get("environment"))
    found += _names(inputs)
    found += _handler(inputs)
    events = inputs.get("events")
    for index, event in enumerate(events if isinstance(events, list) else []):
        timer = event.get("timer") if isinstance(event, dict) else None
        params = timer.get("parameters") if isinstance(timer, dict) else None
        cron = params.get("cronExpression") if isinstance(params, dict) else None
        if isinstance(cron, str):
            reason = cron_problem(cron)
            if reason:
                path = f"inputs.events[{index}].timer.parameters.cronExpression"
                found.append((path, f"{cron!r} is not a Tencent cron expression: {reason}", CRON_HINT))
    return found


def _environment(environment: Any) -> Found:
    variables = environment.get("variables") if isinstance(environment, dict) else None
    if not isinstance(variables, dict):
        return []
    size = sum(len(str(k).encode()) + len(_as_text(v).encode()) for k, v in variables.items())
    if size <= ENV_LIMIT_BYTES:
        return []
    message = f"the variables take {size} bytes (names and values); SCF allows {ENV_LIMIT_BYTES}"
    return [("inputs.environment.variables", message, "keep large values in a file of the code or in a secret store")]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _names(inputs: Mapping[str, Any]) -> Found:
    name = inputs.get("name")
    if not isinstance(name, str):
        return []
    if not FUNCTION_NAME.fullmatch(name):
        message = "must be 2-60 characters: a letter first, then ASCII letters, digits, _ or -, not ending in _ or -"
        return [("inputs.name", f"{message}, got {name!r}", "")]
    return []


def _handler(inputs: Mapping[str, Any]) -> Found:
    handler, runtime = inputs.get("handler"), str(inputs.get("runtime", "Nodejs10.15"))
    if not isinstance(handler, str) or inputs.get("type") == "web" or inputs.get("image"):
        return []
    if runtime.startswith(DOTTED_RUNTIMES):
        if DOTTED_HANDLER.fullmatch(handler):
            return []
        message = f"must be file.function in ASCII letters, digits, _, -, / or . (got {handler!r})"
        return [("inputs.handler", message, "e.g. index.main_handler")]
    if PLAIN_HANDLER.fullmatch(handler):
        return []
    return [("inputs.handler", f"must be printable ASCII without spaces (got {handler!r})", "")]


def cron_problem(expression: str) -> str:
    """Why *expression* is not a seven-field Tencent cron expression ('' when it is one)."""
    parts = expression.split()
    if len(parts) != len(_CRON_FIELDS):
        return f"{len(parts)} fields instead of 7"
    for part, (field, low, high, names) in zip(parts, _CRON_FIELDS, strict=True):
        reason = _cron_field(part, low, high, names)
        if reason:
            return f"{field} field {part!r}: {reason}"
    return ""


def _cron_field(text: str, low: int, high: int, names: Mapping[str, int]) -> str:
    for item in text.split(","):
        span, slash, step = item.partition("/")
        if slash and not (_NUMBER.fullmatch(step) and int(step) >= 1):
            return f"the step {step!r} must be a whole number of at least 1"
        if span in ("*", "?"):
            continue
        bounds = span.split("-", 1)
        values = [_cron_value(b, names) for b in bounds]
        if any(v is None for v in values):
            return f"{span!r} is not a number or name between {low} and {high}"
        numbers = [v for v in values if v is not None]
        if not all(low <= v <= high for v in numbers) or numbers != sorted(numbers):
            return f"{span!r} is outside {low}-{high}"
    return ""


def _cron_value(text: str, names: Mapping[str, int]) -> int | None:
    if text.upper() in names:
        return names[text.upper()]
    return int(text) if _NUMBER.fullmatch(text) else None
