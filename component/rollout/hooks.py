"""Pre- and post-step gates: a shell command (exit 0 passes) or an HTTP URL (2xx passes).

Every hook has a timeout, because a hanging gate is the classic way a rollout gets stuck; a hook
that times out, cannot start or answers badly fails, and a failing hook aborts the rollout (the
runner then moves all traffic back to the stable version). The step's state is passed to commands
as ``SCF_ROLLOUT_*`` environment variables and to URLs as a JSON POST body. Commands get only those
and a few variables to find programs and the network (:data:`PASSED_VARIABLES`), never the cloud
keys; a hook that leaves a helper running in the background and exits 0 passes.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.rollout.model import Hook

TAIL_BYTES = 4096  # of a failing hook's output, whose last line is the reason


@dataclass(frozen=True)
class HookResult:
    ok: bool
    detail: str


def run_hook(hook: Hook, payload: Mapping[str, Any], cwd: Path) -> HookResult:
    if hook.command is not None:
        return _run_command(hook.command, hook.timeout, payload, cwd)
    return _post(str(hook.url), hook.timeout, payload)


# What a command hook inherits from the deployer's environment: enough to find programs, write temp
# files and reach the network through a proxy, never the cloud keys or tokens (SECURITY.md).
PASSED_VARIABLES = frozenset(
    {"PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM"}
    | {"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"}
)


def hook_environment(environ: Mapping[str, str], payload: Mapping[str, Any]) -> dict[str, str]:
    """The variables a command hook gets: :data:`PASSED_VARIABLES` and the step as ``SCF_ROLLOUT_*``."""
    env = {k: v for k, v in environ.items() if k in PASSED_VARIABLES}
    env.update({f"SCF_ROLLOUT_{k.upper()}": str(v) for k, v in payload.items()})
    return env


def _run_command(command: str, timeout: float, payload: Mapping[str, Any], cwd: Path) -> HookResult:
    """Run ``command`` in its own process group; its exit status decides, within ``timeout``.

    Output goes to a temporary file, not a pipe: a helper the hook leaves running in the background
    keeps a pipe open, so waiting for the pipe's end would report a hook that exited 0 as timed out,
    and a timeout would wait for the helper forever. Only the shell's own exit is waited for; on a
    timeout the whole group is killed.
    """
    with tempfile.TemporaryFile() as output:
        try:
            process = subprocess.Popen(  # a user-configured shell command is the point of the hook
                command,
                shell=True,
                cwd=cwd,
                env=hook_environment(os.environ, payload),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                start_new_session=True,  # its own process group: a timeout kills what the shell started too
            )
        except OSError as exc:
            return HookResult(False, f"could not run: {exc}")
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return HookResult(False, f"timed out after {timeout:g}s")
        size = output.seek(0, os.SEEK_END)
        output.seek(max(0, size - TAIL_BYTES))
        tail = output.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    if code != 0:
        return HookResult(False, f"exit code {code}{': ' + tail[0] if tail[0] else ''}")
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
