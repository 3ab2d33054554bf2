"""Execution of user code for Invoke/InvokeFunction.

Python runtimes run the version's own handler from its zip in a *persistent worker*: a
long-lived subprocess of the emulator's interpreter that imports the handler once and then
serves invocations as line-delimited JSON over stdin/stdout (``{"event", "context"}`` in,
``{"ok", "result" | "type", "message", "trace"}`` out), like a warm SCF instance.

* Workers belong to one *slot* — (region, namespace, function, version) — and one
  *signature* — (code sha256, handler, runtime, environment).  Two versions never share a
  process; when ``$LATEST`` gets new code or settings its old workers are stopped and the next
  invoke starts a fresh one with the version's own environment variables.
* A worker serves one invocation at a time; concurrent invokes of a slot start more
  workers (at most :data:`MAX_IDLE_PER_SLOT` are kept idle).
* The handler's stdout and stderr (fds 1 and 2, so child processes too) go to a capture
  file that the worker empties before each invocation; the emulator reads it into the Log.
  The protocol channel is a private duplicate of the worker's original stdout.
* The function Timeout is enforced per invocation: past it the worker is killed and
  replaced (status 433).  A worker that died (``os._exit``, a crash, a kill) is replaced on
  the next invoke; the invocation it was serving reports a 430 runtime error.

A raised exception is reported the way SCF reports user-code errors: ``InvokeResult`` 1 and
``RetMsg`` JSON ``{"errorCode":1,"errorMessage":…,"errorType":…,"stackTrace":…,"statusCode":430}``.
Zips are extracted once per code sha into a cache directory.  Other runtimes (and COS
references with no local copy) echo the event back, which keeps routing tests fast.
:meth:`Runner.close` stops every worker (``EmulatorServer.stop``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import FunctionConfig

MAX_IDLE_PER_SLOT = 4
WORKER_STOP_GRACE = 1.0

# The worker: fds 1/2 → the capture file, fd 0 → /dev/null (a handler reading stdin cannot eat a
# request); the protocol runs on duplicates of the original stdin/stdout.
BOOTSTRAP = r"""
import importlib, json, os, sys, traceback
handler, capture = sys.argv[1], sys.argv[2]
requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
sink = os.open(capture, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
null = os.open(os.devnull, os.O_RDONLY)
os.dup2(null, 0)
os.dup2(sink, 1)
os.dup2(sink, 2)
os.close(sink)
os.close(null)
sys.stdout.reconfigure(line_buffering=True)
sys.stderr.reconfigure(line_buffering=True)
sys.path.insert(0, ".")
func = None
for line in requests:
    request = json.loads(line)
    os.ftruncate(1, 0)
    try:
        if func is None:
            module_name, func_name = handler.rsplit(".", 1)
            func = getattr(importlib.import_module(module_name.replace("/", ".")), func_name)
        outcome = {"ok": True, "result": func(request["event"], request["context"])}
    except BaseException as exc:
        outcome = {"ok": False, "type": type(exc).__name__, "message": str(exc), "trace": traceback.format_exc()}
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        text = json.dumps(outcome, default=str)
    except BaseException as exc:
        text = json.dumps({"ok": False, "type": type(exc).__name__, "message": str(exc),
                           "trace": traceback.format_exc()})
    proto.write(text + "\n")
    proto.flush()
"""


@dataclass(frozen=True)
class RunOutcome:
    ret_msg: str
    err_msg: str
    output: str
    invoke_result: int
    status_code: int
    duration_ms: float


Slot = tuple[str, ...]
Signature = tuple[Any, ...]


def _ret_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _error(status: int, message: str, kind: str, trace: str) -> str:
    return json.dumps({"errorCode": 1, "errorMessage": message, "errorType": kind,
                       "stackTrace": trace, "statusCode": status})


class WorkerGone(Exception):
    """The worker exited (or closed its pipe) before answering."""


class WorkerTimeout(Exception):
    """No answer within the function's Timeout."""


class Worker:
    """One long-lived handler process; used by one invocation at a time."""

    def __init__(self, workdir: Path, handler: str, env: dict[str, str], capture: Path) -> None:
        self.capture = capture
        capture.write_bytes(b"")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", BOOTSTRAP, handler, str(capture)],
            cwd=workdir, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self._buffer = b""

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, event: Any, context: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        line = json.dumps({"event": event, "context": context}) + "\n"
        try:
            self.proc.stdin.write(line.encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerGone from exc
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerTimeout
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise WorkerGone
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer: dict[str, Any] = json.loads(raw)
        except ValueError as exc:
            raise WorkerGone from exc
        return answer

    def output(self) -> str:
        try:
            return self.capture.read_bytes().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, grace: float = WORKER_STOP_GRACE) -> None:
        """Close stdin (the worker's loop ends) and reap it; kill it if it lingers."""
        if self.proc.poll() is None:
            try:
                if self.proc.stdin is not None:
                    self.proc.stdin.close()
                self.proc.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired):
                self.kill()
        self._close_pipes()
        self.capture.unlink(missing_ok=True)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class Runner:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._root = Path(tempfile.mkdtemp(prefix="scf-emulator-code-"))
        self._idle: dict[Slot, tuple[Signature, list[Worker]]] = {}
        self._busy: set[Worker] = set()
        self._generation = 0

    def close(self) -> None:
        """Stop every worker (idle now; busy ones when their invocation ends) and drop the code cache."""
        with self._lock:
            self._generation += 1
            idle = [w for _, workers in self._idle.values() for w in workers]
            busy = list(self._busy)
            self._idle.clear()
            self._busy.clear()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()
        shutil.rmtree(self._root, ignore_errors=True)

    def worker_pids(self) -> list[int]:
        """Process ids of every live worker (idle or busy)."""
        with self._lock:
            workers = [w for _, ws in self._idle.values() for w in ws] + list(self._busy)
        return [w.proc.pid for w in workers if w.alive]

    def _extract(self, sha: str, data: bytes) -> Path:
        target = self._root / sha
        with self._lock:
            self._root.mkdir(parents=True, exist_ok=True)  # close() may have removed it before a restart
            if not target.is_dir():
                staging = Path(tempfile.mkdtemp(dir=self._root))
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    archive.extractall(staging)
                os.replace(staging, target)
        return target

    def run(self, config: FunctionConfig, code: bytes | None, event: Any, context: dict[str, Any],
            slot: Slot = ()) -> RunOutcome:
        start = time.perf_counter()
        if code is None or not config.runtime.lower().startswith("python"):
            return RunOutcome(json.dumps(event), "", "", 0, 200, (time.perf_counter() - start) * 1000)
        return self._python(config, self._extract(config.code_sha256, code), event, context, slot, start)

    # -- worker pool ------------------------------------------------------------------
    @staticmethod
    def _signature(config: FunctionConfig) -> Signature:
        env = tuple((e["Key"], e["Value"]) for e in config.environment)
        return config.code_sha256, config.handler, config.runtime, env

    def _acquire(self, slot: Slot, config: FunctionConfig, workdir: Path) -> tuple[Worker, int]:
        signature = self._signature(config)
        stale: list[Worker] = []
        worker: Worker | None = None
        with self._lock:
            generation = self._generation
            entry = self._idle.get(slot)
            if entry is not None and entry[0] != signature:
                stale = entry[1]
                entry = None
            if entry is None:
                entry = (signature, [])
                self._idle[slot] = entry
            while entry[1] and worker is None:
                candidate = entry[1].pop()
                if candidate.alive:
                    worker = candidate
                else:
                    stale.append(candidate)
        for old in stale:
            old.stop()
        if worker is None:
            env = {**os.environ, **dict(signature[3])}
            capture = Path(tempfile.mkstemp(dir=self._root, prefix="out-", suffix=".log")[1])
            worker = Worker(workdir, config.handler, env, capture)
        with self._lock:
            self._busy.add(worker)
        return worker, generation

    def _release(self, slot: Slot, config: FunctionConfig, worker: Worker, generation: int, keep: bool) -> None:
        signature = self._signature(config)
        with self._lock:
            self._busy.discard(worker)
            entry = self._idle.get(slot)
            if keep and worker.alive and generation == self._generation and entry is not None \
                    and entry[0] == signature and len(entry[1]) < MAX_IDLE_PER_SLOT:
                entry[1].append(worker)
                return
        worker.stop()

    def _python(self, config: FunctionConfig, workdir: Path, event: Any, context: dict[str, Any],
                slot: Slot, start: float) -> RunOutcome:
        slot = slot or (str(workdir),)
        worker, generation = self._acquire(slot, config, workdir)
        try:
            outcome = worker.call(event, context, float(config.timeout))
        except WorkerTimeout:
            worker.kill()
            output = worker.output()
            self._release(slot, config, worker, generation, keep=False)
            message = f"Invoking task timed out after {config.timeout} seconds"
            return RunOutcome(_error(433, message, "Timeout", ""), message, output, 1, 433,
                              (time.perf_counter() - start) * 1000)
        except WorkerGone:
            worker.kill()
            output = worker.output()
            self._release(slot, config, worker, generation, keep=False)
            message = "runtime exited without a result"
            return RunOutcome(_error(430, message, "RuntimeError", output), message, output, 1, 430,
                              (time.perf_counter() - start) * 1000)
        duration = (time.perf_counter() - start) * 1000
        output = worker.output()
        self._release(slot, config, worker, generation, keep=True)
        return self._outcome(outcome, output, duration)

    @staticmethod
    def _outcome(outcome: dict[str, Any], output: str, duration: float) -> RunOutcome:
        if outcome.get("ok"):
            return RunOutcome(_ret_text(outcome.get("result")), "", output, 0, 200, duration)
        kind, text, trace = str(outcome.get("type")), str(outcome.get("message") or ""), str(outcome.get("trace"))
        message = f"{kind}: {text}" if text else kind
        ret = _error(430, text or kind, kind, trace)
        return RunOutcome(ret, message, output + trace, 1, 430, duration)
