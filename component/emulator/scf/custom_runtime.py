"""``CustomRuntime`` event functions: the code's bootstrap talks to a local Runtime API.

SCF starts the executable ``bootstrap`` (or ``scf_bootstrap``) at the root of the code with
``SCF_RUNTIME_API``/``SCF_RUNTIME_API_PORT`` set; the bootstrap initialises, ``POST
/runtime/init/ready``, then loops: ``GET /runtime/invocation/next`` (long poll: the event as body,
``request_id``, ``memory_limit_in_mb``, ``time_limit_in_ms`` as headers), and ``POST
/runtime/invocation/response`` (the result) or ``/runtime/invocation/error`` (the error message).

Here each :class:`CustomWorker` is such an instance: the bootstrap (run with ``bash`` when it is a
script, SCF image paths made local as for web functions) and its own Runtime API on a free loopback
port. It plugs into the runner's worker pool like the Python and Node.js workers: one invocation at a
time, output captured per invocation, killed and replaced past the Timeout or when it died. A bootstrap
that does not report ready within the InitTimeout fails the invocation as a dead worker would.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .models import FunctionConfig
from .runtimes import cannot_run
from .web import local_bootstrap
from .worker import Worker, WorkerGone, WorkerTimeout, kill_group, spawn

BOOTSTRAP_NAMES = ("bootstrap", "scf_bootstrap")
POLL = 0.05


def custom_command(config: FunctionConfig, workdir: Path) -> list[str]:
    """How to start the function's bootstrap here; refuse one that cannot run locally."""
    found = next((workdir / name for name in BOOTSTRAP_NAMES if (workdir / name).is_file()), None)
    if found is None:
        raise cannot_run(config.runtime, "a CustomRuntime function needs an executable bootstrap at the root "
                                         "of its code")
    head = found.read_bytes()[:4]
    if head == b"\x7fELF":
        found.chmod(0o755)
        return [str(found)]
    text = found.read_text(encoding="utf-8", errors="replace")
    local = workdir / f".{found.name}.local"
    local.write_text(local_bootstrap(text, workdir, config.runtime, require_server=False))
    return ["bash", str(local)]


class _Instance:
    """The Runtime API state of one bootstrap: ready flag, the invocation in flight, its answer."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.closed = threading.Event()
        self.pending: queue.Queue[tuple[bytes, dict[str, str]]] = queue.Queue()
        self.current: tuple[bytes, dict[str, str]] | None = None
        self.answers: queue.Queue[dict[str, Any]] = queue.Queue()

    def next_event(self) -> tuple[bytes, dict[str, str]] | None:
        while not self.closed.is_set():
            if self.current is not None:
                return self.current
            with contextlib.suppress(queue.Empty):
                self.current = self.pending.get(timeout=POLL)
        return None

    def answer(self, outcome: dict[str, Any]) -> None:
        if self.current is not None:  # the first answer of an invocation is final
            self.current = None
            self.answers.put(outcome)


class _Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ApiServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.rstrip("/") != "/runtime/invocation/next":
            self._reply(404)
            return
        self.server.instance.ready.set()  # asking for an event means ready, even without init/ready
        found = self.server.instance.next_event()
        if found is None:  # the instance is being stopped: its process is gone or going
            self.close_connection = True
            return
        self._reply(200, found[0], {"Content-Type": "application/json", **found[1]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path, instance = self.path.rstrip("/"), self.server.instance
        if path == "/runtime/init/ready":
            instance.ready.set()
        elif path == "/runtime/invocation/response":
            instance.answer({"ok": True, "result": body})
        elif path == "/runtime/invocation/error":
            instance.answer({"ok": False, "type": "UserCodeError", "message": body, "trace": ""})
        else:
            self._reply(404)
            return
        self._reply(200)


class _ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, instance: _Instance) -> None:
        self.instance = instance
        super().__init__(("127.0.0.1", 0), _Api)

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a bootstrap killed mid-request (timeout, stop) is not an emulator error


class CustomWorker(Worker):
    """A CustomRuntime instance: the bootstrap process and its Runtime API."""

    def __init__(self, command: list[str], workdir: Path, env: dict[str, str], capture: Path,
                 init_timeout: float) -> None:
        self.capture = capture
        self.init_timeout = init_timeout
        self._served = 0
        self._instance = _Instance()
        self._api = _ApiServer(self._instance)
        threading.Thread(target=self._api.serve_forever, kwargs={"poll_interval": POLL}, daemon=True).start()
        port = str(self._api.server_address[1])
        self.proc = spawn(command, workdir, {**env, "SCF_RUNTIME_API": "127.0.0.1", "SCF_RUNTIME_API_PORT": port},
                          capture)

    def _wait(self, ready: threading.Event | None, answers: queue.Queue[dict[str, Any]] | None,
              timeout: float) -> dict[str, Any] | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready is not None and ready.wait(POLL):
                return None
            if answers is not None:
                with contextlib.suppress(queue.Empty):
                    return answers.get(timeout=POLL)
            if not self.alive:
                raise WorkerGone
        raise WorkerTimeout

    def call(self, event: Any, context: dict[str, Any], timeout: float) -> dict[str, Any]:
        if not self._instance.ready.is_set():
            try:
                self._wait(self._instance.ready, None, self.init_timeout)
            except WorkerTimeout:
                raise WorkerGone from None  # never became ready: a start failure, not the invocation's timeout
        if self._served:  # the first invocation's Log also holds what the bootstrap printed at start
            with contextlib.suppress(OSError):
                os.truncate(self.capture, 0)
        self._served += 1
        headers = {"request_id": str(context.get("request_id", "")),
                   "memory_limit_in_mb": str(context.get("memory_limit_in_mb", "")),
                   "time_limit_in_ms": str(context.get("time_limit_in_ms", ""))}
        self._instance.pending.put((json.dumps(event).encode(), headers))
        answer = self._wait(None, self._instance.answers, timeout)
        assert answer is not None
        return answer

    def stop(self, grace: float = 0.0) -> None:
        self.kill()
        self.capture.unlink(missing_ok=True)

    def kill(self) -> None:
        kill_group(self.proc)
        self._close_pipes()

    def _close_pipes(self) -> None:
        self._instance.closed.set()
        self._api.shutdown()
        self._api.server_close()
