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
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from component.errors import ConfigError, Problem

MAX_BYTES = 1024 * 1024  # a serverless.yml is a few KB; 1 MiB is far beyond any real one
MAX_DEPTH = 64  # real files nest < 15 levels
MAX_NODES = 100_000  # values after alias expansion
MAX_INT_DIGITS = 30
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map", "merge")
)
_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp conversion."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _CLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same with libyaml's parser when PyYAML has it (#17 start-up): same safe constructor and
    resolvers, and every check below runs on its events and nodes as on the pure-Python parser's."""


_CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


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
    return parse_yaml(read_text(file), file)


def parse_yaml(text: str, file: Path) -> tuple[Any, dict[str, int]]:
    """Parse YAML *text* (read from *file*, used in messages only)."""
    try:
        try:
            return _parse(text, file, _CLoader)
        except yaml.YAMLError:
            if _CLoader is _Loader:
                raise
            # libyaml refused it: parse again with the pure-Python parser, whose messages name the line
            # and the character (libyaml gives a byte offset), and which leaves a lone surrogate escape
            # or deep flow nesting to the checks below instead of failing with a generic message.
            return _parse(text, file, _Loader)
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_yaml_problem(exc, file)) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(Problem("", f"not valid YAML: {exc}", file=str(file))) from exc


def _parse(text: str, file: Path, loader_class: type[yaml.SafeLoader]) -> tuple[Any, dict[str, int]]:
    _check_depth(text, file, loader_class)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        _check_expansion(node, file)
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        _walk(node, "", lines, problems, file, set())
        if problems:
            raise ConfigError(problems)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return _stringify_keys(data), lines


def _check_depth(text: str, file: Path, loader_class: type[yaml.SafeLoader]) -> None:
    """Refuse nesting deeper than MAX_DEPTH from the parser's events (iterative: no recursion yet)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise ConfigError(Problem("", f"nested more than {MAX_DEPTH} levels deep", str(file), line))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expansion(root: yaml.Node, file: Path) -> None:
    """Count the values the document holds once aliases are expanded (memoised: linear in nodes)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            where = node.start_mark.line + 1 if node.start_mark else None
            raise ConfigError(Problem("", "an alias refers to the collection that contains it", str(file), where))
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        active.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            message = f"aliases expand the document to more than {MAX_NODES:,} values (an alias bomb?)"
            raise ConfigError(Problem("", message, str(file)))
        return total

    size(root)


def _yaml_problem(exc: yaml.MarkedYAMLError, file: Path) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "not valid YAML: " + ", ".join(parts)
    return Problem("", message, file=str(file), line=mark.line + 1 if mark else None)


def _walk(
    node: yaml.Node, path: str, lines: dict[str, int], problems: list[Problem], file: Path, seen: set[int]
) -> None:
    """Record lines, refuse duplicate keys and non-plain values; an aliased node is checked once."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        _check_scalar(node, path, problems, file)
    elif isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                _walk(value_node, path, lines, problems, file, seen)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                problems.append(Problem(path, "a key must be a plain value, not a list or mapping", str(file), line))
                continue
            _check_scalar(key_node, join_path(path, str(key_node.value)), problems, file)
            key = str(key_node.value)
            child = join_path(path, key)
            line = key_node.start_mark.line + 1
            if key in keys:
                problems.append(Problem(child, f"duplicate key {key!r}", file=str(file), line=line))
            keys.add(key)
            lines.setdefault(child, line)
            _walk(value_node, child, lines, problems, file, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = join_path(path, index)
            lines.setdefault(child, item.start_mark.line + 1)
            _walk(item, child, lines, problems, file, seen)
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML tag {tag} is not supported: use strings, numbers, booleans, lists and mappings"
        problems.append(Problem(path, message, str(file), node.start_mark.line + 1))


def _check_scalar(node: yaml.ScalarNode, path: str, problems: list[Problem], file: Path) -> None:
    line = node.start_mark.line + 1
    bad = _BAD_CHARACTER.search(node.value)
    if bad:
        message = f"contains the control character U+{ord(bad.group()):04X}: write it out in words or remove it"
        problems.append(Problem(path, message, str(file), line))
    if node.tag == "tag:yaml.org,2002:int" and sum(c.isdigit() for c in node.value) > MAX_INT_DIGITS:
        message = f"an integer of more than {MAX_INT_DIGITS} digits; quote it if it is meant as text"
        problems.append(Problem(path, message, str(file), line))


def _stringify_keys(data: Any) -> Any:
    """JSON objects have string keys; ``1: x`` or ``true: y`` in YAML become ``"1"``/``"True"``."""
    if isinstance(data, dict):
        return {str(k): _stringify_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_stringify_keys(v) for v in data]
    return data
