"""The emulator's state: one store per service, composed (no inheritance between them).

``scf`` holds functions, versions, aliases, triggers, layers and the invocation records (Monitor and CLS
answer from them); ``apigateway`` holds API Gateway services; ``cam`` the account's roles; ``tag`` the
tag pairs made by ``CreateTag``; ``cls_logs`` the invocation logs CLS searches.  ``dispatch.py`` maps each
(service, action) to a handler taking its service's store; transports (HTTP server, in-process context
manager) only decode requests and call those handlers.
"""

from __future__ import annotations

import random
from typing import Any

from .apigateway.models import service_from_dict, service_to_dict
from .apigateway.store import ApigwStore
from .cam.roles import CamStore, dump_roles, load_roles
from .cls.search import ClsStore
from .core.config import EmulatorConfig
from .core.faults import FaultRegistry
from .scf.invoke import wait_background
from .scf.models import Namespace, function_from_dict, function_to_dict
from .scf.store import ScfStore
from .tag.actions import TagStore


class Backend:
    def __init__(self, config: EmulatorConfig, faults: FaultRegistry) -> None:
        self.config = config
        self.cls_logs = ClsStore()
        self.scf = ScfStore(config, faults, self.cls_logs)
        self.apigateway = ApigwStore(config, self.scf.lock)
        self.cam = CamStore(self.scf.lock, config.wall_clock)
        self.tag = TagStore(self.scf)
        self.lock = self.scf.lock

    def reset(self) -> None:
        scf = self.scf
        with self.lock:
            scf.regions.clear()
            self.apigateway.clear()
            self.cam.roles.clear()
            self.tag.created.clear()
            scf.metrics.clear()
            self.cls_logs.clear()
            scf.timer_cursors.clear()
            scf.layers.clear()
            scf.layer_counters.clear()
            scf.rng = random.Random(self.config.seed)

    def wait_background(self, timeout: float = 30.0) -> None:
        """Wait for the asynchronous (``InvocationType: Event``) runs started so far."""
        wait_background(self.scf, timeout)

    def close(self) -> None:
        self.wait_background()
        self.scf.runner.close()

    # -- persistence -------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        """JSON-ready snapshot; transition deadlines are saved as remaining seconds."""
        scf = self.scf
        with self.lock:
            now = scf.now()
            regions: dict[str, Any] = {}
            for region, spaces in scf.regions.items():
                regions[region] = {name: self._dump_namespace(ns, now) for name, ns in spaces.items()}
            apigw = {r: {k: service_to_dict(v) for k, v in s.items()} for r, s in self.apigateway.apigw_regions.items()}
            layers = {r: list(t.values()) for r, t in scf.layers.items()}
            return {"format": 1, "regions": regions, "metrics": scf.metrics.dump(), "apigw": apigw, "layers": layers,
                    "cls": self.cls_logs.dump(), "cam": dump_roles(self.cam)}

    @staticmethod
    def _dump_namespace(ns: Namespace, now: float) -> dict[str, Any]:
        functions = {}
        for name, fn in ns.functions.items():
            row = function_to_dict(fn)
            row["ready_at"] = None if fn.ready_at is None else max(0.0, fn.ready_at - now)
            functions[name] = row
        return {"name": ns.name, "description": ns.description, "add_time": ns.add_time,
                "mod_time": ns.mod_time, "functions": functions}

    def load(self, data: dict[str, Any]) -> None:
        scf = self.scf
        with self.lock:
            now = scf.now()
            scf.regions.clear()
            for region, spaces in data.get("regions", {}).items():
                scf.regions[region] = {name: self._load_namespace(raw, now) for name, raw in spaces.items()}
            scf.metrics.load(data.get("metrics", []))
            scf.layers = {r: {(i["LayerName"], int(i["LayerVersion"])): i for i in rows}
                           for r, rows in data.get("layers", {}).items()}
            scf.layer_counters = {}
            for region, table in scf.layers.items():
                for name, version in table:
                    key = (region, name)
                    scf.layer_counters[key] = max(scf.layer_counters.get(key, 0), version)
            self.cls_logs.load(data.get("cls", []))
            load_roles(self.cam, data.get("cam", []))
            self.apigateway.apigw_regions = {
                r: {k: service_from_dict(v) for k, v in s.items()} for r, s in data.get("apigw", {}).items()
            }

    @staticmethod
    def _load_namespace(raw: dict[str, Any], now: float) -> Namespace:
        ns = Namespace(raw["name"], raw["description"], raw["add_time"], raw["mod_time"])
        for name, row in raw["functions"].items():
            fn = function_from_dict(row)
            fn.ready_at = None if fn.ready_at is None else now + fn.ready_at
            ns.functions[name] = fn
        return ns
