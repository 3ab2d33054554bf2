"""Triggers: CreateTrigger, ListTriggers, DeleteTrigger.

Triggers belong to the function (not copied into published versions, as in SCF) and are bound to a
qualifier.  A timer's ``TriggerDesc`` may be sent as the bare cron expression (what the Node toolkit
sends) or as ``{"cron": ...}``; it is validated and listed compact (``{"cron":"..."}``), as the API
reference's example shows it.
Other types take a JSON object (cos needs its ``event``).  Timers fire: see ``timers.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str, page, req_str

from .cron import parse_cron
from .filters import trigger_matcher
from .models import DEFAULT_ALIAS, Trigger
from .store import ScfStore
from .views import trigger_info, trigger_view

TRIGGER_TYPES = frozenset({"timer", "apigw", "cos", "cmq", "ckafka", "cls", "mps", "clb", "http", "eb"})
TRIGGERS_PER_TYPE = 10
TRIGGER_ORDER: dict[str, Callable[[Trigger], tuple[float, str]]] = {
    "add_time": lambda t: (t.add_time, t.name), "mod_time": lambda t: (t.mod_time, t.name)}


def create_trigger(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    name, kind = req_str(params, "TriggerName"), req_str(params, "Type")
    if kind not in TRIGGER_TYPES:
        raise ApiError("InvalidParameterValue.Type")
    desc = _check_desc(kind, opt_str(params, "TriggerDesc", ""))
    enable = opt_str(params, "Enable", "OPEN") or "OPEN"
    if enable not in ("OPEN", "CLOSE"):
        raise ApiError("InvalidParameterValue.Enable", "Enable取值与规范不符，请修正后再试。")
    with store.lock:
        fn = store.function(region, params)
        if fn.busy:
            raise ApiError("FailedOperation.CreateTrigger")
        qualifier = opt_str(params, "Qualifier", DEFAULT_ALIAS) or DEFAULT_ALIAS
        if qualifier not in fn.aliases and fn.config_for(qualifier) is None:
            raise ApiError("ResourceNotFound.Qualifier")
        key = f"{kind}/{name}"
        if key in fn.triggers:
            raise ApiError("ResourceInUse.Trigger")
        if sum(1 for t in fn.triggers.values() if t.type == kind) >= TRIGGERS_PER_TYPE:
            raise ApiError("LimitExceeded.Trigger")
        stamp = store.wall()
        trigger = Trigger(name, kind, desc, qualifier, enable,
                          opt_str(params, "CustomArgument", ""), opt_str(params, "Description", ""),
                          stamp, stamp)
        fn.triggers[key] = trigger
        info = trigger_view(trigger)  # CreateTrigger answers the SDK model `Trigger` (no BoundResources)
    return {"TriggerInfo": info}


def list_triggers(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params)
    order_by = opt_str(params, "OrderBy", "mod_time") or "mod_time"
    order = (opt_str(params, "Order", "DESC") or "DESC").upper()
    if order_by not in TRIGGER_ORDER:
        raise ApiError("InvalidParameterValue.OrderBy", "OrderBy传入错误。", "OrderBy: add_time or mod_time.")
    if order not in ("ASC", "DESC"):
        raise ApiError("InvalidParameterValue.Order")
    matches = trigger_matcher(params.get("Filters"))
    with store.lock:
        ns = store.namespace(region, params)  # a missing function has no triggers: no error is documented
        fn = ns.functions.get(req_str(params, "FunctionName"))
        found = sorted((t for t in fn.triggers.values() if matches(t)) if fn else [],
                       key=TRIGGER_ORDER[order_by], reverse=order == "DESC")
        rows = [trigger_info(t) for t in found]
    return {"Triggers": rows[offset:offset + limit], "TotalCount": len(rows)}


def delete_trigger(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    name, kind = req_str(params, "TriggerName"), req_str(params, "Type")
    with store.lock:
        fn = store.function(region, params)
        found = fn.triggers.get(f"{kind}/{name}")
        qualifier = opt_str(params, "Qualifier", "")
        if found is None or (qualifier and qualifier != found.qualifier):
            raise ApiError("ResourceNotFound.Trigger")
        del fn.triggers[f"{kind}/{name}"]
    return {}


def _check_desc(kind: str, desc: str) -> str:
    """Validate TriggerDesc; a timer's is stored as ``{"cron": ...}`` whichever form was sent."""
    try:
        value = json.loads(desc) if desc else None
    except ValueError:
        value = desc
    if kind == "timer":
        cron = value.get("cron") if isinstance(value, dict) else desc
        if not isinstance(cron, str) or not cron.strip():
            raise ApiError("InvalidParameterValue.TriggerDesc")
        parse_cron(cron)
        return json.dumps({"cron": cron.strip()}, separators=(",", ":"))  # compact, as the API example
    if kind in ("apigw", "eb") or (kind == "http" and not desc):
        return desc
    if not isinstance(value, dict) or (kind == "cos" and not value.get("event")):
        raise ApiError("InvalidParameterValue.TriggerDesc")
    return desc
