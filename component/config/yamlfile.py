"""Read ``serverless.yml`` into plain data while remembering where every key was written.

Error messages are only useful when they point at a line the user can open, so the loader keeps a
map from a dotted path (``inputs.events[0].timer.parameters.cronExpression``) to the 1-based line of
that key. The document is composed into YAML nodes first (which carry their positions) and then
constructed; walking the node tree afterwards gives the line map without a second parse.

Two YAML 1.1 surprises are removed on purpose: timestamps stay strings (``2024-01-01`` is a tag or a
description, never a ``datetime`` that JSON Schema cannot check) and duplicate keys are errors
instead of "last one wins".

A repository being deployed may be hostile, so reading a file does bounded work and every refusal is
a :class:`ConfigError` naming the file (exit 2), never a traceback: at most :data:`MAX_BYTES` of
UTF-8 text; nesting at most :data:`MAX_DEPTH` levels, checked on the parser's event stream before
anything recursive runs; aliases may not expand the document beyond :data:`MAX_NODES` values (the
"billion laughs" bomb: 572 bytes that expand to gigabytes) nor refer to themselves; only the plain
JSON types (no ``!!binary``, ``!!set``, ``!!timestamp`` …); integers of at most
:data:`MAX_INT_DIGITS` digits; no control characters (other than tab and newlines) nor lone
surrogates in any string, however they were written (raw or as ``"\\x1b"`` escapes).

The parser itself is in ``component.config.yamlparse`` (PyYAML); a file whose text was parsed before
in this project is answered from ``component.config.parsecache`` without importing PyYAML (#17).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from component.config import parsecache
from component.errors import ConfigError, Problem

MAX_BYTES = 1024 * 1024  # a serverless.yml is a few KB; 1 MiB is far beyond any real one
MAX_DEPTH = 64  # real files nest < 15 levels
MAX_NODES = 100_000  # values after alias expansion
MAX_INT_DIGITS = 30


def join_path(parent: str, key: str | int) -> str:
    """Extend a dotted path: mapping keys with ``.``, sequence indexes with ``[i]``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def read_text(file: Path, *, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of *file*, at most *limit* bytes; ConfigError naming the file otherwise."""
    try:
        with file.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise ConfigError(Problem("", f"cannot read the file: {exc.strerror or exc}", file=str(file))) from exc
    if len(raw) > limit:
        raise ConfigError(Problem("", f"the file is larger than {limit // 1024} KiB", file=str(file)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})"
        raise ConfigError(Problem("", message, file=str(file))) from exc


def load_yaml(file: Path) -> tuple[Any, dict[str, int]]:
    """Parse *file*; return its data and the line of every mapping key and sequence item."""
    text = read_text(file)
    known = parsecache.lookup(file, text)
    if known is not None:
        return known
    parsed = parse_yaml(text, file)
    parsecache.remember(file, text, parsed)
    return parsed


def parse_yaml(text: str, file: Path) -> tuple[Any, dict[str, int]]:
    """Parse YAML *text* (read from *file*, used in messages only)."""
    from component.config.yamlparse import parse_yaml as parse

    return parse(text, file)
