"""The emulator backend: one object holding every region's SCF state and the metrics.

Composed from topic mixins (see ``base.py``).  It is the only place with state and
rules; transports (HTTP server, in-process context manager) only decode requests and
call the methods listed in ``responses.py``.
"""

from __future__ import annotations

import random
from typing import Any

from .apigateway.actions import ApigwMixin
from .apigateway.models import service_from_dict, service_to_dict
from .cam.roles import dump_roles, load_roles
from .cls.search import ClsMixin, ClsStore
from .core.config import EmulatorConfig
from .core.faults import FaultRegistry
from .core.params import Params
from .monitor.metric_data import get_monitor_data
from .scf.aliases import AliasesMixin
from .scf.functions import FunctionsMixin
from .scf.layers import LayersMixin
from .scf.models import Namespace, function_from_dict, function_to_dict
from .scf.namespaces import NamespacesMixin
from .scf.runner import Runner
from .scf.timers import TimersMixin
from .scf.triggers import TriggersMixin


class Backend(FunctionsMixin, AliasesMixin, TimersMixin, NamespacesMixin, TriggersMixin, ApigwMixin, LayersMixin,
              ClsMixin):
    def __init__(self, config: EmulatorConfig, faults: FaultRegistry) -> None:
        super().__init__(config, faults)
        self.runner = Runner()
        self.background = []
        self.timer_cursors = {}
        self.layers = {}
        self.layer_counters = {}
        self.cls_logs = ClsStore()

    def get_monitor_data(self, region: str, params: Params) -> dict[str, Any]:
        return get_monitor_data(self.metrics, region, params, self.wall())

    def reset(self) -> None:
        with self.lock:
            self.regions.clear()
            self.apigw_regions.clear()
            self.metrics.clear()
            self.cls_logs.clear()
            self.timer_cursors.clear()
            self.layers.clear()
            self.layer_counters.clear()
            self.rng = random.Random(self.config.seed)

    def close(self) -> None:
        self.wait_background()
        self.runner.close()

    # -- persistence -------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        """JSON-ready snapshot; transition deadlines are saved as remaining seconds."""
        with self.lock:
            now = self.now()
            regions: dict[str, Any] = {}
            for region, spaces in self.regions.items():
                regions[region] = {name: self._dump_namespace(ns, now) for name, ns in spaces.items()}
            apigw = {r: {k: service_to_dict(v) for k, v in s.items()} for r, s in self.apigw_regions.items()}
            layers = {r: list(t.values()) for r, t in self.layers.items()}
            return {"format": 1, "regions": regions, "metrics": self.metrics.dump(), "apigw": apigw, "layers": layers,
                    "cls": self.cls_logs.dump(), "cam": dump_roles(self)}

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
        with self.lock:
            now = self.now()
            self.regions.clear()
            for region, spaces in data.get("regions", {}).items():
                self.regions[region] = {name: self._load_namespace(raw, now) for name, raw in spaces.items()}
            self.metrics.load(data.get("metrics", []))
            self.layers = {r: {(i["LayerName"], int(i["LayerVersion"])): i for i in rows}
                           for r, rows in data.get("layers", {}).items()}
            self.layer_counters = {}
            for region, table in self.layers.items():
                for name, version in table:
                    key = (region, name)
                    self.layer_counters[key] = max(self.layer_counters.get(key, 0), version)
            self.cls_logs.load(data.get("cls", []))
            load_roles(self, data.get("cam", []))
            self.apigw_regions = {
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
