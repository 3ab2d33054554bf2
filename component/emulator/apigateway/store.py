"""The API Gateway service's state: per-region services (with their APIs and released stages)."""

from __future__ import annotations

import threading

from component.emulator.core.config import EmulatorConfig

from .models import ServiceDef


class ApigwStore:
    def __init__(self, config: EmulatorConfig, lock: threading.RLock) -> None:
        self.config = config
        self.lock = lock  # shared with the SCF store: a stage invokes a function under one consistent view
        self.apigw_regions: dict[str, dict[str, ServiceDef]] = {}
        self.base_url = f"http://{config.host}:{config.port}"

    def wall(self) -> float:
        return self.config.wall_clock()

    def clear(self) -> None:
        self.apigw_regions.clear()
