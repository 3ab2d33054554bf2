"""What the emulator refuses before any work: the risks of #19 (threat model: web pages the developer visits
and other users of the machine must not reach it; a hostile client must not exhaust it).

* Control API (``/_emulator/…``): only with a loopback ``Host`` (or the bound host), no foreign ``Origin``,
  and writes (POST/DELETE) only with ``Content-Type: application/json`` — a cross-site "simple" request can
  neither wipe the state nor read the request log, and DNS rebinding fails on the ``Host`` check.
* Binding a non-loopback address needs explicit keys: the published default key pair would let anyone on
  the network run code on the machine.
* Bounds: a request body over :data:`MAX_BODY_BYTES` is refused unread; a JSON body nested deeper than
  :data:`MAX_DEPTH` or any text that is not valid UTF-8 (lone surrogates included) is answered with an
  error envelope; a zip whose files unpack to more than SCF's 500 MB is refused at upload.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from component.emulator.keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

from .config import EmulatorConfig

MAX_BODY_BYTES = 72 * 1024 * 1024  # a 50 MB zip as base64 (CreateFunction's limit) plus the JSON around it
MAX_DEPTH = 32
UNPACKED_LIMIT = 500 * 1024 * 1024  # SCF: code size before compression per function version
LOOPBACK_NAMES = frozenset({"localhost"})


class UnsafeBind(ValueError):
    """A configuration the emulator refuses to serve."""


def is_loopback(host: str) -> bool:
    name = host.strip("[]")
    if name.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(config: EmulatorConfig) -> None:
    """Refuse a non-loopback bind that still accepts the published default key pair."""
    if is_loopback(config.host):
        return
    if config.secret_id == DEFAULT_SECRET_ID or config.secret_key == DEFAULT_SECRET_KEY:
        raise UnsafeBind(
            f"--host {config.host} is reachable from other machines and the emulator runs uploaded code: "
            "give your own key pair (--secret-id/--secret-key or SCF_EMULATOR_SECRET_ID/SCF_EMULATOR_SECRET_KEY)"
        )


def _host_only(value: str) -> str:
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def control_refusal(method: str, headers: dict[str, str], bound_host: str) -> str | None:
    """Why a control request is refused, or None. ``headers`` have lower-cased names."""
    host = _host_only(headers.get("host", ""))
    if not (is_loopback(host) or host == bound_host):
        return f"Host {host!r} is not this emulator"
    origin = headers.get("origin")
    if origin is not None and not (is_loopback(urlsplit(origin).hostname or "")
                                   or urlsplit(origin).hostname == bound_host):
        return f"Origin {origin!r} may not use the control API"
    content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if method in ("POST", "DELETE", "PUT", "PATCH") and content_type != "application/json":
        return "control writes need Content-Type: application/json"
    return None


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests lists/objects deeper than ``limit`` (iterative: no recursion limit)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def has_bad_text(value: Any) -> bool:
    """Whether any key or string in ``value`` cannot be encoded as UTF-8 (a lone surrogate)."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
