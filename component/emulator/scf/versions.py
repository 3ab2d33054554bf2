"""Published versions: PublishVersion, ListVersionByFunction, DeleteFunctionVersion.

Version numbers come from a per-function counter that only grows, so a deleted number
is never handed out again.  A new version snapshots ``$LATEST`` (config and code sha) and
is ``Publishing`` until the function's transition settles.
"""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str, page, req_str

from .models import LATEST, Function, Version
from .store import ScfStore, beijing_time

PUBLISHABLE = frozenset({"Active", "UpdateFailed", "PublishFailed"})


def add_version(store: ScfStore, fn: Function, description: str, status: str = "Active") -> Version:
    if len(fn.versions) >= store.config.limits.versions_per_function:
        raise ApiError("LimitExceeded.FunctionVersions")
    stamp = store.wall()
    version = Version(str(fn.next_version), fn.latest.copy(), description, stamp, stamp, status)
    fn.next_version += 1
    fn.versions[version.version] = version
    return version


def publish_version(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        if fn.status not in PUBLISHABLE:
            raise ApiError("FailedOperation.PublishVersion")
        description = opt_str(params, "Description", "")
        if len(description) > 1000:
            raise ApiError("InvalidParameterValue.Description")
        version = add_version(store, fn, description, "Publishing")
        fn.pending_version = version.version
        store.begin(fn, "Publishing", "PublishVersion")
        config = version.config
        return {
            "FunctionVersion": version.version, "CodeSize": config.code_size,
            "MemorySize": config.memory_size, "Description": description, "Handler": config.handler,
            "Timeout": config.timeout, "Runtime": config.runtime, "Namespace": fn.namespace,
        }


def list_version_by_function(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params)
    order = opt_str(params, "Order", "ASC").upper()
    if order not in ("ASC", "DESC"):
        raise ApiError("InvalidParameterValue.Order")
    if opt_str(params, "OrderBy", "AddTime") not in ("AddTime", "ModTime"):
        raise ApiError("InvalidParameterValue.OrderBy", "OrderBy传入错误。")
    with store.lock:
        fn = store.function(region, params)
        numbered = sorted(fn.versions.values(), key=lambda v: int(v.version), reverse=order == "DESC")
        rows = [_latest_row(fn)] + [_version_row(v) for v in numbered]
        chosen = rows[offset:offset + limit]
        return {"FunctionVersion": [r["Version"] for r in chosen], "Versions": chosen, "TotalCount": len(rows)}


def _version_row(version: Version) -> dict[str, Any]:
    return {"Version": version.version, "Description": version.description,
            "AddTime": beijing_time(version.add_time), "ModTime": beijing_time(version.mod_time),
            "Status": version.status}


def _latest_row(fn: Function) -> dict[str, Any]:
    return {"Version": LATEST, "Description": fn.latest.description, "AddTime": beijing_time(fn.add_time),
            "ModTime": beijing_time(fn.mod_time), "Status": fn.status}


def delete_function_version(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        remove_version(store, fn, req_str(params, "Qualifier"), "ResourceNotFound.Qualifier")
    return {}


def remove_version(store: ScfStore, fn: Function, qualifier: str, not_found: str) -> None:
    if qualifier == LATEST:
        raise ApiError("InvalidParameterValue.Qualifier")
    if qualifier not in fn.versions:
        raise ApiError(not_found)
    if qualifier == fn.pending_version:
        raise ApiError("FailedOperation.FunctionVersionStatusNotActive")
    if any(qualifier in alias.versions() for alias in fn.aliases.values()):
        raise ApiError("UnsupportedOperation.AliasBind")
    del fn.versions[qualifier]
