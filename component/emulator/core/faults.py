"""Fault injection, settable at start (Python API) or at run time (``/_emulator/faults``).

A fault matches an action (``"*"`` for any) and optionally one function name.  Without
``nth`` it fires on the next ``count`` matching calls; with ``nth`` it lets ``nth - 1``
matching calls through and then fires ``count`` times.  Exhausted faults disappear.

Kinds:

* ``latency``: sleep ``latency_ms`` before answering.
* ``throttle``: answer ``RequestLimitExceeded`` (retried by the SDK's StandardRetryer).
* ``internal_error``: answer ``InternalError``.
* ``http_500``: answer HTTP 500 (the SDK reports ``ServerNetworkError``).
* ``drop``: close the socket without any reply (``ClientNetworkError``).
* ``status_failure``: the call succeeds, but the Create/Update/Publish it starts ends
  in ``CreateFailed``/``UpdateFailed``/``PublishFailed`` with
  ``StatusReasons=[{ErrorCode, ErrorMessage}]``.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

REQUEST_KINDS = frozenset({"latency", "throttle", "internal_error", "http_500", "drop"})
FAULT_KINDS = REQUEST_KINDS | {"status_failure"}
DEFAULT_FAILURE_CODE = "InternalError.System"


@dataclass
class Fault:
    action: str
    kind: str
    nth: int | None = None
    count: int = 1
    latency_ms: float = 0.0
    function: str | None = None
    error_code: str = DEFAULT_FAILURE_CODE
    message: str = ""
    seen: int = 0
    fired: int = 0

    def matches(self, action: str, kinds: frozenset[str], function: str | None) -> bool:
        if self.kind not in kinds or self.action not in ("*", action):
            return False
        return self.function is None or self.function == function

    def step(self) -> bool:
        """Count one matching call; True when the fault fires on it."""
        self.seen += 1
        if self.nth is not None and self.seen < self.nth:
            return False
        self.fired += 1
        return True

    @property
    def exhausted(self) -> bool:
        return self.fired >= self.count

    def reason(self) -> dict[str, str]:
        message = self.message or f"Injected status failure for {self.action}"
        return {"ErrorCode": self.error_code, "ErrorMessage": message}


class FaultRegistry:
    """Thread-safe list of pending faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if fault.count < 1 or (fault.nth is not None and fault.nth < 1):
            raise ValueError("count and nth must be >= 1")
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def take(self, action: str, kinds: frozenset[str], function: str | None = None) -> list[Fault]:
        """Advance every matching fault by one call and return those that fire."""
        fired: list[Fault] = []
        with self._lock:
            for fault in self._faults:
                if fault.matches(action, kinds, function) and fault.step():
                    fired.append(fault)
            self._faults = [f for f in self._faults if not f.exhausted]
        return fired

    def status_failure(self, action: str, function: str) -> dict[str, str] | None:
        fired = self.take(action, frozenset({"status_failure"}), function)
        return fired[0].reason() if fired else None


def fault_from_dict(data: dict[str, Any]) -> Fault:
    allowed = {"action", "kind", "nth", "count", "latency_ms", "function", "error_code", "message"}
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"unknown fault fields: {sorted(unknown)}")
    if not isinstance(data.get("action"), str) or not isinstance(data.get("kind"), str):
        raise ValueError("fault needs string fields 'action' and 'kind'")
    return Fault(**data)
