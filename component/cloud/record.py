"""``scf … --record DIR``: every API exchange written to ``DIR`` for replay against the emulator (#14).

One file per call, ``DIR/0001-GetFunction.json``, in call order::

    {"service": "scf", "action": "GetFunction", "region": "ap-guangzhou",
     "request": {...}, "response": {...} | null, "error": {"code": ..., "message": ...} | null,
     "elapsedMs": 12.3}

Scrubbed before anything is written: code bodies (``ZipFile`` → ``{"scrubbed": "zip", "size", "sha256"}``),
environment variable values and every string that holds a secret (the credentials, and
``Environment.Variables[].Value`` → ``{"scrubbed": "value", "sha256": <first 12 hex>}``, so equal values stay
comparable), and signed download URLs (query string dropped).  ``tests/contract/test_replay.py`` replays a
recording against the emulator and compares the answers field by field; ``docs/fidelity.md`` says how to
send one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_NUMBERING = threading.Lock()  # one sequence per folder, whichever transport writes
SCRUBBED_KEYS = frozenset({"SecretId", "SecretKey", "Token", "Signature", "Authorization", "GitPassword",
                           "GitPasswordSecret", "GitUserNameSecret"})
URL_KEYS = frozenset({"Url", "Location"})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]


def _zip(value: Any) -> Any:
    size = len(value) * 3 // 4 if isinstance(value, str) else 0
    return {"scrubbed": "zip", "size": size, "sha256": _digest(str(value))}


def _variables(value: Any, secrets: tuple[str, ...]) -> Any:
    if not isinstance(value, list):
        return scrub(value, secrets)
    return [{**scrub(item, secrets), "Value": {"scrubbed": "value", "sha256": _digest(str(item.get("Value")))}}
            if isinstance(item, dict) and "Value" in item else scrub(item, secrets) for item in value]


def _scrub_text(value: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret and secret in value:
            value = value.replace(secret, "***")
    return value


def scrub(value: Any, secrets: tuple[str, ...] = ()) -> Any:
    """A copy of ``value`` without code bodies, environment values, secrets or signed URLs."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in SCRUBBED_KEYS:
                out[key] = "***"
            elif key in ("ZipFile", "InlineZipFile"):
                out[key] = _zip(item)
            elif key == "Variables":
                out[key] = _variables(item, secrets)
            elif key in URL_KEYS and isinstance(item, str):
                out[key] = urlunsplit(urlsplit(item)._replace(query=""))
            else:
                out[key] = scrub(item, secrets)
        return out
    if isinstance(value, list):
        return [scrub(item, secrets) for item in value]
    if isinstance(value, str):
        return _scrub_text(value, secrets)
    return value


class Recorder:
    """Writes one JSON file per exchange into ``folder`` (created on first use)."""

    def __init__(self, folder: Path, secrets: tuple[str, ...] = ()) -> None:
        self.folder = folder
        self.secrets = secrets

    def write(self, exchange: dict[str, Any]) -> None:
        record = {
            "service": exchange["service"], "action": exchange["action"], "region": exchange["region"],
            "request": scrub(exchange["request"], self.secrets),
            "response": scrub(exchange.get("response"), self.secrets),
            "error": scrub(exchange.get("error"), self.secrets),
            "elapsedMs": round(float(exchange["elapsedMs"]), 1),
        }
        with _NUMBERING:
            self.folder.mkdir(parents=True, exist_ok=True)
            numbers = [int(p.name[:4]) for p in self.folder.glob("[0-9][0-9][0-9][0-9]-*.json")]
            name = f"{max(numbers, default=0) + 1:04d}-{exchange['action']}.json"
            (self.folder / name).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n",
                                            encoding="utf-8")

