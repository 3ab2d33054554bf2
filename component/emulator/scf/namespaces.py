"""Namespaces: ListNamespaces, CreateNamespace (triggers are in ``triggers.py``)."""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str, page, req_str

from .models import Namespace
from .store import BackendBase, beijing_time
from .validation import check_namespace_name


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
