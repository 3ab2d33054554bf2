"""The ``{"Response": ...}`` envelope of every API 3.0 answer, success or error."""

from __future__ import annotations

import json
import uuid
from typing import Any

from .errors import ApiError


def envelope(body: dict[str, Any]) -> bytes:
    text = json.dumps({"Response": {**body, "RequestId": str(uuid.uuid4())}}, ensure_ascii=False)
    return text.encode("utf-8", "replace")  # never a lone surrogate on the wire (the API refuses them on input)


def error_envelope(error: ApiError, language: str = "zh-CN") -> bytes:
    return envelope({"Error": {"Code": error.code, "Message": error.text(language)}})
