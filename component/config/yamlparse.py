"""Parse YAML text with PyYAML, within the bounds ``component.config.yamlfile`` documents.

Imported only when a file must be parsed (``component.config.parsecache`` did not know its text):
importing PyYAML is ≈9 ms of a command's start (#17).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from component.config.yamlfile import MAX_DEPTH, MAX_INT_DIGITS, MAX_NODES, join_path
from component.errors import ConfigError, Problem

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
