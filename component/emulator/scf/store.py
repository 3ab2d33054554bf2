"""The SCF service's store: every region's namespaces and functions, and what acting on them needs.

Each topic module (functions, versions, aliases, invoke, triggers, timers, namespaces, layers) holds
handler functions taking this store.  It holds the lock (the HTTP server is threaded), per-region
namespaces, the code store, layers, the invocation records, the runner of user code, the seeded random
source, the clocks and the status machine.  Statuses settle lazily: a transition records a monotonic
deadline and its final status, and every read first calls :meth:`settle`.
"""

from __future__ import annotations

import hashlib
import random
import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from component.emulator.core.config import EmulatorConfig
from component.emulator.core.errors import ApiError
from component.emulator.core.faults import FaultRegistry
from component.emulator.core.params import Params, opt_str, req_str

from .codestore import CodeStore
from .invocations import MetricsStore
from .models import DEFAULT_ALIAS, LATEST, Alias, Function, FunctionConfig, Namespace
from .runner import Runner

if TYPE_CHECKING:
    from component.emulator.cls.search import ClsStore

BEIJING = timezone(timedelta(hours=8))
DEFAULT_NAMESPACE = "default"
FAILED_STATUS = {"Creating": "CreateFailed", "Updating": "UpdateFailed", "Publishing": "PublishFailed"}
DEFAULT_REGION = "ap-guangzhou"


def beijing_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=BEIJING).strftime("%Y-%m-%d %H:%M:%S")


class ScfStore:
    def __init__(self, config: EmulatorConfig, faults: FaultRegistry, cls_logs: ClsStore) -> None:
        self.config = config
        self.faults = faults
        self.lock = threading.RLock()
        self.codes = CodeStore(config.state_file)
        self.metrics = MetricsStore()
        self.regions: dict[str, dict[str, Namespace]] = {}
        self.rng = random.Random(config.seed)
        self.base_url = f"http://{config.host}:{config.port}"
        self.cls_logs = cls_logs  # every invocation's log goes to CLS, as on SCF
        self.runner = Runner()
        self.background: list[threading.Thread] = []
        self.timer_cursors: dict[tuple[str, str, str, str, float], int] = {}
        self.layers: dict[str, dict[tuple[str, int], dict[str, Any]]] = {}
        self.layer_counters: dict[tuple[str, str], int] = {}

    # -- clocks -----------------------------------------------------------------
    def now(self) -> float:
        return self.config.clock()

    def wall(self) -> float:
        return self.config.wall_clock()

    # -- lookup -----------------------------------------------------------------
    def region(self, name: str) -> dict[str, Namespace]:
        key = name or DEFAULT_REGION
        if key not in self.regions:
            stamp = self.wall()
            self.regions[key] = {DEFAULT_NAMESPACE: Namespace(DEFAULT_NAMESPACE, "default namespace", stamp, stamp)}
        return self.regions[key]

    def namespace(self, region: str, params: Params) -> Namespace:
        name = opt_str(params, "Namespace", DEFAULT_NAMESPACE) or DEFAULT_NAMESPACE
        found = self.region(region).get(name)
        if found is None:
            raise ApiError("ResourceNotFound.Namespace")
        return found

    def function(self, region: str, params: Params, not_found: str = "ResourceNotFound.Function") -> Function:
        name = req_str(params, "FunctionName")
        fn = self.namespace(region, params).functions.get(name)
        if fn is None:
            raise ApiError(not_found)
        self.settle(fn)
        return fn

    # -- status machine ----------------------------------------------------------
    def settle(self, fn: Function) -> None:
        if fn.ready_at is None or self.now() < fn.ready_at:
            return
        fn.ready_at = None
        fn.status = fn.final_status
        fn.status_reasons = list(fn.final_reasons)
        fn.status_desc = fn.final_reasons[0]["ErrorMessage"] if fn.final_reasons else ""
        if fn.pending_version is not None:
            version = fn.versions.get(fn.pending_version)
            if version is not None:
                version.status = "Active" if fn.status == "Active" else fn.status
            fn.pending_version = None

    def begin(self, fn: Function, busy: str, action: str) -> bool:
        """Start a transition; returns False when an injected status failure will end it."""
        reason = self.faults.status_failure(action, fn.name)
        fn.final_status = FAILED_STATUS[busy] if reason else "Active"
        fn.final_reasons = [reason] if reason else []
        fn.status = busy
        fn.status_reasons = []
        fn.status_desc = ""
        fn.ready_at = self.now() + max(0.0, self.config.status_delay)
        self.settle(fn)
        return reason is None

    def require_idle(self, fn: Function, code: str, message: str | None = None) -> None:
        if fn.busy:
            raise ApiError(code, message)

    # -- helpers ----------------------------------------------------------------
    def new_function(self, ns: Namespace, name: str, config: FunctionConfig) -> Function:
        stamp = self.wall()
        fn = Function(name, ns.name, f"lam-{uuid.uuid4().hex[:8]}", config, stamp, stamp)
        fn.aliases[DEFAULT_ALIAS] = Alias(DEFAULT_ALIAS, LATEST, "", stamp, stamp)
        return fn

    def store_code(self, config: FunctionConfig, data: bytes | None, cos_ref: str) -> None:
        if data is None:
            config.code_sha256 = hashlib.sha256(f"cos://{cos_ref}".encode()).hexdigest()
            config.code_size = 0
        else:
            config.code_sha256 = self.codes.put(data)
            config.code_size = len(data)
        config.cos_ref = cos_ref
