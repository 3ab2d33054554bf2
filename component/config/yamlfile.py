"""Read ``serverless.yml`` into plain data while remembering where every key was written.

Error messages are only useful when they point at a line the user can open, so the loader keeps a
map from a dotted path (``inputs.events[0].timer.parameters.cronExpression``) to the 1-based line of
that key. The document is composed into YAML nodes first (which carry their positions) and then
constructed; walking the node tree afterwards gives the line map without a second parse.

Two YAML 1.1 surprises are removed on purpose: timestamps stay strings (``2024-01-01`` is a tag or a
description, never a ``datetime`` that JSON Schema cannot check) and duplicate keys are errors
instead of "last one wins".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from component.errors import ConfigError, Problem


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp conversion."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def join_path(parent: str, key: str | int) -> str:
    """Extend a dotted path: mapping keys with ``.``, sequence indexes with ``[i]``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def load_yaml(file: Path) -> tuple[Any, dict[str, int]]:
    """Parse *file*; return its data and the line of every mapping key and sequence item."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Problem("", f"cannot read the file: {exc}", file=str(file))) from exc
    return parse_yaml(text, file)


def parse_yaml(text: str, file: Path) -> tuple[Any, dict[str, int]]:
    """Parse YAML *text* (read from *file*, used in messages only)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        _walk(node, "", lines, problems, file)
        if problems:
            raise ConfigError(problems)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_yaml_problem(exc, file)) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(Problem("", f"not valid YAML: {exc}", file=str(file))) from exc
    finally:
        loader.dispose()
    return _stringify_keys(data), lines


def _yaml_problem(exc: yaml.MarkedYAMLError, file: Path) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    parts = [p for p in (exc.context, exc.problem) if p]
    message = "not valid YAML: " + ", ".join(parts)
    return Problem("", message, file=str(file), line=mark.line + 1 if mark else None)


def _walk(node: yaml.Node, path: str, lines: dict[str, int], problems: list[Problem], file: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                _walk(value_node, path, lines, problems, file)
                continue
            key = str(key_node.value)
            child = join_path(path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem(child, f"duplicate key {key!r}", file=str(file), line=line))
            seen.add(key)
            lines.setdefault(child, line)
            _walk(value_node, child, lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = join_path(path, index)
            lines.setdefault(child, item.start_mark.line + 1)
            _walk(item, child, lines, problems, file)


def _stringify_keys(data: Any) -> Any:
    """JSON objects have string keys; ``1: x`` or ``true: y`` in YAML become ``"1"``/``"True"``."""
    if isinstance(data, dict):
        return {str(k): _stringify_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_stringify_keys(v) for v in data]
    return data
