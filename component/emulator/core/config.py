"""Configuration of the emulator.

Kept in its own module so the backend, the server and the CLI share one definition
without importing each other.  Clocks are injectable: ``clock`` (monotonic) drives the
status machine so a test can share a fake clock with the deploy tool, ``wall_clock``
stamps invocations for Monitor buckets and ``ModTime`` fields, and drives timer triggers.
``timer_ticker``: fire due timers once a real second on a background thread; ``None`` (default) means
"when ``wall_clock`` is the real clock", so a fake-clock test fires them only with ``fire_due_timers``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from component.emulator.keys import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY


@dataclass
class Limits:
    """Quotas; Tencent publishes only the function count (50 per namespace)."""

    versions_per_function: int = 100
    aliases_per_function: int = 10
    functions_per_namespace: int = 50
    namespaces_per_region: int = 5


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 0
    state_file: Path | None = None
    latency_ms: float = 0
    seed: int | None = None
    secret_id: str = DEFAULT_SECRET_ID
    secret_key: str = DEFAULT_SECRET_KEY
    status_delay: float = 0.0
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    auth_clock: Callable[[], float] = time.time
    cos_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    timer_ticker: bool | None = None

    @property
    def ticks(self) -> bool:
        return self.wall_clock is time.time if self.timer_ticker is None else self.timer_ticker
