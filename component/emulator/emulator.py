"""``EmulatorServer``: one backend behind a threaded HTTP server, usable in-process.

Start it, point the official SDK at ``HttpProfile(endpoint=server.endpoint,
protocol="http")``, stop it.  With ``config.state_file`` the state is loaded on
construction and written after every mutating call and on stop.  Timer triggers fire from
:meth:`EmulatorServer.fire_due_timers` (deterministic, for fake clocks) and, on a real-clock server,
from a daemon ticker thread that calls it once a second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .backend import Backend
from .core.config import EmulatorConfig
from .core.faults import Fault, FaultRegistry
from .core.guard import check_bind
from .core.pipeline import RequestPipeline
from .core.requestlog import RequestLog
from .core.server import make_http_server
from .core.state import StateFile
from .scf.timers import fire_due_timers


class EmulatorServer:
    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.faults = FaultRegistry()
        self.log = RequestLog()
        self.backend = Backend(self.config, self.faults)
        self.state = StateFile(self.config.state_file) if self.config.state_file else None
        if self.state is not None:
            data = self.state.load()
            if data is not None:
                self.backend.load(data)
        self.pipeline = RequestPipeline(self.config, self.backend, self.faults, self.log, self.state)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ticker: threading.Thread | None = None
        self._stop_ticking = threading.Event()

    @property
    def endpoint(self) -> str:
        if self._httpd is None:
            raise RuntimeError("emulator is not started")
        host, port = self._httpd.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> str:
        """Bind and serve on a daemon thread; returns ``"HOST:PORT"``.

        Raises ``guard.UnsafeBind`` for a non-loopback host with the default key pair, ``OSError`` when
        the address cannot be bound.
        """
        if self._httpd is None:
            check_bind(self.config)
            self._httpd = make_http_server(self.config.host, self.config.port, self)
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                            name="scf-emulator", daemon=True)
            self._thread.start()
            self.backend.scf.base_url = self.backend.apigateway.base_url = f"http://{self.endpoint}"
            if self.config.ticks:
                self._stop_ticking.clear()
                self._ticker = threading.Thread(target=self._tick_forever, name="scf-emulator-timers", daemon=True)
                self._ticker.start()
        return self.endpoint

    def _tick_forever(self) -> None:
        while not self._stop_ticking.wait(1.0):
            self.fire_due_timers()

    def fire_due_timers(self, now: float | None = None) -> list[dict[str, Any]]:
        """Fire every timer trigger due up to ``now`` (default: the emulator's wall clock)."""
        return fire_due_timers(self.backend.scf, now)

    def stop(self) -> None:
        """Stop serving and flush the state file."""
        if self._ticker is not None:
            self._stop_ticking.set()
            self._ticker.join(timeout=5)
            self._ticker = None
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._httpd, self._thread = None, None
        self.pipeline.save()
        self.backend.close()

    def __enter__(self) -> EmulatorServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def request_log(self) -> list[dict[str, Any]]:
        return self.log.entries()

    def add_fault(self, action: str, kind: str, *, nth: int | None = None, count: int = 1,
                  latency_ms: float = 0.0, function: str | None = None,
                  error_code: str = "InternalError.System", message: str = "") -> None:
        """Inject a fault; see ``faults.py`` for the kinds."""
        self.faults.add(Fault(action, kind, nth, count, latency_ms, function, error_code, message))

    def clear_faults(self) -> None:
        self.faults.clear()

    def reset(self) -> None:
        """Forget every function, namespace, invocation, fault and logged request."""
        self.backend.reset()
        self.faults.clear()
        self.log.clear()
        self.pipeline.save()


@contextmanager
def running_emulator(config: EmulatorConfig | None = None) -> Iterator[EmulatorServer]:
    server = EmulatorServer(config)
    server.start()
    try:
        yield server
    finally:
        server.stop()
