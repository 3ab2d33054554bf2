"""Which function a toolbox command acts on, and the connection to reach it.

Like the Node component's actions, ``function``/``namespace``/``region`` come from ``--inputs`` when
given, else from the project's ``serverless.yml`` (when the target folder has one); a command with
neither is refused before any call.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.cloud.api import ScfApi
from component.connect import Connection, connect
from component.errors import ConfigError, Problem
from component.tools import Tools

DEFAULT_REGION = "ap-guangzhou"


@dataclass(frozen=True)
class Target:
    function: str
    namespace: str
    region: str
    root: Path  # the project folder (state of --local lives in its .serverless/)
    env: Mapping[str, str]


@dataclass(frozen=True)
class Session:
    target: Target
    connection: Connection
    api: ScfApi

    def call(self, service: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.connection.transport(self.target.region).call(service, action, params)


def _text(inputs: Mapping[str, Any], key: str) -> str | None:
    value = inputs.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ConfigError(Problem(f"--inputs {key}", f"must be a string, got {value!r}"))
    return str(value)


def _has_project(root: Path) -> bool:
    from component.config.project import FILE_NAMES

    return root.is_file() or any((root / name).is_file() for name in FILE_NAMES)


def resolve_target(args: argparse.Namespace, inputs: Mapping[str, Any], *, action: bool = True) -> Target:
    """The function from ``--inputs function=…`` (component actions) or the project in ``--target``."""
    root = Path(args.target).expanduser()
    function, namespace, region = _text(inputs, "function"), _text(inputs, "namespace"), _text(inputs, "region")
    env: Mapping[str, str] = os.environ
    if _has_project(root):
        from component.config.project import load_project
        from component.deploy.context import spec_for
        from component.multi import sibling_resolver

        project = load_project(
            root, stage=args.stage, app=args.app, org=args.org, environ=os.environ,
            outputs=sibling_resolver(root, placeholder=True),
        )
        spec = spec_for(project).function
        return Target(function or spec.name, namespace or spec.namespace, region or spec.region, project.root,
                      project.env)
    if function is None:
        if not action:
            hint = "run in the project folder or pass it (or one instance of a project: --target DIR/sub)"
            raise ConfigError(Problem("--target", f"no serverless.yml in {root}", hint=hint))
        hint = f"pass --inputs function=NAME, or run in (or --target) a folder with serverless.yml; {root} has none"
        raise ConfigError(Problem("--inputs function", "is required", hint=hint))
    return Target(function, namespace or "default", region or DEFAULT_REGION, root.resolve(), env)


@contextlib.contextmanager
def open_session(args: argparse.Namespace, target: Target, tools: Tools) -> Iterator[Session]:
    with connect(
        target.env, local=args.local, endpoint=args.endpoint, state_dir=target.root / ".serverless", sleep=tools.sleep
    ) as connection:
        tools.reporter.add_secrets(connection.credentials.secrets())
        api = ScfApi(connection.transport(target.region), target.namespace)
        yield Session(target, connection, api)
