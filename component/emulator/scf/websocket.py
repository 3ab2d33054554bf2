"""WebSocket web functions: ``ProtocolType`` (creation only) and ``ProtocolParams``.

``ProtocolType: WS`` is accepted on ``CreateFunction`` of an ``HTTP`` (web) function only
(``InvalidParameterValue.ProtocolType`` otherwise); ``UpdateFunctionConfiguration`` cannot change it
(its SDK model has no such field). ``ProtocolParams.WSParams.IdleTimeOut`` (seconds, 1–7200 here:
the SDK documents a default of 15 s) is accepted on create and update (``InvalidParameterValue.IdleTimeOut``).
Both are returned by ``GetFunction``.
"""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError

from .models import FunctionConfig

PROTOCOL_TYPES = frozenset({"WS"})
IDLE_RANGE = (1, 7200)
DEFAULT_IDLE = 15


def apply_protocol(config: FunctionConfig, params: dict[str, Any], *, creating: bool) -> None:
    kind = params.get("ProtocolType") if creating else None
    if kind:
        if kind not in PROTOCOL_TYPES or config.type != "HTTP":
            raise ApiError("InvalidParameterValue.ProtocolType", "ProtocolType参数传入错误。")
        config.extra["ProtocolType"] = kind
        config.extra.setdefault("ProtocolParams", {"WSParams": {"IdleTimeOut": DEFAULT_IDLE}})
    raw = params.get("ProtocolParams")
    if raw is None:
        return
    idle = (raw.get("WSParams") or {}).get("IdleTimeOut") if isinstance(raw, dict) else None
    if not isinstance(idle, int) or not IDLE_RANGE[0] <= idle <= IDLE_RANGE[1]:
        raise ApiError("InvalidParameterValue.IdleTimeOut", "IdleTimeOut参数传入错误。")
    if config.extra.get("ProtocolType") != "WS":
        raise ApiError("InvalidParameterValue.ProtocolType", "ProtocolType参数传入错误。")
    config.extra["ProtocolParams"] = {"WSParams": {"IdleTimeOut": idle}}
