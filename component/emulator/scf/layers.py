"""Layers: PublishLayerVersion, GetLayerVersion, ListLayerVersions, DeleteLayerVersion.

A function may only bind a layer version that exists in its region (``ResourceNotFound.Layer`` from
CreateFunction / UpdateFunctionConfiguration, as the API documents), and GetFunction describes a bound
layer with the published version's fields.  Versions number from 1 per layer name and are never reused.
"""

from __future__ import annotations

import re
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_dict, opt_int, opt_list, opt_str, req_str

from .store import DEFAULT_REGION, ScfStore, beijing_time
from .validation import MB, parse_code

LAYER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}[A-Za-z0-9]$")
LAYER_ZIP_LIMIT = 50 * MB
LayerKey = tuple[str, int]


def layer_table(store: ScfStore, region: str) -> dict[LayerKey, dict[str, Any]]:
    return store.layers.setdefault(region or DEFAULT_REGION, {})


def check_layers(store: ScfStore, region: str, layers: list[Any]) -> None:
    """``ResourceNotFound.Layer`` unless every ``{LayerName, LayerVersion}`` is published in ``region``."""
    table = layer_table(store, region)
    for item in layers:
        if not isinstance(item, dict):
            raise ApiError("InvalidParameterValue.Layers")
        try:
            key = (str(item.get("LayerName") or ""), int(item.get("LayerVersion") or 0))
        except (TypeError, ValueError) as exc:
            raise ApiError("InvalidParameterValue.Layers") from exc
        if key not in table:
            raise ApiError("ResourceNotFound.Layer", f"层{key[0]}版本{key[1]}不存在。")


def publish_layer_version(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    name = req_str(params, "LayerName")
    if not LAYER_NAME.match(name):
        raise ApiError("InvalidParameterValue.LayerName", "LayerName取值与规范不符，请修正后再试。")
    runtimes = [str(r) for r in opt_list(params, "CompatibleRuntimes", "InvalidParameterValue.CompatibleRuntimes")]
    code = parse_code(opt_dict(params, "Content", "InvalidParameterValue.Content"), store.config.cos_dir,
                      LAYER_ZIP_LIMIT)
    with store.lock:
        counter = (region or DEFAULT_REGION, name)
        version = store.layer_counters.get(counter, 0) + 1
        store.layer_counters[counter] = version
        sha = store.codes.put(code.data) if code.data is not None else ""
        layer_table(store, region)[(name, version)] = {
            "LayerName": name, "LayerVersion": version, "CompatibleRuntimes": runtimes,
            "Description": opt_str(params, "Description", ""), "LicenseInfo": opt_str(params, "LicenseInfo", ""),
            "AddTime": beijing_time(store.wall()), "CodeSha256": sha, "Stamp": "",
        }
    return {"LayerVersion": version}


def _layer(store: ScfStore, region: str, params: Params) -> tuple[LayerKey, dict[str, Any]]:
    key = (req_str(params, "LayerName"), opt_int(params, "LayerVersion", 0))
    found = layer_table(store, region).get(key)
    if found is None:
        raise ApiError("ResourceNotFound.LayerVersion", "层版本不存在。")
    return key, found


def get_layer_version(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        _, info = _layer(store, region, params)
        return {
            "CompatibleRuntimes": list(info["CompatibleRuntimes"]), "CodeSha256": info["CodeSha256"],
            "Location": f"{store.base_url}/_emulator/code/{info['CodeSha256']}.zip",
            "AddTime": info["AddTime"], "Description": info["Description"], "LicenseInfo": info["LicenseInfo"],
            "LayerVersion": info["LayerVersion"], "LayerName": info["LayerName"], "Status": "Active",
        }


def list_layer_versions(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    name = req_str(params, "LayerName")
    with store.lock:
        rows = [info for (layer, _), info in layer_table(store, region).items() if layer == name]
        if not rows:
            raise ApiError("ResourceNotFound.Layer", "层不存在。")
        rows.sort(key=lambda info: -int(info["LayerVersion"]))
        return {"LayerVersions": [_info(info) for info in rows]}


def delete_layer_version(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        key, _ = _layer(store, region, params)
        del layer_table(store, region)[key]
    return {}


def _info(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "CompatibleRuntimes": list(info["CompatibleRuntimes"]), "AddTime": info["AddTime"],
        "Description": info["Description"], "LicenseInfo": info["LicenseInfo"],
        "LayerVersion": info["LayerVersion"], "LayerName": info["LayerName"], "Status": "Active",
        "Stamp": info["Stamp"],
    }
