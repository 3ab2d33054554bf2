"""The deploy outputs, in the Node component's shape (tencent-scf-component.md §5), and where they are kept.

``lastVersion``/``traffic``/``configTrafficVersion`` are derived from the alias as it is after the
deploy, read from the cloud rather than from a local state file, so a second machine or a console
change is reflected. On ``$DEFAULT`` ``traffic`` is the share of ``$LATEST``; on a named alias it is the
share of the released version.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from component.cloud.api import AliasInfo
from component.deploy.describe import plan_context
from component.deploy.instructions import CodeRef
from component.deploy.routing import routing_text
from component.deploy.spec import DeploySpec
from component.deploy.summary import summary_markdown
from component.errors import LocalWriteError
from component.localfiles import Warner, append_text, not_written, write_atomic
from component.qualifiers import LATEST

if TYPE_CHECKING:
    from component.config.project import Project
    from component.deploy.instructions import Plan

# Every key build_outputs (and the rollout result) may write; ${output:instance.KEY} references are
# checked against it before any cloud call.
OUTPUT_KEYS = frozenset(
    {
        "type",
        "functionName",
        "code",
        "description",
        "namespace",
        "runtime",
        "handler",
        "memorySize",
        "region",
        "entryFile",
        "layers",
        "lastVersion",
        "traffic",
        "configTrafficVersion",
        "aliasName",
        "routing",
        "triggers",
        "rollout",
    }
)


def build_outputs(
    spec: DeploySpec,
    function: dict[str, Any],
    code: CodeRef,
    alias: AliasInfo | None,
    last_version: str | None,
    triggers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    fn = spec.function
    outputs: dict[str, Any] = {
        "type": fn.type,
        "functionName": function.get("FunctionName", fn.name),
        "code": _code(code),
        "description": function.get("Description"),
        "namespace": function.get("Namespace", fn.namespace),
        "runtime": function.get("Runtime"),
        "handler": function.get("Handler"),
        "memorySize": function.get("MemorySize"),
        "region": fn.region,
    }
    if fn.entry_file:
        outputs["entryFile"] = fn.entry_file
    layers = function.get("Layers") or []
    if layers:
        outputs["layers"] = [{"name": x.get("LayerName"), "version": x.get("LayerVersion")} for x in layers]
    outputs.update(traffic_fields(spec, alias, last_version))
    outputs["triggers"] = list(triggers or [])  # SCF triggers; the record stage appends apigw entries
    return outputs


def traffic_fields(spec: DeploySpec, alias: AliasInfo | None, last_version: str | None) -> dict[str, Any]:
    if spec.release.is_default:
        share = alias.share_of(LATEST) if alias else 1.0
        fields: dict[str, Any] = {"lastVersion": last_version or LATEST, "traffic": _number(share)}
        extra = alias.weights[0].version if alias and alias.weights else None
        if share != 1 and extra:
            fields["configTrafficVersion"] = extra
        return fields
    version = last_version or LATEST
    share = alias.share_of(version) if alias else 0.0
    fields = {"lastVersion": version, "traffic": _number(share)}
    if share != 1 and alias and alias.main_version != version:
        fields["configTrafficVersion"] = version
    fields["aliasName"] = spec.release.alias
    fields["routing"] = routing_text(alias) if alias else ""
    return fields


def _number(value: float) -> float | int:
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _code(code: CodeRef) -> dict[str, Any]:
    if code.image:
        return {"image": code.image_config.get("ImageUri")}
    if code.cos_object:
        return {"bucket": code.cos_bucket, "object": code.cos_object}
    return {"sha256": code.sha256, "size": code.size}


def outputs_file(root: Path, instance: str, stage: str) -> Path:
    """Where an instance's outputs are recorded: the one place this path is spelt."""
    return root / ".serverless" / f"{instance}.{stage}.outputs.json"


def outputs_path(project: Project) -> Path:
    return outputs_file(project.root, project.name, project.stage)


def record_outputs(project: Project, outputs: dict[str, Any]) -> Path:
    path = outputs_path(project)
    write_atomic(path, json.dumps(outputs, indent=2, default=str) + "\n", "the outputs file")
    return path


def write_step_summary(project: Project, outputs: dict[str, Any], plan: Plan) -> None:
    """Append the Markdown summary to ``GITHUB_STEP_SUMMARY``, read from the process environment only:
    a project's ``.env`` must not choose which file on the build machine we append to (SECURITY.md)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    text = summary_markdown(outputs, project.stage, plan_context(plan)["lines"])
    append_text(target, text, "GITHUB_STEP_SUMMARY")


def save_locally(project: Project, outputs: dict[str, Any], plan: Plan, reporter: Warner) -> None:
    """Outputs file and step summary, after the cloud changed: a file that cannot be written is warned
    about and ends the command with exit 5 (:func:`component.localfiles.conclude`), never a traceback."""
    try:
        record_outputs(project, outputs)
    except LocalWriteError as exc:
        not_written(reporter, exc)
    try:
        write_step_summary(project, outputs, plan)
    except LocalWriteError as exc:
        not_written(reporter, exc)
