"""Find the instances of a multi-instance root and the ``${output:...}`` references each one makes.

Only the raw YAML is read here, not a loaded :class:`~component.config.project.Project`: a project
cannot be loaded (its variables resolved) before the instances it refers to have outputs, and the
order in which to deploy is exactly what these references decide. The instance name is the YAML
``name`` (after ``${env:...}``), as in the Node CLI, not the folder name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.config.envfiles import merged_env
from component.config.project import FILE_NAMES
from component.config.validate import line_finder
from component.config.variables import Context, OutputReference, output_references, resolve
from component.config.yamlfile import join_path, load_yaml
from component.errors import ConfigError, Problem
from component.records import Frozen


@dataclass(frozen=True, eq=False, repr=False)
class Reference(Frozen):
    """One ``${output:...}`` in an instance's inputs, located for error messages."""

    ref: OutputReference
    text: str  # as written, e.g. ``${output:dev:demo:base.functionName}``
    path: str  # e.g. ``inputs.environment.variables.BASE``
    line: int | None


@dataclass(frozen=True, eq=False, repr=False)
class Instance(Frozen):
    name: str
    folder: Path
    file: Path
    references: tuple[Reference, ...]

    def where(self, reference: Reference | None = None) -> str:
        """``file:line`` of a reference (or the file) for messages."""
        if reference is None or reference.line is None:
            return str(self.file)
        return f"{self.file}:{reference.line}"


def config_file(folder: Path) -> Path | None:
    for name in FILE_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def instance_folders(root: Path) -> list[Path]:
    """Direct subfolders of *root* holding a serverless.yml/yaml, sorted by name."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and config_file(p))


def is_multi_root(target: Path) -> bool:
    """A folder without its own serverless.yml but with instance subfolders."""
    target = target.expanduser()
    return target.is_dir() and config_file(target) is None and bool(instance_folders(target))


def discover(root: Path, environ: Mapping[str, str] | None = None) -> tuple[Instance, ...]:
    """Every instance under *root*; ConfigError (all problems at once) for unreadable or duplicate ones."""
    environ = os.environ if environ is None else environ
    problems: list[Problem] = []
    instances: list[Instance] = []
    seen: dict[str, Instance] = {}
    for folder in instance_folders(root.expanduser().resolve()):
        instance = _read(folder, environ, problems)
        if instance is None:
            continue
        if instance.name in seen:
            other = seen[instance.name]
            problems.append(
                Problem("name", f"instance name {instance.name!r} is also used by {other.file}", str(instance.file))
            )
            continue
        seen[instance.name] = instance
        instances.append(instance)
    if problems:
        raise ConfigError(problems)
    return tuple(instances)


def _read(folder: Path, environ: Mapping[str, str], problems: list[Problem]) -> Instance | None:
    file = config_file(folder)
    assert file is not None  # instance_folders only returns folders that have one
    try:
        data, line_of = load_yaml(file)
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None
    line_at = line_finder(line_of)
    if not isinstance(data, dict):
        problems.append(Problem("", "must be a mapping with component, name and inputs", str(file), 1))
        return None
    raw_name = data.get("name")
    if not isinstance(raw_name, str) or not raw_name:
        message = "is required: it names the instance others refer to"
        problems.append(Problem("name", message, str(file), line_at("name")))
        return None
    ctx = Context(env=merged_env(folder, None, environ), fields={}, file=str(file), line_at=line_at)
    name = str(resolve(raw_name, "name", ctx, problems))
    references: list[Reference] = []
    _collect(data.get("inputs"), "inputs", str(file), line_at, references, problems)
    return Instance(name=name, folder=folder, file=file, references=tuple(references))


def _collect(
    value: Any,
    path: str,
    file: str,
    line_at: Callable[[str], int | None],
    out: list[Reference],
    problems: list[Problem],
) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, join_path(path, key), file, line_at, out, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _collect(item, join_path(path, index), file, line_at, out, problems)
    elif isinstance(value, str):
        for written, ref in output_references(value):
            if ref is None:
                message = f"{written}: expected ${{output:STAGE:APP:INSTANCE.KEY}} or ${{output:INSTANCE.KEY}}"
                problems.append(Problem(path, message, file, line_at(path)))
                continue
            out.append(Reference(ref=ref, text=written, path=path, line=line_at(path)))
