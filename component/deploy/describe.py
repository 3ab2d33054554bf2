"""One line of plain text per instruction, for the dry run, progress and the CI summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from component.cloud.api import AliasInfo
from component.deploy.apigw_handlers import GATEWAY_DESCRIBERS
from component.deploy.extras import EXTRAS_DESCRIBERS
from component.deploy.instructions import (
    NEW_VERSION,
    CreateFunction,
    CreateServiceRole,
    CreateTrigger,
    DeleteFunction,
    DeleteTrigger,
    DeleteVersion,
    Instruction,
    Plan,
    PublishVersion,
    PutAlias,
    UpdateFunctionCode,
    UpdateFunctionConfiguration,
    VerifyVersionCode,
    WaitUntilActive,
    WaitUntilGone,
)
from component.deploy.roles import describe_role
from component.deploy.routing import routing_text
from component.deploy.triggers import describe_trigger


def _create(step: CreateFunction) -> str:
    keys = ", ".join(
        f"{k}={step.params[k]}" for k in ("Runtime", "Handler", "MemorySize", "Timeout") if k in step.params
    )
    return f"CreateFunction {step.function} ({keys}; {step.code.describe()})"


def _config(step: UpdateFunctionConfiguration) -> str:
    parts = [
        f"Environment: {_env_change(step.before.get(k), v)}"
        if k == "Environment"
        else f"{k}: {_short(step.before.get(k))} → {_short(v)}"
        for k, v in sorted(step.changes.items())
    ]
    return f"UpdateFunctionConfiguration {step.function} ({'; '.join(parts)})"


def _env_change(before: Any, after: Any) -> str:
    """Which variables are added, changed or removed: names only, since values are often secrets."""

    def pairs(value: Any) -> dict[str, str]:
        return {str(v.get("Key")): str(v.get("Value")) for v in (value or {}).get("Variables") or [] if v.get("Key")}

    old, new = pairs(before), pairs(after)
    words = [f"{k} added" for k in sorted(new.keys() - old.keys())]
    words += [f"{k} changed" for k in sorted(old.keys() & new.keys()) if old[k] != new[k]]
    words += [f"{k} removed" for k in sorted(old.keys() - new.keys())]
    return ", ".join(words) or "unchanged"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _alias(step: PutAlias) -> str:
    verb = "CreateAlias" if step.create else "UpdateAlias"
    before = routing_text(step.before) if step.before else "(new)"
    return f"{verb} {step.target.name}: {before} → {_routing(step.target)}"


def _routing(alias: AliasInfo) -> str:
    return routing_text(alias).replace(NEW_VERSION, "new version")


_DESCRIBERS: dict[type, Callable[[Any], str]] = {
    DeleteFunction: lambda s: f"DeleteFunction {s.function} ({s.reason})",
    WaitUntilGone: lambda s: f"wait until {s.function} is deleted",
    CreateFunction: _create,
    UpdateFunctionCode: lambda s: f"UpdateFunctionCode {s.function} ({s.code.describe()}, Handler={s.handler})",
    UpdateFunctionConfiguration: _config,
    WaitUntilActive: lambda s: f"wait until {s.function} {_qualifier(s.qualifier)} is Active",
    PublishVersion: lambda s: f"PublishVersion {s.function} → version {s.expected or '?'} (expected)",
    VerifyVersionCode: lambda s: f"check that {s.function} {_qualifier(s.version)} holds code sha256 {s.sha256[:12]}",
    PutAlias: _alias,
    DeleteVersion: lambda s: f"DeleteFunctionVersion {s.function} version {s.version}",
    CreateTrigger: lambda s: f"CreateTrigger {s.function} {describe_trigger(s.trigger)} [{s.reason}]",
    DeleteTrigger: lambda s: f"DeleteTrigger {s.function} {s.trigger.type} {s.trigger.name} [{s.reason}]",
    **GATEWAY_DESCRIBERS,
    **EXTRAS_DESCRIBERS,
    CreateServiceRole: describe_role,
}


def _qualifier(qualifier: str) -> str:
    return "new version" if qualifier == NEW_VERSION else qualifier


def describe(step: Instruction) -> str:
    return _DESCRIBERS[type(step)](step)


def plan_context(plan: Plan) -> dict[str, Any]:
    reads = WaitUntilActive | WaitUntilGone | VerifyVersionCode
    lines = [describe(s) for s in plan.instructions if not isinstance(s, reads)]
    alias_steps = [s for s in plan.instructions if isinstance(s, PutAlias)]
    alias = alias_steps[-1] if alias_steps else None
    return {
        "lines": lines,
        "warnings": list(plan.warnings),
        "alias_name": alias.target.name if alias else "",
        "alias_before": routing_text(alias.before) if alias and alias.before else "",
        "alias_after": _routing(alias.target) if alias else "",
        "writes": len(plan.writes),
    }
