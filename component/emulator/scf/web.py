"""Web functions (``Type: HTTP``): the code's ``scf_bootstrap`` runs as a local web server.

On SCF a web function's ``scf_bootstrap`` starts a server on port 9000 and the platform forwards
HTTP requests to it. Here the first request of a version starts the bootstrap with ``bash`` in the
extracted code, with the handler environment of ``runtimes.py``; a server that the bootstrap opens
on port 9000 is moved to a free loopback port by a preloaded shim (``web_shims/``: ``listen.js`` for
Node.js through ``NODE_OPTIONS``, ``sitecustomize.py`` for Python through ``PYTHONPATH``). The
runtime paths of SCF's images in the bootstrap (``/var/lang/node16/bin/node``,
``/var/lang/python39/bin/python3``, ``/var/user``) become the local ``node``, the emulator's own
interpreter and the code folder. A bootstrap that starts neither node nor python (PHP, a binary, …)
cannot run here: ``FailedOperation.InvokeFunction`` naming the runtime.

An invocation (from an API Gateway path, or ``Invoke`` with an API-Gateway-shaped event) becomes one
HTTP request — ``httpMethod``, ``path``, ``queryString``, ``headers``, ``body`` (``isBase64Encoded``)
plus the ``X-Scf-*`` headers SCF adds — and the server's response becomes the integrated-response
answer ``{statusCode, headers, body, isBase64Encoded}``. The server keeps running for later requests
(concurrently, like SCF web functions), is replaced when the version's code or settings change or
when it died, and is stopped with the emulator. A bootstrap that exits or does not listen within the
function's InitTimeout answers status 405; a request over the Timeout answers 433.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import shlex
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen
from typing import Any
from urllib.parse import urlencode

from .models import FunctionConfig
from .outcome import RunOutcome, failed
from .runtimes import cannot_run, handler_env, node_binary
from .worker import kill_group, read_capture, spawn

BOOTSTRAP = "scf_bootstrap"
SHIMS = Path(__file__).with_name("web_shims")
READY_POLL = 0.02
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade",
                        "proxy-connection", "te", "trailer"})
SET_BY_THE_GATEWAY = frozenset({"date", "server"})  # the emulator's HTTP server adds its own
_IMAGE_RUNNER = re.compile(r"/var/lang/(?:node|python)[\w.]*/bin/([\w.]+)")
_STARTS_SERVER = re.compile(r"(?m)^(?!\s*#).*?(?:^|[\s;&|/'\"])"
                            r"(?:node|nodejs|npm|npx|yarn|pnpm|python[\d.]*|gunicorn|uvicorn)(?=[\s'\";&|]|$)")

Slot = tuple[str, ...]


class StartFailed(Exception):
    """The bootstrap exited, or did not listen on port 9000 within the InitTimeout."""


@dataclass
class WebServer:
    signature: tuple[Any, ...]
    proc: Popen[bytes]
    port: int
    host: str
    capture: Path
    inflight: int = 0
    served: int = 0

    def stop(self) -> None:
        kill_group(self.proc)
        self.capture.unlink(missing_ok=True)


def local_bootstrap(text: str, workdir: Path, runtime: str, require_server: bool = True) -> str:
    """The bootstrap with SCF's image paths replaced by local ones; refuse what cannot run here.

    A web function's bootstrap must start node or python (the only servers whose port can be moved).
    """
    def local(match: re.Match[str]) -> str:
        program = match.group(1)
        if program == "node":
            return shlex.quote(node_binary())
        if program.startswith("python"):
            return shlex.quote(sys.executable)
        found = shutil.which(program)  # npm, npx… from the PATH, else the image path stays and is refused
        return shlex.quote(found) if found else match.group(0)

    script = _IMAGE_RUNNER.sub(local, text).replace("/var/user", shlex.quote(str(workdir)))
    if "/var/lang/" in script and not require_server:
        raise cannot_run(runtime, "its bootstrap starts a runtime of SCF's image (/var/lang/…) that has no local "
                                  "counterpart")
    if "/var/lang/" in script or (require_server and not _STARTS_SERVER.search(script)):
        raise cannot_run(runtime, f"the local emulator cannot run this {runtime} web function: its {BOOTSTRAP} "
                                  "starts neither node nor python")
    return script


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> str | None:
    for host in ("127.0.0.1", "::1"):
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            return host
    return None


def _signature(config: FunctionConfig) -> tuple[Any, ...]:
    return config.code_sha256, config.runtime, tuple((e["Key"], e["Value"]) for e in config.environment)


def _environment(config: FunctionConfig, slot: Slot, workdir: Path, port: int) -> dict[str, str]:
    env = handler_env(config, slot, workdir)
    shim = f'--require "{SHIMS / "listen.js"}"'
    env["NODE_OPTIONS"] = f"{env['NODE_OPTIONS']} {shim}" if env.get("NODE_OPTIONS") else shim
    env["PYTHONPATH"] = f"{SHIMS}:{env['PYTHONPATH']}" if env.get("PYTHONPATH") else str(SHIMS)
    env["SCF_EMULATOR_WEB_PORT"] = str(port)
    return env


def _start(config: FunctionConfig, workdir: Path, slot: Slot, root: Path) -> WebServer:
    script = workdir / BOOTSTRAP
    if not script.is_file():
        raise cannot_run(config.runtime, f"a web function needs an executable {BOOTSTRAP} at the root of its code")
    local = workdir / f".{BOOTSTRAP}.local"
    local.write_text(local_bootstrap(script.read_text(encoding="utf-8", errors="replace"), workdir, config.runtime))
    port = _free_port()
    handle, name = tempfile.mkstemp(dir=root, prefix="web-", suffix=".log")
    os.close(handle)
    capture = Path(name)
    proc = spawn(["bash", str(local)], workdir, _environment(config, slot, workdir, port), capture)
    server = WebServer(_signature(config), proc, port, "", capture)
    deadline = time.monotonic() + config.init_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        host = _listening(port)
        if host is not None:
            server.host = host
            return server
        time.sleep(READY_POLL)
    code = proc.poll()
    output = read_capture(capture)
    server.stop()
    why = f"exited with code {code}" if code is not None else f"did not listen within {config.init_timeout} s"
    raise StartFailed(f"{BOOTSTRAP} {why} before serving on port 9000\n{output}")


def _request(event: Any, context: dict[str, Any]) -> tuple[str, str, dict[str, str], bytes]:
    """Method, target, headers and body of the HTTP request an (API Gateway) event stands for."""
    ev = event if isinstance(event, dict) else {}
    query = ev.get("queryString") or ev.get("queryStringParameters") or {}
    target = str(ev.get("path") or "/") + (f"?{urlencode(query, doseq=True)}" if isinstance(query, dict) and query
                                           else "")
    raw = ev.get("body")
    text = raw if isinstance(raw, str) else "" if raw is None else json.dumps(raw)
    body = base64.b64decode(text) if ev.get("isBase64Encoded") else text.encode()
    given = ev.get("headers")
    given = given if isinstance(given, dict) else {}
    headers = {str(k): str(v) for k, v in given.items() if str(k).lower() not in HOP_BY_HOP}
    scf_headers = {"X-Scf-Request-Id": "request_id", "X-Scf-Name": "function_name", "X-Scf-Version": "function_version",
                   "X-Scf-Namespace": "namespace", "X-Scf-Memory": "memory_limit_in_mb",
                   "X-Scf-Timeout": "time_limit_in_ms", "X-Scf-Region": "tencentcloud_region"}
    headers.update({name: str(context.get(key, "")) for name, key in scf_headers.items()})
    return str(ev.get("httpMethod") or "GET").upper(), target, headers, body


def _answer(response: http.client.HTTPResponse) -> dict[str, Any]:
    data = response.read()
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        if name.lower() not in HOP_BY_HOP | SET_BY_THE_GATEWAY:
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
    try:
        return {"statusCode": response.status, "headers": headers, "body": data.decode("utf-8"),
                "isBase64Encoded": False}
    except UnicodeDecodeError:
        return {"statusCode": response.status, "headers": headers, "body": base64.b64encode(data).decode(),
                "isBase64Encoded": True}


class WebServers:
    """The running web function servers, one per slot (region, namespace, function, version)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock = threading.Lock()
        self._servers: dict[Slot, WebServer] = {}
        self._starting: dict[Slot, threading.Lock] = {}

    def close(self) -> None:
        with self._lock:
            servers = list(self._servers.values())
            self._servers.clear()
        for server in servers:
            server.stop()

    def pids(self) -> list[int]:
        with self._lock:
            return [s.proc.pid for s in self._servers.values() if s.proc.poll() is None]

    def _ensure(self, config: FunctionConfig, workdir: Path, slot: Slot) -> WebServer:
        with self._lock:
            starting = self._starting.setdefault(slot, threading.Lock())
        with starting:
            with self._lock:
                current = self._servers.get(slot)
            if current is not None and current.signature == _signature(config) and current.proc.poll() is None:
                return current
            if current is not None:
                current.stop()
            server = _start(config, workdir, slot, self._root)
            with self._lock:
                self._servers[slot] = server
            return server

    def run(self, config: FunctionConfig, workdir: Path, event: Any, context: dict[str, Any], slot: Slot,
            start: float) -> RunOutcome:
        slot = slot or (str(workdir),)
        try:
            server = self._ensure(config, workdir, slot)
        except StartFailed as exc:
            message, _, output = str(exc).partition("\n")
            return failed(405, message, "BootstrapError", output, (time.perf_counter() - start) * 1000)
        offset = self._begin(server)
        method, target, headers, body = _request(event, context)
        connection = http.client.HTTPConnection(server.host, server.port, timeout=float(config.timeout))
        try:
            connection.request(method, target, body=body, headers=headers)
            answer = _answer(connection.getresponse())
        except TimeoutError:
            message = f"Invoking task timed out after {config.timeout} seconds"
            return failed(433, message, "Timeout", self._output(server, offset), (time.perf_counter() - start) * 1000)
        except (OSError, http.client.HTTPException) as exc:
            message = f"the web server of {BOOTSTRAP} failed the request: {exc}"
            return failed(430, message, "RuntimeError", self._output(server, offset),
                          (time.perf_counter() - start) * 1000)
        finally:
            connection.close()
            with self._lock:
                server.inflight -= 1
        duration = (time.perf_counter() - start) * 1000
        return RunOutcome(json.dumps(answer), "", self._output(server, offset), 0, 200, duration)

    def _begin(self, server: WebServer) -> int:
        """Where this request's output starts; the capture is emptied when no other request is in flight
        (the first request's Log keeps what the bootstrap printed while starting)."""
        with self._lock:
            if server.inflight == 0 and server.served > 0:
                with contextlib.suppress(OSError):
                    os.truncate(server.capture, 0)
            first = server.served == 0
            server.inflight += 1
            server.served += 1
            try:
                return 0 if first else server.capture.stat().st_size
            except OSError:
                return 0

    @staticmethod
    def _output(server: WebServer, offset: int) -> str:
        return read_capture(server.capture, offset)
