"""The deploy outputs, in the Node component's shape (tencent-scf-component.md §5).

``lastVersion``/``traffic``/``configTrafficVersion`` are derived from the alias as it is after the
deploy, read from the cloud rather than from a local state file, so a second machine or a console
change is reflected. On ``$DEFAULT`` ``traffic`` is the share of ``$LATEST``; on a named alias it is the
share of the released version.
"""

from __future__ import annotations

from typing import Any

from component.cloud.api import AliasInfo
from component.deploy.executor import routing_text
from component.deploy.instructions import CodeRef
from component.deploy.spec import LATEST, DeploySpec

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
    outputs["triggers"] = list(triggers or [])  # SCF triggers; the deployer appends apigw entries
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
