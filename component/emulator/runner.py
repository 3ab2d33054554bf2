"""Execution of user code for Invoke/InvokeFunction.

Python runtimes run the version's own handler from its zip in a fresh subprocess of the
emulator's interpreter: ``handler(event, context)``, stdout and stderr captured into the
Log, the function Timeout enforced (status 433).  A raised exception is reported the
way SCF reports user-code errors: ``InvokeResult`` 1 and ``RetMsg`` JSON
``{"errorCode":1,"errorMessage":…,"errorType":…,"stackTrace":…,"statusCode":430}``.
Zips are extracted once per code sha into a cache directory.  Other runtimes (and COS
references with no local copy) echo the event back, which keeps routing tests fast.
"""

from __future__ import annotations

import io
import json
import os
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

BOOTSTRAP = r"""
import importlib, json, sys, traceback
handler, out_path, context = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
sys.path.insert(0, ".")
event = json.loads(sys.stdin.read() or "{}")
try:
    module_name, func_name = handler.rsplit(".", 1)
    func = getattr(importlib.import_module(module_name.replace("/", ".")), func_name)
    outcome = {"ok": True, "result": func(event, context)}
except BaseException as exc:
    outcome = {"ok": False, "type": type(exc).__name__, "message": str(exc), "trace": traceback.format_exc()}
sys.stdout.flush()
with open(out_path, "w") as fh:
    json.dump(outcome, fh, default=str)
"""


@dataclass(frozen=True)
class RunOutcome:
    ret_msg: str
    err_msg: str
    output: str
    invoke_result: int
    status_code: int
    duration_ms: float


def _ret_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _error(status: int, message: str, kind: str, trace: str) -> str:
    return json.dumps({"errorCode": 1, "errorMessage": message, "errorType": kind,
                       "stackTrace": trace, "statusCode": status})


class Runner:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._root = Path(tempfile.mkdtemp(prefix="scf-emulator-code-"))

    def close(self) -> None:
        shutil.rmtree(self._root, ignore_errors=True)

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

    def run(self, config: FunctionConfig, code: bytes | None, event: Any, context: dict[str, Any]) -> RunOutcome:
        start = time.perf_counter()
        if code is None or not config.runtime.lower().startswith("python"):
            return RunOutcome(json.dumps(event), "", "", 0, 200, (time.perf_counter() - start) * 1000)
        return self._python(config, self._extract(config.code_sha256, code), event, context, start)

    def _python(self, config: FunctionConfig, workdir: Path, event: Any, context: dict[str, Any],
                start: float) -> RunOutcome:
        env = {**os.environ, **{e["Key"]: e["Value"] for e in config.environment}}
        with tempfile.NamedTemporaryFile(dir=self._root, suffix=".json", delete=False) as handle:
            out_path = Path(handle.name)
        try:
            proc = subprocess.run(
                [sys.executable, "-c", BOOTSTRAP, config.handler, str(out_path), json.dumps(context)],
                input=json.dumps(event).encode(), cwd=workdir, env=env, capture_output=True,
                timeout=config.timeout, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            output = (exc.stdout or b"").decode("utf-8", "replace")
            message = f"Invoking task timed out after {config.timeout} seconds"
            return RunOutcome(_error(433, message, "Timeout", ""), message, output, 1, 433,
                              (time.perf_counter() - start) * 1000)
        duration = (time.perf_counter() - start) * 1000
        output = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        return self._outcome(out_path, output, duration)

    @staticmethod
    def _outcome(out_path: Path, output: str, duration: float) -> RunOutcome:
        try:
            outcome = json.loads(out_path.read_text())
        except (OSError, ValueError):
            message = "runtime exited without a result"
            return RunOutcome(_error(430, message, "RuntimeError", output), message, output, 1, 430, duration)
        finally:
            out_path.unlink(missing_ok=True)
        if outcome["ok"]:
            return RunOutcome(_ret_text(outcome["result"]), "", output, 0, 200, duration)
        message = f"{outcome['type']}: {outcome['message']}" if outcome["message"] else outcome["type"]
        ret = _error(430, outcome["message"] or outcome["type"], outcome["type"], outcome["trace"])
        return RunOutcome(ret, message, output + outcome["trace"], 1, 430, duration)
