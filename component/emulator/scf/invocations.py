"""Invocation records that feed the Monitor fake.

Every invocation the emulator routes is stored once with both the version that ran and
the alias it came through (if any), stamped with the injectable wall clock.  Monitor
queries then filter by the ``version`` or ``alias`` dimension, so per-version canary
statistics come from the same routing decisions the client observed.  The store keeps the
newest :data:`MAX_RECORDS` invocations.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Invocation:
    region: str
    namespace: str
    function: str
    version: str
    alias: str | None
    timestamp: float
    duration_ms: float
    error: bool
    status_code: int


MAX_RECORDS = 200_000  # newest invocations kept for Monitor (bounded memory, ≈ 40 MB at most)


class MetricsStore:
    def __init__(self, limit: int = MAX_RECORDS) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._records: deque[Invocation] = deque(maxlen=limit)

    def add(self, record: Invocation) -> None:
        with self._lock:
            self._records.append(record)

    def select(self, region: str, namespace: str, function: str, kind: str, value: str) -> list[Invocation]:
        with self._lock:
            records = list(self._records)
        out = []
        for rec in records:
            if (rec.region, rec.namespace, rec.function) != (region, namespace, function):
                continue
            if (kind == "version" and rec.version.lower() == value.lower()) or (kind == "alias" and rec.alias == value):
                out.append(rec)
        return out

    def count(self) -> int:
        with self._lock:
            return len(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def dump(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(r) for r in self._records]

    def load(self, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            self._records = deque((Invocation(**row) for row in rows), maxlen=self._limit)
