"""The request log served at ``GET /_emulator/requests``.

Each entry records action, service, version, region, the wall-clock timestamp, the
error code (or ``None``) and the parameters with every ``ZipFile`` replaced by a
``{"size", "sha256"}`` summary.  Secrets (SecretId, SecretKey, Token, Signature) are
never stored: the signature-related fields do not reach the params, and the sanitiser
drops those keys anywhere they appear.  The log keeps the newest :data:`MAX_ENTRIES` requests.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from collections import deque
from typing import Any

SECRET_KEYS = frozenset({"SecretId", "SecretKey", "Token", "Signature", "Authorization"})


def _zip_summary(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return {"size": len(value), "sha256": None, "invalid_base64": True}
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def sanitize(value: Any) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in SECRET_KEYS:
                continue
            out[key] = _zip_summary(item) if key == "ZipFile" else sanitize(item)
        return out
    if isinstance(value, list):
        return [sanitize(item) for item in value]
    return value


MAX_ENTRIES = 10_000  # the newest requests are kept; older ones are dropped (bounded memory)


class RequestLog:
    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(e) for e in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
