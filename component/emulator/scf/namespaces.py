"""Namespaces: ListNamespaces, CreateNamespace (triggers are in ``triggers.py``)."""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str, page, req_str

from .models import Namespace
from .store import ScfStore, beijing_time
from .validation import check_namespace_name


def list_namespaces(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params)
    with store.lock:
        rows = [
            {"ModTime": beijing_time(ns.mod_time), "AddTime": beijing_time(ns.add_time),
             "Description": ns.description, "Name": ns.name, "Type": "default"}
            for ns in store.region(region).values()
        ]
    return {"Namespaces": rows[offset:offset + limit], "TotalCount": len(rows)}


def create_namespace(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    name = req_str(params, "Namespace")
    check_namespace_name(name)
    with store.lock:
        spaces = store.region(region)
        if name in spaces:
            raise ApiError("ResourceInUse.Namespace")
        if len(spaces) >= store.config.limits.namespaces_per_region:
            raise ApiError("LimitExceeded.Namespace")
        stamp = store.wall()
        spaces[name] = Namespace(name, opt_str(params, "Description", ""), stamp, stamp)
    return {}
