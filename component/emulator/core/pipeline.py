"""The API request pipeline shared by every transport.

Order per request: configured latency → signature check → injected request faults
(latency, throttle, internal_error, http_500, drop) → action dispatch → state save for
mutating actions → request log.  Every ``ApiError`` becomes the error envelope here and
nowhere else; replies are always HTTP 200 with ``Content-Type: application/json`` except
for the injected ``http_500`` and ``drop`` faults.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from component.emulator.backend import Backend
from component.emulator.dispatch import MUTATING, lookup

from .auth import Verifier
from .config import EmulatorConfig
from .contract import ContractRecorder, unknown_parameters
from .envelope import envelope, error_envelope
from .errors import ApiError
from .faults import REQUEST_KINDS, Fault, FaultRegistry
from .requestlog import RequestLog, sanitize
from .state import StateFile
from .wire import ApiCall, WireRequest


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"


class RequestPipeline:
    def __init__(self, config: EmulatorConfig, backend: Backend, faults: FaultRegistry,
                 log: RequestLog, state: StateFile | None) -> None:
        self.config = config
        self.backend = backend
        self.faults = faults
        self.log = log
        self.state = state
        self.verifier = Verifier(config.secret_id, config.secret_key, config.auth_clock)
        self.contract = ContractRecorder.from_environment()

    def handle(self, req: WireRequest) -> Reply | None:
        """Answer one API request; ``None`` means: drop the connection without a reply."""
        arrived = self.config.wall_clock()  # when the cloud would count the call (its rate limit)
        if self.config.latency_ms > 0:
            time.sleep(self.config.latency_ms / 1000)
        call: ApiCall | None = None
        try:
            call = self.verifier.authenticate(req)
            stopped, fault_reply = self._apply_faults(call)
            if stopped:
                self._record(call, req, "Dropped" if fault_reply is None else "InjectedFault", arrived)
                return fault_reply
            handler = lookup(call.service, call.version, call.action)
            unknown = unknown_parameters(call.service, call.action, call.params)
            if unknown:
                detail = f"The parameter `{unknown[0]}` is not recognized."
                raise ApiError("UnknownParameter", f"未知参数错误。{detail}", detail)
            body = handler(self.backend, call.region, call.params)
            if call.action in MUTATING:
                self.save()
            self._record(call, req, None, arrived)
            self._observe(call, body)
            return Reply(200, envelope(body))
        except ApiError as error:
            self._record(call, req, error.code, arrived)
            language = req.language()
            if call is not None:
                self._observe(call, {"Error": {"Code": error.code, "Message": error.text(language)}})
            return Reply(200, error_envelope(error, language))

    def _observe(self, call: ApiCall, body: dict[str, Any]) -> None:
        """Check the answer against the published contract when the test suite asked for it."""
        if self.contract is not None:
            self.contract.observe(call.service, call.action, {**body, "RequestId": "contract-check"})

    def _apply_faults(self, call: ApiCall) -> tuple[bool, Reply | None]:
        """Run fired faults; (True, reply) stops the request (reply None = drop)."""
        function = call.params.get("FunctionName")
        fired = self.faults.take(call.action, REQUEST_KINDS, function if isinstance(function, str) else None)
        for fault in fired:
            reply = self._fault_reply(fault)
            if reply is not None or fault.kind == "drop":
                return True, reply
        return False, None

    @staticmethod
    def _fault_reply(fault: Fault) -> Reply | None:
        if fault.kind == "latency":
            time.sleep(fault.latency_ms / 1000)
            return None
        if fault.kind == "throttle":
            return Reply(200, error_envelope(ApiError("RequestLimitExceeded")))
        if fault.kind == "internal_error":
            return Reply(200, error_envelope(ApiError("InternalError")))
        if fault.kind == "http_500":
            return Reply(500, b'{"error": "injected HTTP 500"}')
        return None  # drop

    def _record(self, call: ApiCall | None, req: WireRequest, error: str | None, arrived: float) -> None:
        entry: dict[str, Any] = {
            "action": call.action if call else req.header("X-TC-Action"),
            "service": call.service if call else "",
            "version": call.version if call else req.header("X-TC-Version"),
            "region": call.region if call else req.header("X-TC-Region"),
            "params": sanitize(call.params) if call else {},
            "timestamp": self.config.wall_clock(),
            "arrived": arrived,
            "error": error,
        }
        self.log.add(entry)

    def save(self) -> None:
        if self.state is not None:
            self.state.save(self.backend.dump())
