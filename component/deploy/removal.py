"""The deletion pipeline (``scf remove``): load, read, plan the deletions, execute or show them, forget.

The plan deletes what scf-component created for the function's apigw events (``component.deploy.apigw``:
its APIs, and its services once empty), then the function itself (SCF deletes its versions, aliases and
triggers with it), and waits until it is gone. It runs through the same executor as a deploy, so
``scf remove --dry-run`` prints exactly what ``scf remove`` would do.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from component.cloud.api import Transport
from component.config.project import Project
from component.deploy.apigw import gateway_specs, plan_removal, read_removal
from component.deploy.context import Context, open_context
from component.deploy.instructions import DeleteFunction, WaitUntilGone
from component.deploy.outputs import outputs_path
from component.deploy.pipeline import Pipeline
from component.deploy.spec import build_spec
from component.deploy.stages import execute, show_plan
from component.errors import LocalWriteError
from component.localfiles import not_written, remove_file
from component.tools import Tools


def read_for_removal(ctx: Context) -> None:
    fn = ctx.spec.function
    ctx.tools.reporter.step(f"reading {fn.name} in {fn.region}/{fn.namespace}")
    function = ctx.waiter.until_settled(fn.name)
    ctx.deletions += plan_removal(read_removal(ctx.api, ctx.gateways), fn.name)
    if function is not None:
        ctx.deletions += [DeleteFunction(fn.name, reason="scf remove"), WaitUntilGone(fn.name)]


def forget(ctx: Context) -> None:
    """After the deletions: drop the recorded outputs and say what was done (``--json``: one document)."""
    name = ctx.spec.function.name
    removed = any(isinstance(step, DeleteFunction) for step in ctx.deletions)
    reporter = ctx.tools.reporter
    if removed:
        reporter.step(f"removed {name}")
        try:
            remove_file(outputs_path(ctx.project), "the outputs file")
        except LocalWriteError as exc:
            not_written(reporter, exc)
    else:
        reporter.step(f"function {name} does not exist: nothing to remove")
    if reporter.json_mode:
        reporter.write(json.dumps({"functionName": name, "removed": removed}, indent=2))


def load_for_removal(project: Project, transport_for: Callable[[str], Transport], tools: Tools) -> Context:
    """The load stage of a removal: the function's identity (name, region, namespace) and its apigw events.

    Nothing else of the inputs is used, so an input that would fail a deploy never keeps a function in place.
    """
    identity = {key: project.inputs[key] for key in ("name", "region", "namespace") if key in project.inputs}
    spec = build_spec(identity, root=project.root, instance=project.name, stage=project.stage, app=project.app)
    return open_context(project, spec, gateway_specs(project.inputs, spec.function), transport_for, tools)


def create_deletion_pipeline(*, dry_run: bool) -> Pipeline:
    if dry_run:
        return Pipeline((("read", read_for_removal), ("show", show_plan)), load_for_removal)
    return Pipeline((("read", read_for_removal), ("execute", execute()), ("forget", forget)), load_for_removal)
