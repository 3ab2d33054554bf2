"""Namespaces (ListNamespaces, CreateNamespace) and triggers (Create/List/DeleteTrigger).

Triggers are stored and listed only; the emulator never fires them.  They belong to
``$LATEST`` config-wise and are not copied into published versions, as in SCF.
"""

from __future__ import annotations

from typing import Any

from .base import BackendBase, beijing_time
from .errors import ApiError
from .models import DEFAULT_ALIAS, Namespace, Trigger
from .params import Params, opt_str, page, req_str
from .validation import check_namespace_name
from .views import trigger_view

TRIGGER_TYPES = frozenset({"timer", "apigw", "cos", "cmq", "ckafka", "cls", "mps", "http", "eb"})
TRIGGERS_PER_TYPE = 10


class NamespacesMixin(BackendBase):
    def list_namespaces(self, region: str, params: Params) -> dict[str, Any]:
        offset, limit = page(params)
        with self.lock:
            rows = [
                {"ModTime": beijing_time(ns.mod_time), "AddTime": beijing_time(ns.add_time),
                 "Description": ns.description, "Name": ns.name, "Type": "default"}
                for ns in self.region(region).values()
            ]
        return {"Namespaces": rows[offset:offset + limit], "TotalCount": len(rows)}

    def create_namespace(self, region: str, params: Params) -> dict[str, Any]:
        name = req_str(params, "Namespace")
        check_namespace_name(name)
        with self.lock:
            spaces = self.region(region)
            if name in spaces:
                raise ApiError("ResourceInUse.Namespace")
            if len(spaces) >= self.config.limits.namespaces_per_region:
                raise ApiError("LimitExceeded.Namespace")
            stamp = self.wall()
            spaces[name] = Namespace(name, opt_str(params, "Description", ""), stamp, stamp)
        return {}

    def create_trigger(self, region: str, params: Params) -> dict[str, Any]:
        name, kind = req_str(params, "TriggerName"), req_str(params, "Type")
        if kind not in TRIGGER_TYPES:
            raise ApiError("InvalidParameterValue.Type")
        desc = opt_str(params, "TriggerDesc", "")
        if kind == "timer" and not desc:
            raise ApiError("InvalidParameterValue.TriggerDesc")
        with self.lock:
            fn = self.function(region, params)
            qualifier = opt_str(params, "Qualifier", DEFAULT_ALIAS) or DEFAULT_ALIAS
            if qualifier not in fn.aliases and fn.config_for(qualifier) is None:
                raise ApiError("ResourceNotFound.Qualifier")
            key = f"{kind}/{name}"
            if key in fn.triggers:
                raise ApiError("ResourceInUse.Trigger")
            if sum(1 for t in fn.triggers.values() if t.type == kind) >= TRIGGERS_PER_TYPE:
                raise ApiError("LimitExceeded.Trigger")
            stamp = self.wall()
            trigger = Trigger(name, kind, desc, qualifier, opt_str(params, "Enable", "OPEN"),
                              opt_str(params, "CustomArgument", ""), opt_str(params, "Description", ""),
                              stamp, stamp)
            fn.triggers[key] = trigger
            info = trigger_view(trigger)
        info["BoundResources"] = ""
        return {"TriggerInfo": info}

    def list_triggers(self, region: str, params: Params) -> dict[str, Any]:
        offset, limit = page(params)
        with self.lock:
            fn = self.function(region, params)
            rows = [{**trigger_view(t), "BoundResources": ""} for t in fn.triggers.values()]
        return {"Triggers": rows[offset:offset + limit], "TotalCount": len(rows)}

    def delete_trigger(self, region: str, params: Params) -> dict[str, Any]:
        name, kind = req_str(params, "TriggerName"), req_str(params, "Type")
        with self.lock:
            fn = self.function(region, params)
            if fn.triggers.pop(f"{kind}/{name}", None) is None:
                raise ApiError("ResourceNotFound.Trigger")
        return {}
