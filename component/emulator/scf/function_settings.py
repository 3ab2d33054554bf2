"""Per-function settings kept outside the function configuration: async retry and provisioned concurrency.

``GetFunctionEventInvokeConfig`` / ``UpdateFunctionEventInvokeConfig`` hold ``AsyncTriggerConfig``
(``MsgTTL`` 60–21600 s, ``RetryConfig: [{RetryNum 0–2}]``); a function never configured answers the
platform default (two retries, 6 h), and the setting is function-wide (the Update request has no
``Qualifier``). ``PutProvisionedConcurrencyConfig`` / ``GetProvisionedConcurrencyConfig`` /
``DeleteProvisionedConcurrencyConfig`` hold a count per published version (never ``$LATEST``);
allocation completes at once (``Status: Done``). The values live in ``Function.settings`` so they are
persisted with the function and vanish with it. Each handler takes the store first, like the
``Backend`` methods the dispatch table lists.
"""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str, req_str

from .models import LATEST, Function
from .store import ScfStore

DEFAULT_ASYNC = {"RetryConfig": [{"RetryNum": 2}], "MsgTTL": 21600}
MSG_TTL_RANGE = (60, 21600)
RETRY_RANGE = (0, 2)
CONCURRENCY_QUOTA = 128_000  # the sum over versions may not exceed (function quota - 100); generous here


def get_function_event_invoke_config(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        if fn.config_for(opt_str(params, "Qualifier", LATEST) or LATEST) is None:
            raise ApiError("ResourceNotFound.Version")
        return {"AsyncTriggerConfig": _copy(fn.settings.get("AsyncTriggerConfig") or DEFAULT_ASYNC)}


def update_function_event_invoke_config(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    config = _async_config(params.get("AsyncTriggerConfig"))
    with store.lock:
        fn = store.function(region, params)
        fn.settings["AsyncTriggerConfig"] = config
    return {}


def _async_config(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ApiError("InvalidParameterValue.AsyncTriggerConfig", "AsyncTriggerConfig参数传入错误。")
    ttl = raw.get("MsgTTL", DEFAULT_ASYNC["MsgTTL"])
    if not isinstance(ttl, int) or not MSG_TTL_RANGE[0] <= ttl <= MSG_TTL_RANGE[1]:
        raise ApiError("LimitExceeded.MsgTTL", "函数异步重试配置消息保留时间超过限制。")
    retries = raw.get("RetryConfig") or DEFAULT_ASYNC["RetryConfig"]
    if not isinstance(retries, list) or not all(isinstance(r, dict) for r in retries):
        raise ApiError("InvalidParameterValue.AsyncTriggerConfig", "AsyncTriggerConfig参数传入错误。")
    for retry in retries:
        num = retry.get("RetryNum")
        if not isinstance(num, int) or not RETRY_RANGE[0] <= num <= RETRY_RANGE[1]:
            raise ApiError("LimitExceeded.RetryNum", "函数异步重试配置异步重试次数超过限制。")
    return {"RetryConfig": [{"RetryNum": r["RetryNum"]} for r in retries], "MsgTTL": ttl}


def put_provisioned_concurrency_config(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    count = params.get("VersionProvisionedConcurrencyNum")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ApiError("InvalidParameterValue", "参数取值错误。VersionProvisionedConcurrencyNum")
    with store.lock:
        fn = store.function(region, params)
        qualifier = _version(fn, params)
        provisioned = dict(fn.settings.get("Provisioned") or {})
        provisioned[qualifier] = count
        if sum(provisioned.values()) > CONCURRENCY_QUOTA - 100:
            raise ApiError("LimitExceeded.FunctionTotalProvisionedConcurrencyNum",
                           "函数预置并发总数达到限制。")
        fn.settings["Provisioned"] = provisioned
    return {}


def get_provisioned_concurrency_config(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        provisioned = {q: n for q, n in (fn.settings.get("Provisioned") or {}).items() if q in fn.versions}
        wanted = opt_str(params, "Qualifier", "")
        rows = [_allocated(q, n) for q, n in sorted(provisioned.items()) if not wanted or q == wanted]
        return {"UnallocatedConcurrencyNum": CONCURRENCY_QUOTA - sum(provisioned.values()), "Allocated": rows}


def delete_provisioned_concurrency_config(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        qualifier = _version(fn, params)
        provisioned = dict(fn.settings.get("Provisioned") or {})
        provisioned.pop(qualifier, None)
        fn.settings["Provisioned"] = provisioned
    return {}


def _version(fn: Function, params: Params) -> str:
    qualifier = req_str(params, "Qualifier")
    if qualifier == LATEST or not qualifier.isdigit():
        raise ApiError("InvalidParameterValue.Qualifier", "不支持的函数版本。")
    if qualifier not in fn.versions:
        raise ApiError("ResourceNotFound.Version", "版本不存在。")
    return qualifier


def _allocated(qualifier: str, count: int) -> dict[str, Any]:
    return {
        "AllocatedProvisionedConcurrencyNum": count,
        "AvailableProvisionedConcurrencyNum": count,
        "Status": "Done",
        "StatusReason": "",
        "Qualifier": qualifier,
        "TriggerActions": [],
    }


def _copy(config: dict[str, Any]) -> dict[str, Any]:
    return {"RetryConfig": [dict(r) for r in config["RetryConfig"]], "MsgTTL": config["MsgTTL"]}


SETTINGS_ACTIONS = {
    "GetFunctionEventInvokeConfig": get_function_event_invoke_config,
    "UpdateFunctionEventInvokeConfig": update_function_event_invoke_config,
    "PutProvisionedConcurrencyConfig": put_provisioned_concurrency_config,
    "GetProvisionedConcurrencyConfig": get_provisioned_concurrency_config,
    "DeleteProvisionedConcurrencyConfig": delete_provisioned_concurrency_config,
}
SETTINGS_WRITES = frozenset(
    {"UpdateFunctionEventInvokeConfig", "PutProvisionedConcurrencyConfig", "DeleteProvisionedConcurrencyConfig"}
)
