"""``--inputs`` on the command line: both syntaxes the Tencent CLIs ever accepted.

* ``--inputs.traffic=0.1`` / ``--inputs.traffic 0.1`` — the old ``@serverless/components`` form, with
  dotted keys for nested inputs (``--inputs.environment.variables.FOO=bar``);
* ``--inputs traffic=0.1 publish=true`` — the current ``serverless-tencent`` form: after a bare
  ``--inputs`` every following ``key=value`` token, until the next token that starts with ``-``.

Values are typed like the Node CLI does (reference §7): valid JSON first (``0.1``, ``true``,
``{"a":1}``, ``[1,2]``), else a comma-separated list (each element typed the same way), else the
string as given. A value whose token still carries quotes (``name='007'``, because the shell was told
to keep them) is the string inside the quotes. Unlike the Node CLI we only take ``k=v`` tokens right
after ``--inputs``, so an unrelated ``--foo=bar`` is left for argparse.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from component.errors import ConfigError, Problem

_FLAG = "--inputs"


def extract_input_overrides(argv: Sequence[str]) -> tuple[list[str], dict[str, Any]]:
    """Split *argv* into (arguments for argparse, nested overrides for ``inputs``)."""
    rest: list[str] = []
    overrides: dict[str, Any] = {}
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == _FLAG:
            index = _take_pairs(argv, index + 1, overrides)
            continue
        if token.startswith(_FLAG + "."):
            assignment = token[len(_FLAG) + 1 :]
            if "=" not in assignment:
                if index + 1 >= len(argv) or argv[index + 1].startswith("--"):
                    raise _malformed(token, "needs a value")
                assignment = f"{assignment}={argv[index + 1]}"
                index += 1
            _assign(overrides, assignment, token)
        else:
            rest.append(token)
        index += 1
    return rest, overrides


def _take_pairs(argv: Sequence[str], index: int, overrides: dict[str, Any]) -> int:
    start = index
    while index < len(argv) and not argv[index].startswith("-") and "=" in argv[index]:
        _assign(overrides, argv[index], argv[index])
        index += 1
    if index == start:
        if index < len(argv) and not argv[index].startswith("-"):  # a key with no =value: name it
            raise _malformed(argv[index], "expected key=value, e.g. --inputs traffic=0.1")
        raise _malformed(_FLAG, "needs at least one key=value after it, e.g. --inputs traffic=0.1")
    return index


def _assign(overrides: dict[str, Any], assignment: str, token: str) -> None:
    key, sep, raw = assignment.partition("=")
    parts = key.split(".")
    if not sep or not all(parts):
        raise _malformed(token, "expected key=value with a non-empty (dotted) key")
    target = overrides
    for part in parts[:-1]:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    target[parts[-1]] = parse_value(raw)


def parse_value(raw: str) -> Any:
    """Type one command-line value the way the Node CLI does."""
    unquoted = _strip_quotes(raw)
    if unquoted is not None:
        return unquoted
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        pass
    if "," in raw:
        return [parse_value(item) for item in raw.split(",")]
    return raw


def _reject_constant(name: str) -> Any:
    """JSON.parse in Node rejects NaN/Infinity; so do we (they stay strings)."""
    raise ValueError(name)


def _strip_quotes(raw: str) -> str | None:
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return None


def _malformed(token: str, why: str) -> ConfigError:
    return ConfigError(Problem("--inputs", f"malformed override {token!r}: {why}"))
