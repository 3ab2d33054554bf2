"""Typed access to request parameters.

JSON bodies carry ints and floats, GET queries and legacy forms carry strings, and the
SDK itself models some counters as strings (``ListAliases.Offset``).  These helpers
accept both and raise Tencent's parameter errors, so handlers never coerce by hand.
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError, missing

Params = dict[str, Any]


def req_str(params: Params, key: str) -> str:
    value = params.get(key)
    if value is None or value == "":
        raise missing(key)
    if not isinstance(value, str):
        raise ApiError("InvalidParameter", f"参数错误。The parameter `{key}` must be a string.")
    return value


def opt_str(params: Params, key: str, default: str = "") -> str:
    value = params.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ApiError("InvalidParameter", f"参数错误。The parameter `{key}` must be a string.")
    return value


def opt_int(params: Params, key: str, default: int, code: str = "InvalidParameterValue") -> int:
    value = params.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ApiError(code)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ApiError(code) from exc


def as_float(value: Any, code: str) -> float:
    if isinstance(value, bool):
        raise ApiError(code)
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ApiError(code) from exc


def opt_list(params: Params, key: str, code: str = "InvalidParameter") -> list[Any]:
    value = params.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ApiError(code)
    return value


def opt_dict(params: Params, key: str, code: str = "InvalidParameter") -> dict[str, Any]:
    value = params.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApiError(code)
    return value


def page(params: Params, default_limit: int = 20) -> tuple[int, int]:
    offset = opt_int(params, "Offset", 0, "InvalidParameterValue.Offset")
    limit = opt_int(params, "Limit", default_limit, "InvalidParameterValue.Limit")
    if offset < 0:
        raise ApiError("InvalidParameterValue.Offset")
    if limit < 0:
        raise ApiError("InvalidParameterValue.Limit")
    return offset, limit
