"""Render backend entities into the SDK's response shapes (field names from models.py)."""

from __future__ import annotations

from typing import Any

from component.emulator.cls.search import cls_view

from .fill import configuration_objects
from .models import Alias, Function, FunctionConfig, Trigger
from .store import beijing_time

# Settings stored as sent but answered filled (see fill.py), so never echoed raw.
FILLED = frozenset({"DeadLetterConfig", "CfsConfig", "IntranetConfig"})


def trigger_info(trigger: Trigger) -> dict[str, Any]:
    """A ListTriggers / CreateTrigger row (the SDK's ``TriggerInfo``: GetFunction's ``Trigger`` plus BoundResources)."""
    return {**trigger_view(trigger), "BoundResources": ""}


def trigger_view(trigger: Trigger) -> dict[str, Any]:
    return {
        "ModTime": beijing_time(trigger.mod_time),
        "Type": trigger.type,
        "TriggerDesc": trigger.desc,
        "TriggerName": trigger.name,
        "AddTime": beijing_time(trigger.add_time),
        "Enable": 1 if trigger.enable == "OPEN" else 0,
        "CustomArgument": trigger.custom_argument,
        "AvailableStatus": "Available",
        "ResourceId": "",
        "BindStatus": "",
        "TriggerAttribute": "",
        "Qualifier": trigger.qualifier,
        "Description": trigger.description,
    }


def alias_view(alias: Alias) -> dict[str, Any]:
    return {
        "FunctionVersion": alias.function_version,
        "Name": alias.name,
        "RoutingConfig": {
            "AdditionalVersionWeights": [dict(w) for w in alias.weights],
            "AddtionVersionMatchs": [dict(m) for m in alias.matchs],
        },
        "Description": alias.description,
        "AddTime": beijing_time(alias.add_time),
        "ModTime": beijing_time(alias.mod_time),
    }


def config_view(config: FunctionConfig, add_time: str, layers: dict[tuple[str, int], Any]) -> dict[str, Any]:
    return {
        "Handler": config.handler,
        "Runtime": config.runtime,
        "MemorySize": config.memory_size,
        "Timeout": config.timeout,
        "InitTimeout": config.init_timeout,
        "CodeSize": config.code_size,
        "Description": config.description,
        "Environment": {"Variables": [dict(e) for e in config.environment]},
        "Role": config.role,
        "Type": config.type,
        "Tags": list(config.tags),
        "VpcConfig": dict(config.vpc_config),
        "EipConfig": {"EipFixed": "FALSE", "Eips": []},
        "CodeInfo": config.cos_ref,
        "CodeResult": "success",
        "CodeError": "",
        "ErrNo": 0,
        "L5Enable": "FALSE",
        "OnsEnable": "FALSE",
        "DnsCache": "FALSE",
        "AsyncRunEnable": "FALSE",
        "TraceEnable": "FALSE",
        "UseGpu": "FALSE",
        "InstallDependency": "FALSE",
        "ClsLogsetId": "",
        "ClsTopicId": "",
        "ProtocolType": "",
        **{key: value for key, value in config.extra.items() if key not in FILLED},
        **configuration_objects(config, add_time, layers),
    }


def function_view(fn: Function, qualifier: str, layers: dict[tuple[str, int], Any]) -> dict[str, Any]:
    """GetFunction body for ``$LATEST`` or a published version."""
    version = fn.versions.get(qualifier)
    config = version.config if version else fn.latest
    status = version.status if version else fn.status
    reasons = fn.status_reasons if version is None else []
    out = config_view(config, beijing_time(version.add_time if version else fn.add_time), layers)
    out.update(cls_view(fn.namespace, out))
    out.update(
        {
            "FunctionName": fn.name,
            "FunctionId": fn.function_id,
            "Namespace": fn.namespace,
            "FunctionVersion": qualifier,
            "Qualifier": qualifier,
            "Status": status,
            "StatusDesc": fn.status_desc if version is None else "",
            "StatusReasons": [dict(r) for r in reasons],
            "AvailableStatus": "Available",
            "AddTime": beijing_time(version.add_time if version else fn.add_time),
            "ModTime": beijing_time(version.mod_time if version else fn.mod_time),
            "Triggers": [trigger_view(t) for t in fn.triggers.values()],
        }
    )
    return out


def function_summary(fn: Function) -> dict[str, Any]:
    """One entry of ListFunctions."""
    return {
        "ModTime": beijing_time(fn.mod_time),
        "AddTime": beijing_time(fn.add_time),
        "Runtime": fn.latest.runtime,
        "FunctionName": fn.name,
        "FunctionId": fn.function_id,
        "Namespace": fn.namespace,
        "Status": fn.status,
        "StatusDesc": fn.status_desc,
        "Description": fn.latest.description,
        "Tags": list(fn.latest.tags),
        "Type": fn.latest.type,
        "StatusReasons": [dict(r) for r in fn.status_reasons],
        "TotalProvisionedConcurrencyMem": 0,
        "ReservedConcurrencyMem": 0,
        "AsyncRunEnable": "FALSE",
        "TraceEnable": "FALSE",
    }
