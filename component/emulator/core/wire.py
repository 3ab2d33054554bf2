"""Turn a raw HTTP request into (service, action, version, region, params).

The SDK speaks two dialects: TC3 (``X-TC-*`` headers, JSON body or a flattened GET
query) and the legacy HmacSHA1/HmacSHA256 form (everything, including ``Action`` and
``Signature``, as form fields).  Flattened keys such as
``RoutingConfig.AdditionalVersionWeights.0.Weight`` are rebuilt into nested JSON so the
backend sees one shape whatever the transport.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from .errors import ApiError
from .guard import MAX_DEPTH, has_bad_text, too_deep

NOT_UTF8 = ("InvalidParameter.Payload", "请求参数不合法。The request is not valid UTF-8 text.",
            "The request is not valid UTF-8 text (lone surrogates included).")

LEGACY_KEYS = frozenset(
    {
        "Action", "RequestClient", "Nonce", "Timestamp", "Version", "Region", "Token",
        "SecretId", "SignatureMethod", "Language", "Signature",
    }
)
VERSION_SERVICE = {"2018-04-16": "scf", "2018-07-24": "monitor"}


@dataclass
class WireRequest:
    method: str
    query: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def language(self) -> str:
        """``X-TC-Language`` (TC3) or the ``Language`` field (legacy form): ``zh-CN`` unless ``en-US``."""
        if is_legacy(self):
            try:
                return "en-US" if ("Language", "en-US") in form_pairs(self) else "zh-CN"
            except ApiError:  # not UTF-8: the error being answered says so, in the default language
                return "zh-CN"
        return "en-US" if self.header("X-TC-Language") == "en-US" else "zh-CN"


@dataclass
class ApiCall:
    service: str
    action: str
    version: str
    region: str
    params: dict[str, Any] = field(default_factory=dict)


def is_legacy(req: WireRequest) -> bool:
    return not req.header("Authorization") and not req.header("X-TC-Action")


def form_pairs(req: WireRequest) -> list[tuple[str, str]]:
    try:
        raw = req.query if req.method == "GET" else req.body.decode("utf-8")
        pairs = parse_qsl(raw, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise ApiError(*NOT_UTF8) from exc
    return pairs


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``a.0.b=1`` → ``{"a": [{"b": "1"}]}``; numeric path parts become list indices."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.split(".")
        if len(parts) > MAX_DEPTH:
            raise ApiError("InvalidParameter.Payload", f"请求参数不合法。`{key[:64]}` nests too deep.",
                           f"`{key[:64]}` nests deeper than {MAX_DEPTH} levels.")
        _assign(root, parts, value)
    result = _lists(root)
    if not isinstance(result, dict):  # only numeric keys at the top (``0=x``): not a parameter object
        raise ApiError("InvalidParameter.Payload")
    return result


def _assign(node: dict[str, Any], parts: list[str], value: str) -> None:
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(k.isdigit() for k in node):
        return [_lists(node[k]) for k in sorted(node, key=int)]
    return {k: _lists(v) for k, v in node.items()}


def json_params(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except UnicodeDecodeError as exc:
        raise ApiError(*NOT_UTF8) from exc
    except (ValueError, RecursionError) as exc:
        raise ApiError("InvalidParameter.Payload") from exc
    if not isinstance(data, dict):
        raise ApiError("InvalidParameter.Payload")
    if too_deep(data):
        raise ApiError("InvalidParameter.Payload", f"请求参数不合法。The body nests deeper than {MAX_DEPTH} levels.",
                       f"The body nests deeper than {MAX_DEPTH} levels.")
    if has_bad_text(data):
        raise ApiError(*NOT_UTF8)
    return data


def tc3_call(req: WireRequest, service: str) -> ApiCall:
    params = unflatten(form_pairs(req)) if req.method == "GET" else json_params(req.body)
    return ApiCall(service, req.header("X-TC-Action"), req.header("X-TC-Version"), req.header("X-TC-Region"), params)


def legacy_call(req: WireRequest) -> ApiCall:
    pairs = form_pairs(req)
    fields = dict(pairs)
    version = fields.get("Version", "")
    params = unflatten([(k, v) for k, v in pairs if k not in LEGACY_KEYS])
    service = VERSION_SERVICE.get(version, "")
    return ApiCall(service, fields.get("Action", ""), version, fields.get("Region", ""), params)
