"""SCF function lifecycle: create, read, update code/configuration, delete, list.

Mutations start a status transition (``Creating``/``Updating``) through
:meth:`ScfStore.begin`; while it runs, further mutations fail with the action's
``FailedOperation.*`` code.  When an injected status failure is pending, an update is
*not* applied, which mirrors SCF: a failed update leaves the previous content serving.
"""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_dict, opt_str, page, req_str
from component.emulator.scf.layers import check_layers, layer_table
from component.emulator.scf.versions import add_version, remove_version

from .concurrency import apply_concurrency
from .filters import function_matcher
from .images import default_runtime, store_image
from .models import LATEST, FunctionConfig
from .store import ScfStore
from .validation import MB, apply_settings, check_function_name, parse_code
from .views import function_summary, function_view
from .websocket import apply_protocol

FUNCTION_TYPES = frozenset({"Event", "HTTP"})
ZIP_LIMIT_CREATE = 50 * MB
ZIP_LIMIT_UPDATE = 20 * MB
LIST_ORDER_KEYS = frozenset({"AddTime", "ModTime", "FunctionName"})


def create_function(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    name = req_str(params, "FunctionName")
    check_function_name(name)
    with store.lock:
        ns = store.namespace(region, params)
        if name in ns.functions:
            raise ApiError("ResourceInUse.Function")
        if len(ns.functions) >= store.config.limits.functions_per_namespace:
            raise ApiError("LimitExceeded.Function")
        config = _new_config(store, params)
        check_layers(store, region, config.layers)
        source = opt_dict(params, "Code", "InvalidParameterValue.Code")
        if not store_image(config, source):
            code = parse_code(source, store.config.cos_dir, ZIP_LIMIT_CREATE)
            store.store_code(config, code.data, code.cos_ref)
        fn = store.new_function(ns, name, config)
        ns.functions[name] = fn
        store.begin(fn, "Creating", "CreateFunction")
    return {}


def _new_config(store: ScfStore, params: Params) -> FunctionConfig:
    if "Code" not in params:
        raise ApiError("MissingParameter.Code")
    runtime = opt_str(params, "Runtime", default_runtime(params))
    if not runtime.strip():
        raise ApiError("InvalidParameterValue.Runtime")
    kind = opt_str(params, "Type", "Event")
    if kind not in FUNCTION_TYPES:
        raise ApiError("InvalidParameterValue.Type")
    config = FunctionConfig(runtime=runtime, type=kind)
    apply_settings(config, params)
    apply_protocol(config, params, creating=True)
    apply_concurrency(config, params)
    return config


def get_function(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params, "ResourceNotFound.FunctionName")
        qualifier = opt_str(params, "Qualifier", LATEST) or LATEST
        if fn.config_for(qualifier) is None:
            raise ApiError("ResourceNotFound.Version")
        return function_view(fn, qualifier, layer_table(store, region))


def update_function_code(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        store.require_idle(fn, "FailedOperation.UpdateFunctionCode")
        source = opt_dict(params, "Code", "InvalidParameterValue.Code") or params
        config = fn.latest.copy()
        apply_settings(config, {"Handler": params["Handler"]} if params.get("Handler") else {})
        if not store_image(config, source):
            code = parse_code(source, store.config.cos_dir, ZIP_LIMIT_UPDATE)
            store.store_code(config, code.data, code.cos_ref)
        if store.begin(fn, "Updating", "UpdateFunctionCode"):
            fn.latest = config
            fn.mod_time = store.wall()
            if opt_str(params, "Publish", "FALSE").upper() == "TRUE":
                add_version(store, fn, "")
    return {}


def update_function_configuration(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        store.require_idle(fn, "FailedOperation.UpdateFunctionConfiguration")
        runtime = opt_str(params, "Runtime", fn.latest.runtime)
        if runtime != fn.latest.runtime:
            raise ApiError("InvalidParameterValue.Runtime", "Runtime传入错误。Runtime cannot be changed.")
        config = fn.latest.copy()
        apply_settings(config, params)
        apply_protocol(config, params, creating=False)
        apply_concurrency(config, params)
        if "Layers" in params:
            check_layers(store, region, config.layers)
        if store.begin(fn, "Updating", "UpdateFunctionConfiguration"):
            fn.latest = config
            fn.mod_time = store.wall()
            if opt_str(params, "Publish", "FALSE").upper() == "TRUE":
                add_version(store, fn, "")
    return {}


def delete_function(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        qualifier = opt_str(params, "Qualifier", "")
        if qualifier and qualifier != LATEST:
            remove_version(store, fn, qualifier, "ResourceNotFound.Qualifier")
            return {}
        store.require_idle(fn, "FailedOperation.DeleteFunction")
        del store.namespace(region, params).functions[fn.name]
    return {}


def list_functions(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params)
    order = opt_str(params, "Order", "DESC").upper()
    order_by = opt_str(params, "Orderby", "AddTime")
    if order not in ("ASC", "DESC") or order_by not in LIST_ORDER_KEYS:
        raise ApiError("InvalidParameterValue.Order")
    search = opt_str(params, "SearchKey", "")
    described = opt_str(params, "Description", "")
    matches = function_matcher(params.get("Filters"))
    with store.lock:
        functions = list(store.namespace(region, params).functions.values())
        for fn in functions:
            store.settle(fn)
        chosen = [fn for fn in functions
                  if search in fn.name and described in fn.latest.description and matches(fn)]
        keys = {"AddTime": lambda f: (f.add_time, f.name), "ModTime": lambda f: (f.mod_time, f.name),
                "FunctionName": lambda f: (0.0, f.name)}
        chosen.sort(key=keys[order_by], reverse=order == "DESC")
        return {"Functions": [function_summary(fn) for fn in chosen[offset:offset + limit]],
                "TotalCount": len(chosen)}


def get_function_address(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        qualifier = opt_str(params, "Qualifier", LATEST) or LATEST
        config = fn.config_for(qualifier)
        if config is None:
            raise ApiError("ResourceNotFound.Version")
        sha = config.code_sha256
    return {"Url": f"{store.base_url}/_emulator/code/{sha}.zip", "CodeSha256": sha}
