"""Execution of user code for Invoke/InvokeFunction.

Python and Node.js runtimes run the version's own handler from its zip in a *persistent worker*
(``worker.py``; the per-runtime commands and the handler environment are in ``runtimes.py``): a
long-lived subprocess that loads the handler once and then serves invocations as line-delimited
JSON, like a warm SCF instance. A CustomRuntime bootstrap is such a worker too, reached through a
local Runtime API (``custom_runtime.py``); web functions are local servers (``web.py``).

* Workers belong to one *slot* — (region, namespace, function, version) — and one
  *signature* — (code sha256, handler, runtime, environment).  Two versions never share a
  process; when ``$LATEST`` gets new code or settings its old workers are stopped and the next
  invoke starts a fresh one with the version's own environment variables.
* A worker serves one invocation at a time; concurrent invokes of a slot start more
  workers (at most :data:`MAX_IDLE_PER_SLOT` are kept idle).
* The handler's stdout and stderr (fds 1 and 2, so child processes too) go to a capture
  file that is emptied before each invocation; the emulator reads it into the Log.
* The function Timeout is enforced per invocation: past it the worker is killed and
  replaced (status 433).  A worker that died (``os._exit``, a crash, a kill) is replaced on
  the next invoke; the invocation it was serving reports a 430 runtime error.
* A handler sees the runtime's variables and its own, never the emulator's environment.

A raised exception is reported the way SCF reports user-code errors: ``InvokeResult`` 1 and
``RetMsg`` JSON ``{"errorCode":1,"errorMessage":…,"errorType":…,"stackTrace":…,"statusCode":430}``.
Zips are extracted once per code sha into a cache directory.  A runtime the emulator cannot run,
or code it does not hold (a COS reference), answers ``FailedOperation.InvokeFunction`` naming why.
:meth:`Runner.close` stops every worker (``EmulatorServer.stop``).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

from .custom_runtime import CustomWorker, custom_command
from .models import FunctionConfig
from .outcome import RunOutcome, error_text, failed, ret_text
from .runtimes import cannot_run, handler_env, is_custom, worker_command
from .web import WebServers
from .worker import Worker, WorkerGone, WorkerTimeout

__all__ = ["MAX_IDLE_PER_SLOT", "RunOutcome", "Runner"]

MAX_IDLE_PER_SLOT = 4


Slot = tuple[str, ...]
Signature = tuple[Any, ...]


def _new_worker(config: FunctionConfig, command: list[str], workdir: Path, env: dict[str, str],
                capture: Path) -> Worker:
    if is_custom(config):
        return CustomWorker(command, workdir, env, capture, float(config.init_timeout))
    return Worker(command, workdir, env, capture)


class Runner:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._root = Path(tempfile.mkdtemp(prefix="scf-emulator-code-"))
        self._idle: dict[Slot, tuple[Signature, list[Worker]]] = {}
        self._busy: set[Worker] = set()
        self._generation = 0
        self.web = WebServers(self._root)

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
        self.web.close()
        shutil.rmtree(self._root, ignore_errors=True)

    def worker_pids(self) -> list[int]:
        """Process ids of every live worker (idle or busy)."""
        with self._lock:
            workers = [w for _, ws in self._idle.values() for w in ws] + list(self._busy)
        return [w.proc.pid for w in workers if w.alive] + self.web.pids()

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
        if len(slot) == 4:  # SCF's context also names the region
            context = {**context, "tencentcloud_region": slot[0]}
        if config.cos_ref.startswith("image://"):
            raise cannot_run(config.runtime, f"the local emulator does not run container images ({config.cos_ref})")
        command = worker_command(config) if config.type != "HTTP" and not is_custom(config) else []
        if code is None:
            where = config.cos_ref or "no code package"
            raise cannot_run(config.runtime, f"the local emulator does not hold this function's code ({where})")
        workdir = self._extract(config.code_sha256, code)
        if config.type == "HTTP":
            return self.web.run(config, workdir, event, context, slot, start)
        if is_custom(config):
            command = custom_command(config, workdir)
        return self._pooled(config, command, workdir, event, context, slot, start)

    # -- worker pool ------------------------------------------------------------------
    @staticmethod
    def _signature(config: FunctionConfig) -> Signature:
        env = tuple((e["Key"], e["Value"]) for e in config.environment)
        return config.code_sha256, config.handler, config.runtime, env

    def _acquire(self, slot: Slot, config: FunctionConfig, command: list[str],
                 workdir: Path) -> tuple[Worker, int]:
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
            handle, name = tempfile.mkstemp(dir=self._root, prefix="out-", suffix=".log")
            os.close(handle)
            worker = _new_worker(config, command, workdir, handler_env(config, slot, workdir), Path(name))
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

    def _pooled(self, config: FunctionConfig, command: list[str], workdir: Path, event: Any,
                context: dict[str, Any], slot: Slot, start: float) -> RunOutcome:
        slot = slot or (str(workdir),)
        worker, generation = self._acquire(slot, config, command, workdir)
        try:
            outcome = worker.call(event, context, float(config.timeout))
        except WorkerTimeout:
            worker.kill()
            output = worker.output()
            self._release(slot, config, worker, generation, keep=False)
            message = f"Invoking task timed out after {config.timeout} seconds"
            return failed(433, message, "Timeout", output, (time.perf_counter() - start) * 1000)
        except WorkerGone:
            worker.kill()
            output = worker.output()
            self._release(slot, config, worker, generation, keep=False)
            message = "runtime exited without a result"
            return failed(430, message, "RuntimeError", output, (time.perf_counter() - start) * 1000, output)
        duration = (time.perf_counter() - start) * 1000
        output = worker.output()
        self._release(slot, config, worker, generation, keep=True)
        return self._outcome(outcome, output, duration)

    @staticmethod
    def _outcome(outcome: dict[str, Any], output: str, duration: float) -> RunOutcome:
        if outcome.get("ok"):
            return RunOutcome(ret_text(outcome.get("result")), "", output, 0, 200, duration)
        kind, text, trace = str(outcome.get("type")), str(outcome.get("message") or ""), str(outcome.get("trace"))
        message = f"{kind}: {text}" if text else kind
        ret = error_text(430, text or kind, kind, trace)
        log = output + trace + ("" if not trace or trace.endswith("\n") else "\n")
        return RunOutcome(ret, message, log, 1, 430, duration)
