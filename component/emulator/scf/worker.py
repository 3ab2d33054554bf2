"""One long-lived handler process and its line-delimited JSON protocol.

The process is started with its stdout and stderr (fds 1 and 2, inherited by any child it
starts) on a *capture file* that the emulator empties before each invocation and reads into the
Log afterwards; stdin is ``/dev/null`` so a handler reading it cannot eat a request. The protocol
runs on two private pipes whose descriptor numbers are the last two arguments of the command:
requests (``{"event", "context"}``) are read from the first, answers (``{"ok", "result" | "type",
"message", "trace"}``) written to the second, one JSON document per line. The worker scripts for
each runtime are in ``runtimes.py`` (Python) and ``node_worker.js`` (Node.js).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

WORKER_STOP_GRACE = 1.0


class WorkerGone(Exception):
    """The worker exited (or closed its pipe) before answering."""


class WorkerTimeout(Exception):
    """No answer within the function's Timeout."""


def spawn(command: list[str], workdir: Path, env: dict[str, str], capture: Path,
          pass_fds: tuple[int, ...] = ()) -> subprocess.Popen[bytes]:
    """Start ``command`` in its own session with fds 1 and 2 on ``capture`` (truncated)."""
    sink = os.open(capture, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        return subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=sink,
                                stderr=sink, pass_fds=pass_fds, start_new_session=True)
    finally:
        os.close(sink)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process and everything it started in its session, then reap it.

    Only while the process is unreaped: its pid (the session's group id) cannot be reused yet.
    """
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def read_capture(capture: Path, offset: int = 0) -> str:
    """The captured output from ``offset``, ending with a newline when not empty (the Log's next line is END)."""
    try:
        with capture.open("rb") as stream:
            stream.seek(offset)
            text = stream.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return text if not text or text.endswith("\n") else text + "\n"


class Worker:
    """One long-lived handler process; used by one invocation at a time."""

    def __init__(self, command: list[str], workdir: Path, env: dict[str, str], capture: Path) -> None:
        self.capture = capture
        request_in, request_out = os.pipe()
        answer_in, answer_out = os.pipe()
        try:
            self.proc = spawn([*command, str(request_in), str(answer_out)], workdir, env, capture,
                              (request_in, answer_out))
        except OSError:
            for fd in (request_out, answer_in):
                os.close(fd)
            raise
        finally:
            os.close(request_in)
            os.close(answer_out)
        self._requests = os.fdopen(request_out, "wb")
        self._answers = answer_in
        self._buffer = b""

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, event: Any, context: dict[str, Any], timeout: float) -> dict[str, Any]:
        with contextlib.suppress(OSError):
            os.truncate(self.capture, 0)
        line = json.dumps({"event": event, "context": context}) + "\n"
        try:
            self._requests.write(line.encode())
            self._requests.flush()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise WorkerGone from exc
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerTimeout
            ready, _, _ = select.select([self._answers], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._answers, 65536)
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
        return read_capture(self.capture)

    def stop(self, grace: float = WORKER_STOP_GRACE) -> None:
        """Close the request pipe (the worker's loop ends) and reap it; kill it if it lingers."""
        if self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                self._requests.close()
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                kill_group(self.proc)
        self._close_pipes()
        self.capture.unlink(missing_ok=True)

    def kill(self) -> None:
        kill_group(self.proc)
        self._close_pipes()

    def _close_pipes(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._requests.close()
        if self._answers >= 0:
            with contextlib.suppress(OSError):
                os.close(self._answers)
            self._answers = -1
