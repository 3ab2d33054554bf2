"""Pre- and post-step gates: a shell command (exit 0 passes) or an HTTP URL (2xx passes).

Every hook has a timeout, because a hanging gate is the classic way a rollout gets stuck; a hook
that times out, cannot start or answers badly fails, and a failing hook aborts the rollout (the
runner then moves all traffic back to the stable version). The step's state is passed to commands
as ``SCF_ROLLOUT_*`` environment variables and to URLs as a JSON POST body.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.rollout.model import Hook


@dataclass(frozen=True)
class HookResult:
    ok: bool
    detail: str


def run_hook(hook: Hook, payload: Mapping[str, Any], cwd: Path) -> HookResult:
    if hook.command is not None:
        return _run_command(hook.command, hook.timeout, payload, cwd)
    return _post(str(hook.url), hook.timeout, payload)


def _run_command(command: str, timeout: float, payload: Mapping[str, Any], cwd: Path) -> HookResult:
    env = {**os.environ, **{f"SCF_ROLLOUT_{k.upper()}": str(v) for k, v in payload.items()}}
    try:
        process = subprocess.Popen(  # a user-configured shell command is the point of the hook
            command,
            shell=True,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, so a timeout kills what the shell started too
        )
    except OSError as exc:
        return HookResult(False, f"could not run: {exc}")
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return HookResult(False, f"timed out after {timeout:g}s")
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        return HookResult(False, f"exit code {done.returncode}{': ' + tail[0] if tail[0] else ''}")
    return HookResult(True, "exit code 0")


def _post(url: str, timeout: float, payload: Mapping[str, Any]) -> HookResult:
    data = json.dumps(dict(payload), default=str).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return HookResult(False, f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return HookResult(False, f"timed out after {timeout:g}s" if isinstance(reason, TimeoutError) else str(reason))
    return HookResult(200 <= status < 300, f"HTTP {status}")
