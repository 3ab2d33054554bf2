"""Resolve ``${output:[stage]:[app]:[instance].[key]}`` from the outputs instances have recorded.

There is one source of truth: the file every deploy writes,
``<instance folder>/.serverless/<name>.<stage>.outputs.json`` (``component.deploy.outputs.outputs_file``). An
instance deployed earlier in this run and one deployed yesterday are read the same way, so a
``--target`` deploy of one instance sees the same values as a deploy of the whole root. The file is
read when a dependent is loaded, i.e. after its dependencies finished, so it is never stale. The
file does not record the app; a reference's app is therefore not checked against it.

The key may be dotted (``code.sha256``) to reach into a nested output. ``KNOWN_KEYS`` lets the graph
refuse a misspelt key before any cloud call; it is ``component.deploy.outputs.OUTPUT_KEYS``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from component.config.variables import OutputResolver
from component.deploy.outputs import OUTPUT_KEYS, outputs_file
from component.multi.discover import Instance, discover

KNOWN_KEYS = OUTPUT_KEYS


def read_outputs(instance: Instance, stage: str) -> dict[str, Any] | None:
    path = outputs_file(instance.folder, instance.name, stage)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def lookup(instances: Mapping[str, Instance], stage: str, instance: str, key: str) -> Any:
    """The value of *key* in *instance*'s recorded outputs for *stage*; LookupError says why not."""
    found = instances.get(instance)
    if found is None:
        names = ", ".join(sorted(instances)) or "none"
        msg = f"no instance named {instance!r} next to this one (instances: {names})"
        raise LookupError(msg)
    outputs = read_outputs(found, stage)
    if outputs is None:
        msg = (
            f"instance {instance!r} ({found.file}) has no recorded outputs for stage {stage!r} "
            f"({outputs_file(found.folder, found.name, stage)}): deploy it first"
        )
        raise LookupError(msg)
    value: Any = outputs
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            msg = f"instance {instance!r} ({found.file}) has no output {key!r} (outputs: {', '.join(outputs)})"
            raise LookupError(msg)
        value = value[part]
    return value


def resolver(instances: Mapping[str, Instance], *, placeholder: bool = False) -> OutputResolver:
    """An :data:`OutputResolver` over *instances*.

    With *placeholder*, a missing output resolves to a marker string instead of an error: ``remove``,
    ``info`` and ``--dry-run`` need the project loaded, not the values its dependencies will produce.
    """

    def resolve(stage: str, app: str, instance: str, key: str) -> Any:
        try:
            return lookup(instances, stage, instance, key)
        except LookupError:
            if placeholder and instance in instances:
                return f"<{instance}.{key} after deploy>"
            raise

    return resolve


def sibling_resolver(target: Path, *, placeholder: bool = False) -> OutputResolver:
    """For ``--target DIR``: resolve against the instances next to DIR, discovered on first use."""
    found: dict[str, Instance] = {}
    loaded = False

    def resolve(stage: str, app: str, instance: str, key: str) -> Any:
        nonlocal loaded
        if not loaded:
            folder = target.expanduser().resolve()
            folder = folder.parent if folder.is_file() else folder
            found.update({i.name: i for i in discover(folder.parent)})
            loaded = True
        return resolver(found, placeholder=placeholder)(stage, app, instance, key)

    return resolve
