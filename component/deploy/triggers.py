"""Triggers (``events``): desired state from inputs, comparison with the cloud, and the trigger plan.

The Node component (toolkit ``triggers/*.ts``) deletes the triggers whose key is no longer in the
config and then re-creates every trigger of the ``CAN_UPDATE_TRIGGER`` types on every deploy, changed
or not. Here a trigger is identified by type + name, and compared on what it does: ``TriggerDesc``
(parsed, so JSON key order and the cloud's own extra keys do not count), qualifier, enable and the
timer's argument. The plan then holds only the difference: ``DeleteTrigger`` for a trigger that is gone
from the config, ``DeleteTrigger`` + ``CreateTrigger`` for one that changed (SCF's UpdateTrigger covers
only some types, so a change is always a replacement), ``CreateTrigger`` for a new one, and nothing at
all for an unchanged one. Deletions come first so a replaced trigger's name is free again.

Names and TriggerDesc follow the toolkit: an event's ``name`` defaults to ``<type>-<instance>-<stage>``
(tencent-scf ``src/utils.js``); timer: ``parameters.name`` → event name, TriggerDesc = the bare cron
expression; cos: the bucket, ``{"event", "filter": {"Prefix", "Suffix"}}``; cmq: ``parameters.name``,
``{"filterType", "filterKey"}``; ckafka: ``<name>-<topic>``, ``{"maxMsgNum", "offset", "retry",
"timeOut"}``; http: ``parameters.name`` → ``url-trigger``. cls, mps and clb are bound by the toolkit
through the CLS, MPS and CLB services' own APIs; here they go through SCF ``CreateTrigger`` like the
others (names: the topic id, ``<type>Event``, the event name).

Deliberate differences: an omitted ``enable`` means enabled (``serverless.component.yml`` declares
``default: true``; the toolkit sends ``CLOSE``), and cmq's ``filterType`` is the input's, not a
hard-coded 1. API Gateway triggers are not handled here but by ``component.deploy.apigw``: apigw events
are skipped, and SCF's ``apigw`` trigger rows are never deleted by this sync.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from component.cloud.api import TriggerInfo
from component.deploy.instructions import CreateTrigger, DeleteTrigger, Instruction
from component.errors import ConfigError, Problem
from component.qualifiers import DEFAULT_ALIAS

TRIGGERS_PER_TYPE = 10  # SCF's limit (tencent-api.md, limits)

Params = Mapping[str, Any]


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _timer(p: Params, event_name: str) -> tuple[str, str]:
    return str(p.get("name") or event_name), str(p["cronExpression"])


def _cos(p: Params, event_name: str) -> tuple[str, str]:
    filt = p.get("filter") or {}
    desc = {"event": p["events"], "filter": {"Prefix": filt.get("prefix", ""), "Suffix": filt.get("suffix", "")}}
    return str(p["bucket"]), _json(desc)


def _cmq(p: Params, event_name: str) -> tuple[str, str]:
    desc: dict[str, Any] = {"filterType": p.get("filterType", 1)}
    if p.get("filterKey") is not None:
        desc["filterKey"] = list(p["filterKey"])
    return str(p.get("name") or event_name), _json(desc)


def _ckafka(p: Params, event_name: str) -> tuple[str, str]:
    desc = {
        "maxMsgNum": p.get("maxMsgNum", 100),
        "offset": p.get("offset", "latest"),
        "retry": p.get("retry", 10000),
        "timeOut": p.get("timeout", 60),
    }
    return f"{p['name']}-{p['topic']}", _json(desc)


def _cls(p: Params, event_name: str) -> tuple[str, str]:
    desc: dict[str, Any] = {"topicId": p["topicId"], "maxWait": p.get("maxWait", 60)}
    if p.get("maxSize") is not None:
        desc["maxSize"] = p["maxSize"]
    return str(p["topicId"]), _json(desc)


def _mps(p: Params, event_name: str) -> tuple[str, str]:
    return f"{p['type']}Event", _json({"eventType": p["type"]})


def _clb(p: Params, event_name: str) -> tuple[str, str]:
    keys = ("loadBalanceId", "protocol", "port", "domain", "url", "weight")
    return event_name, _json({k: p[k] for k in keys if p.get(k) is not None})


def _http(p: Params, event_name: str) -> tuple[str, str]:
    net = p.get("netConfig") or {}
    desc = {
        "AuthType": p.get("authType", "NONE"),
        "NetConfig": {
            "EnableIntranet": bool(net.get("enableIntranet", False)),
            "EnableExtranet": bool(net.get("enableExtranet", True)),
        },
    }
    if p.get("corsConfig"):
        desc["CorsConfig"] = _cors(p["corsConfig"])
    return str(p.get("name") or "url-trigger"), _json(desc)


def _cors(cors: Params) -> dict[str, Any]:
    """``corsConfig`` as the toolkit sends it: keys capitalised, comma-separated strings split."""
    out: dict[str, Any] = {}
    for key, value in cors.items():
        listed = key in ("origins", "methods", "headers", "exposeHeaders") and isinstance(value, str)
        out[key[:1].upper() + key[1:]] = value.split(",") if listed else value
    return out


# type -> (TriggerName, TriggerDesc) from the event's parameters and its (defaulted) name
BUILDERS: dict[str, Callable[[Params, str], tuple[str, str]]] = {
    "timer": _timer,
    "cos": _cos,
    "cmq": _cmq,
    "ckafka": _ckafka,
    "cls": _cls,
    "mps": _mps,
    "clb": _clb,
    "http": _http,
}
MANAGED_TYPES = frozenset(BUILDERS)


def desired_triggers(
    events: Sequence[Mapping[str, Any]] | None, *, instance: str, stage: str
) -> tuple[TriggerInfo, ...]:
    """The SCF triggers the (validated) events declare; apigw events belong to ``component.deploy.apigw``."""
    found: list[TriggerInfo] = []
    for index, event in enumerate(events or ()):
        for kind, raw in event.items():
            if kind not in BUILDERS:
                continue
            body = raw or {}
            params = body.get("parameters") or {}
            event_name = str(body.get("name") or f"{kind}-{instance}-{stage}")
            name, desc = BUILDERS[kind](params, event_name)
            found.append(
                TriggerInfo(
                    type=kind,
                    name=name,
                    desc=desc,
                    qualifier=str(params.get("qualifier") or DEFAULT_ALIAS),
                    enable=True if kind == "http" else bool(params.get("enable", True)),
                    argument=str(params.get("argument") or "") if kind == "timer" else "",
                )
            )
            _check(found, index, kind)
    return tuple(found)


def _check(found: list[TriggerInfo], index: int, kind: str) -> None:
    last = found[-1]
    path = f"inputs.events[{index}].{kind}"
    if any((t.type, t.name) == (last.type, last.name) for t in found[:-1]):
        raise ConfigError(
            Problem(
                path=path,
                message=f"two {kind} triggers are both named {last.name!r}",
                hint="give each trigger its own name (for cos: one event per bucket)",
            )
        )
    if sum(1 for t in found if t.type == kind) > TRIGGERS_PER_TYPE:
        raise ConfigError(
            Problem(
                path=path,
                message=f"more than {TRIGGERS_PER_TYPE} {kind} triggers",
                hint=f"SCF allows at most {TRIGGERS_PER_TYPE} triggers of one type per function",
            )
        )


def normal_desc(kind: str, desc: str) -> Any:
    """TriggerDesc as a comparable value: timer → the cron expression; JSON → the parsed value."""
    try:
        value = json.loads(desc)
    except ValueError:
        return desc.strip()
    if kind == "timer" and isinstance(value, dict) and "cron" in value:
        return str(value["cron"]).strip()
    return value


def _covers(desired: Any, current: Any) -> bool:
    """``current`` holds everything ``desired`` says (the cloud may add keys of its own)."""
    if isinstance(desired, dict) and isinstance(current, dict):
        return all(k in current and _covers(v, current[k]) for k, v in desired.items())
    if isinstance(desired, list) and isinstance(current, list):
        return len(desired) == len(current) and all(_covers(a, b) for a, b in zip(desired, current, strict=True))
    return bool(desired == current or str(desired) == str(current))


def differences(desired: TriggerInfo, current: TriggerInfo) -> list[str]:
    """Which fields of a same-named trigger differ (empty: the trigger is up to date)."""
    diff = []
    if not _covers(normal_desc(desired.type, desired.desc), normal_desc(current.type, current.desc)):
        diff.append("TriggerDesc")
    if desired.qualifier != current.qualifier:
        diff.append("Qualifier")
    if desired.enable != current.enable:
        diff.append("Enable")
    if desired.type == "timer" and desired.argument != current.argument:
        diff.append("CustomArgument")
    return diff


def plan_triggers(function: str, desired: Iterable[TriggerInfo], current: Iterable[TriggerInfo]) -> list[Instruction]:
    """Deletes (gone or changed) first, then creates (new or changed); unchanged triggers are left alone."""
    wanted = {(t.type, t.name): t for t in desired}
    have = [t for t in current if t.type in MANAGED_TYPES]
    kept: set[tuple[str, str]] = set()
    deletes: list[Instruction] = []
    changed: dict[tuple[str, str], list[str]] = {}
    for trigger in have:
        ident = (trigger.type, trigger.name)
        target = wanted.get(ident)
        if target is None:
            deletes.append(DeleteTrigger(function, trigger, reason="removed from events"))
            continue
        if ident in kept or ident in changed:  # a duplicate row (other qualifier): one is enough
            deletes.append(DeleteTrigger(function, trigger, reason="duplicate"))
            continue
        diff = differences(target, trigger)
        if diff:
            changed[ident] = diff
            deletes.append(DeleteTrigger(function, trigger, reason=f"changed: {', '.join(diff)}"))
        else:
            kept.add(ident)
    creates: list[Instruction] = []
    for ident, trigger in wanted.items():
        if ident in kept:
            continue
        reason = f"changed: {', '.join(changed[ident])}" if ident in changed else "new"
        creates.append(CreateTrigger(function, trigger, reason=reason))
    return deletes + creates


def trigger_outputs(
    desired: Iterable[TriggerInfo], current: Iterable[TriggerInfo], created: Mapping[tuple[str, str], Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The ``triggers`` output in the Node component's shape: the cloud's row plus ``NeedCreate``."""
    rows = {(t.type, t.name): t.raw for t in current}
    out: list[dict[str, Any]] = []
    for trigger in desired:
        ident = (trigger.type, trigger.name)
        if ident in created:
            out.append(
                {
                    "NeedCreate": True,
                    **created[ident],
                    "Qualifier": created[ident].get("Qualifier") or trigger.qualifier,
                }
            )
        elif ident in rows:
            out.append({"NeedCreate": False, **rows[ident]})
    return out


def describe_trigger(trigger: TriggerInfo) -> str:
    state = "enabled" if trigger.enable else "disabled"
    desc = normal_desc(trigger.type, trigger.desc)
    shown = desc if isinstance(desc, str) else _json(desc) if isinstance(desc, dict) else str(desc)
    arg = f", argument {trigger.argument}" if trigger.argument else ""
    return f"{trigger.type} {trigger.name} → {trigger.qualifier} ({shown}, {state}{arg})"
