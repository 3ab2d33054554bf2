"""Command implementations behind the CLI: load the project, connect, do the work, report.

Each command receives parsed arguments and returns an exit code; errors are raised, never printed
here. ``make_tools`` is the seam tests use to inject a fast clock and sleep.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component import process
from component.cloud.api import ScfApi
from component.config.project import Project, load_identity, load_project
from component.connect import Connection, connect
from component.deploy.context import release_alias, spec_for
from component.deploy.describe import plan_context
from component.deploy.executor import DisplayOnlyExecutor, Executor
from component.deploy.instructions import Plan
from component.deploy.spec import DeploySpec
from component.deploy.waiter import Waiter
from component.errors import ConfigError, ScfError, UsageError
from component.localfiles import conclude
from component.render import Reporter
from component.tools import Tools

DEFAULT_KEEP = 5  # scf prune without --keep or keepVersions


def make_tools(json_mode: bool, reporter: Reporter | None = None) -> Tools:
    return Tools(reporter=reporter or Reporter(json_mode=json_mode), sleep=process.sleep, clock=time.monotonic)


def run(
    args: argparse.Namespace, overrides: Mapping[str, Any], tools: Tools | None = None, reporter: Reporter | None = None
) -> int:
    tools = tools or make_tools(bool(args.json), reporter)
    tools.reporter.json_mode = bool(args.json)
    if overrides and args.command != "deploy":
        msg = "--inputs is only accepted by deploy"
        raise UsageError(msg)
    from component.multi import is_multi_root

    if is_multi_root(Path(args.target)):  # a folder of instances: component/multi runs them all
        from component.multi.command import run_multi

        return run_multi(args, overrides, tools, _COMMANDS, _deploy_with(walk=False))
    project = _load(args, overrides)
    for warning in project.warnings:
        tools.reporter.warn(str(warning))
    handler = _COMMANDS[args.command]
    with connect(
        project.env,
        local=args.local,
        endpoint=args.endpoint,
        state_dir=local_state_dir(project.root),
        sleep=tools.sleep,
        record=getattr(args, "record", None),
        notice=tools.reporter.step,
    ) as connection:
        tools.reporter.add_secrets(connection.credentials.secrets())
        tools.reporter.step(f"{args.command} {project.name} (stage {project.stage}) on {connection.label}")
        return handler(args, project, connection, tools)


def _load(args: argparse.Namespace, overrides: Mapping[str, Any]) -> Project:
    """The project; for ``remove``, one with problems elsewhere still loads by its identity (#13 item 9)."""
    from component.multi import sibling_resolver

    placeholder = args.command != "deploy" or bool(getattr(args, "dry_run", False))
    where = {"stage": args.stage, "app": args.app, "org": args.org, "environ": os.environ}
    try:
        outputs = sibling_resolver(Path(args.target), placeholder=placeholder)
        return load_project(Path(args.target), overrides=overrides, outputs=outputs, **where)
    except ConfigError as exc:
        if args.command != "remove":
            raise
        return load_identity(Path(args.target), ignored=exc.problems, **where)


def local_state_dir(root: Path) -> Path:
    """Where ``--local`` keeps the emulator's state: an instance of a project of several instances whose
    stack was deployed with ``--local`` shares the stack's (``--target stack/api`` sees what ``--target
    stack`` deployed); any other project, its own."""
    from component.connect import LOCAL_STATE_FILE
    from component.multi.discover import is_multi_root

    folder = root.expanduser().resolve()
    stack = folder.parent / ".serverless"
    shared = is_multi_root(folder.parent) and (stack / LOCAL_STATE_FILE).is_file()
    return stack if shared else folder / ".serverless"


def _deploy_with(*, walk: bool) -> _Handler:
    """``scf deploy``; ``walk=False`` is a joint release's step-one deploy (``component.multi`` walks the steps)."""

    def deploy(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
        from component.deploy.pipeline import PLAIN_ALIAS, create_pipeline
        from component.rollout.model import rollout_spec

        alias = PLAIN_ALIAS
        rollout = rollout_spec(project.inputs)
        if rollout is not None:  # the same pipeline, its alias stage replaced by the step walker
            from component.rollout.deploy import rollout_alias_stage
            from component.rollout.metrics import monitor_lag

            alias = rollout_alias_stage(rollout, walk=walk, lag=monitor_lag(connection.endpoint))
        create_pipeline(dry_run=args.dry_run, alias=alias).run(project, connection.transport, tools)
        return conclude(tools.reporter, 0, f"the deploy of {project.name} is done in the cloud")

    return deploy


@dataclass(frozen=True)
class _Function:
    """The function a command acts on: its typed desired state (built once per command) and its API."""

    spec: DeploySpec
    api: ScfApi

    @property
    def name(self) -> str:
        return self.spec.function.name

    @property
    def header(self) -> dict[str, str]:
        fn = self.spec.function
        return {"function": fn.name, "region": fn.region, "namespace": fn.namespace}


def _function(project: Project, connection: Connection) -> _Function:
    spec = spec_for(project)
    return _Function(spec, ScfApi(connection.transport(spec.function.region), spec.function.namespace))


def _info(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    from component.release.info import collect_info, render_info

    fn = _function(project, connection)
    info = collect_info(fn.api, fn.name)
    if tools.reporter.json_mode:
        tools.reporter.write(json.dumps(info, indent=2, default=str))
    else:
        tools.reporter.write(render_info(info))
    return 0


def _remove(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    from component.deploy.removal import create_deletion_pipeline

    ctx = create_deletion_pipeline(dry_run=bool(getattr(args, "dry_run", False))).run(
        project, connection.transport, tools
    )
    return conclude(tools.reporter, 0, f"function {ctx.spec.function.name} is removed from the cloud")


def _json_result(tools: Tools, document: dict[str, Any]) -> None:
    """With --json, what a command did is the one JSON document on stdout (progress stays on stderr)."""
    if tools.reporter.json_mode:
        tools.reporter.write(json.dumps(document, indent=2, default=str))


def _invoke(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    from component.release.invoke import invoke_function

    fn = _function(project, connection)
    return invoke_function(fn.api, fn.name, args, tools.reporter)


def _run_plan(plan: Plan, fn: _Function, args: argparse.Namespace, tools: Tools) -> None:
    for warning in plan.warnings:
        tools.reporter.warn(warning)
    if args.dry_run:
        DisplayOnlyExecutor(tools.reporter, **fn.header).execute(plan)
        return
    waiter = Waiter(fn.api, sleep=tools.sleep, clock=tools.clock, on_wait=tools.reporter.waited)
    Executor(fn.api, waiter, tools.reporter, {}).execute(plan)
    if tools.reporter.json_mode:
        _json_result(tools, {**fn.header, **plan_context(plan), "dry_run": False, "done": done_lines(plan)})
    else:
        tools.reporter.write("\n".join(done_lines(plan)))


def done_lines(plan: Plan) -> list[str]:
    """What a release command did, one line per change: an alias's routing before -> after, a deleted version."""
    from component.deploy.instructions import DeleteVersion, PutAlias
    from component.deploy.routing import routing_text

    lines = []
    for step in plan.instructions:
        if isinstance(step, PutAlias):
            before = routing_text(step.before) if step.before else "(new)"
            lines.append(f"alias {step.target.name}: {before} -> {routing_text(step.target)}")
        elif isinstance(step, DeleteVersion):
            lines.append(f"deleted version {step.version}")
    return lines or ["nothing to change"]


def _rollback(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    from component.release.operations import plan_rollback

    fn = _function(project, connection)
    _run_plan(plan_rollback(fn.api, fn.name, release_alias(fn.spec, args.alias)), fn, args, tools)
    return 0


def _promote(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    from component.release.operations import plan_promote

    if args.full:
        from component.rollout.commands import promote_full

        return promote_full(args, project, connection, tools)
    fn = _function(project, connection)
    plan = plan_promote(fn.api, fn.name, release_alias(fn.spec, args.alias), to=args.to, source=args.source)
    _run_plan(plan, fn, args, tools)
    return 0


def _prune(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
    from component.deploy.prune import plan_prune

    fn = _function(project, connection)
    keep = args.keep if args.keep is not None else fn.spec.release.keep_versions or DEFAULT_KEEP
    _run_plan(plan_prune(fn.api, fn.name, keep), fn, args, tools)
    return 0


def _rollout_command(name: str) -> _Handler:
    """``status``/``abort``/``resume`` live in ``component.rollout.commands`` (imported when used)."""

    def handler(args: argparse.Namespace, project: Project, connection: Connection, tools: Tools) -> int:
        from component.rollout import commands as rollout_commands

        command: _Handler = getattr(rollout_commands, name)
        return command(args, project, connection, tools)

    return handler


_Handler = Callable[[argparse.Namespace, Project, Connection, Tools], int]
_COMMANDS: dict[str, _Handler] = {
    "deploy": _deploy_with(walk=True),
    "info": _info,
    "remove": _remove,
    "invoke": _invoke,
    "rollback": _rollback,
    "promote": _promote,
    "prune": _prune,
    "status": _rollout_command("status"),
    "abort": _rollout_command("abort"),
    "resume": _rollout_command("resume"),
}

__all__ = ["ScfError", "make_tools", "run"]
