"""``InstanceConcurrencyConfig``: concurrent requests per instance, kept and answered in the SDK's shape.

Accepted on ``CreateFunction`` and ``UpdateFunctionConfiguration`` (``DynamicEnabled`` ``TRUE``/``FALSE``,
or ``''`` to cancel; ``MaxConcurrency`` 1–100, else ``InvalidParameterValue.MaxConcurrency``) and returned
by ``GetFunction`` with every field of the model filled (request-based, no isolation, no session).
"""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError

from .models import FunctionConfig

MAX_CONCURRENCY = (1, 100)
EMPTY_SESSION = {"SessionSource": "", "SessionName": "", "MaximumConcurrencySessionPerInstance": 0,
                 "MaximumTTLInSeconds": 0, "MaximumIdleTimeInSeconds": 0, "SessionPath": "",
                 "IdleTimeoutStrategy": ""}


def apply_concurrency(config: FunctionConfig, params: dict[str, Any]) -> None:
    raw = params.get("InstanceConcurrencyConfig")
    if raw is None:
        return
    if not isinstance(raw, dict) or raw.get("DynamicEnabled") not in ("TRUE", "FALSE", "", None):
        raise ApiError("InvalidParameterValue.InstanceConcurrencyConfig", "InstanceConcurrencyConfig 参数传入错误。")
    if raw.get("DynamicEnabled") == "":
        config.extra.pop("InstanceConcurrencyConfig", None)
        return
    limit = raw.get("MaxConcurrency", 1)
    if not isinstance(limit, int) or not MAX_CONCURRENCY[0] <= limit <= MAX_CONCURRENCY[1]:
        raise ApiError("InvalidParameterValue.MaxConcurrency", "MaxConcurrency 参数传入错误。")
    config.extra["InstanceConcurrencyConfig"] = {
        "DynamicEnabled": raw.get("DynamicEnabled") or "FALSE",
        "MaxConcurrency": limit,
        "InstanceIsolationEnabled": "FALSE",
        "Type": "Request-Based",
        "MixNodeConfig": [],
        "SessionConfig": dict(EMPTY_SESSION),
    }
