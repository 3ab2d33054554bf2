"""HTTP transport: a ThreadingHTTPServer on a daemon thread, plus the control endpoint.

``/`` is the Tencent API (POST JSON or GET query, any ``X-TC-Action``); paths under
``/_emulator/`` are the unauthenticated control API for tests and operators, reachable only with a
loopback ``Host``, no foreign ``Origin`` and, for writes, ``Content-Type: application/json``
(``guard.py``):

* ``GET /_emulator/health``: ``{"status": "ok"}``
* ``GET /_emulator/requests`` / ``DELETE /_emulator/requests``: request log / clear it
* ``POST /_emulator/reset``: wipe all state, faults and the request log
* ``GET|POST|DELETE /_emulator/faults``: list / add (one object or a list) / clear
* ``GET /_emulator/code/<sha256>.zip``: the stored zip (the ``Url`` of GetFunctionAddress)
* ``POST /_emulator/tick``: fire every timer trigger due up to the emulator's wall clock (or the body's
  ``{"now": <epoch seconds>}``); answers ``{"fired": [...]}``, one record per invocation

Paths under ``/_apigw/<serviceId>/<environment><path>`` are released API Gateway stages, any method
(see ``apigateway/stages.py``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from component.emulator.apigateway.actions import APIGW_PATH_PREFIX
from component.emulator.apigateway.stages import HttpReply, serve_stage

from .envelope import error_envelope
from .errors import ApiError
from .faults import fault_from_dict
from .guard import MAX_BODY_BYTES, control_refusal
from .pipeline import Reply
from .wire import WireRequest

if TYPE_CHECKING:
    from component.emulator.emulator import EmulatorServer

ControlHandler = Callable[["EmulatorServer", bytes], Reply]
CONTROL_PREFIX = "/_emulator/"


def _json(data: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False).encode())


def _requests(emu: EmulatorServer, body: bytes) -> Reply:
    return _json({"requests": emu.request_log()})


def _clear_requests(emu: EmulatorServer, body: bytes) -> Reply:
    emu.log.clear()
    return _json({"cleared": True})


def _reset(emu: EmulatorServer, body: bytes) -> Reply:
    emu.reset()
    return _json({"reset": True})


def _faults(emu: EmulatorServer, body: bytes) -> Reply:
    return _json({"faults": emu.faults.describe()})


def _add_faults(emu: EmulatorServer, body: bytes) -> Reply:
    try:
        data = json.loads(body or b"null")
        items = data if isinstance(data, list) else [data]
        for item in items:
            emu.faults.add(fault_from_dict(item if isinstance(item, dict) else {}))
    except (ValueError, TypeError) as exc:
        return _json({"error": str(exc)}, 400)
    return _json({"faults": emu.faults.describe()})


def _clear_faults(emu: EmulatorServer, body: bytes) -> Reply:
    emu.clear_faults()
    return _json({"faults": []})


def _tick(emu: EmulatorServer, body: bytes) -> Reply:
    try:
        data = json.loads(body or b"{}")
        now = data.get("now") if isinstance(data, dict) else None
        fired = emu.fire_due_timers(None if now is None else float(now))
    except (ValueError, TypeError) as exc:
        return _json({"error": str(exc)}, 400)
    return _json({"fired": fired})


def _health(emu: EmulatorServer, body: bytes) -> Reply:
    return _json({"status": "ok", "endpoint": emu.endpoint})


CONTROL: dict[tuple[str, str], ControlHandler] = {
    ("GET", "health"): _health,
    ("GET", "requests"): _requests,
    ("DELETE", "requests"): _clear_requests,
    ("POST", "reset"): _reset,
    ("GET", "faults"): _faults,
    ("POST", "faults"): _add_faults,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "tick"): _tick,
}


MAX_CONNECTIONS = 256  # open connections served at once; more are closed at once (no thread each)
SOCKET_TIMEOUT = 30.0  # seconds a connection may stay silent mid-request


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: EmulatorServer) -> None:
        self.emulator = emulator
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = SOCKET_TIMEOUT
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            self.close_connection = True
            self._send(Reply(200, error_envelope(ApiError(
                "RequestSizeLimitExceeded", f"The request body must be 0 to {MAX_BODY_BYTES} bytes."))))
            return
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        if parts.path.startswith(APIGW_PATH_PREFIX):
            headers = {k: v for k, v in self.headers.items()}
            self._send_http(serve_stage(self.server.emulator.backend, self.command, parts.path, parts.query,
                                        headers, body))
            return
        if parts.path.startswith(CONTROL_PREFIX):
            self._send(self._control(parts.path[len(CONTROL_PREFIX):], body))
            return
        if parts.path != "/" or self.command not in ("GET", "POST"):
            code = "UnsupportedProtocol" if parts.path == "/" else "InvalidAction"
            self._send(Reply(200, error_envelope(ApiError(code))))
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.emulator.pipeline.handle(WireRequest(self.command, parts.query, headers, body))
        if reply is None:
            self._drop()
            return
        self._send(reply)

    def _control(self, name: str, body: bytes) -> Reply:
        emu = self.server.emulator
        refused = control_refusal(self.command, {k.lower(): v for k, v in self.headers.items()},
                                  str(self.server.server_address[0]))
        if refused is not None:
            return _json({"error": refused}, 403)
        if self.command == "GET" and name.startswith("code/") and name.endswith(".zip"):
            blob = emu.backend.scf.codes.get(name[len("code/"):-len(".zip")])
            return Reply(200, blob, "application/zip") if blob is not None else _json({"error": "no such code"}, 404)
        handler = CONTROL.get((self.command, name))
        return handler(emu, body) if handler else _json({"error": f"unknown control path {name!r}"}, 404)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _send_http(self, reply: HttpReply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


def make_http_server(host: str, port: int, emulator: EmulatorServer) -> ThreadingHTTPServer:
    return _HTTPServer((host, port), emulator)
