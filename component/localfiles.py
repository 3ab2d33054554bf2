"""Files written on the build machine once the cloud has changed: the outputs file, the step summary.

By then the deploy is done, so a file that cannot be written (``.serverless`` is a file, the outputs
path is a directory, a read-only checkout, ``GITHUB_STEP_SUMMARY`` naming a directory) must not end in
a traceback or look like a failed deploy. Each helper here turns the ``OSError`` into a
:class:`~component.errors.LocalWriteError` naming the file and the reason; the command warns and goes
on (:func:`not_written`), and :func:`conclude` ends it with exit 5 once the result is printed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Protocol

from component.errors import LocalWriteError


class Warner(Protocol):
    unwritten: list[str]

    def warn(self, message: str) -> None: ...


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def write_atomic(path: Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace`` (never half a file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise LocalWriteError(f"could not write {what} {path}: {_reason(exc)}") from None


def append_text(path: str, text: str, what: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise LocalWriteError(f"could not append to {what} {path}: {_reason(exc)}") from None


def remove_file(path: Path, what: str) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise LocalWriteError(f"could not remove {what} {path}: {_reason(exc)}") from None


def not_written(reporter: Warner, error: LocalWriteError) -> None:
    """Warn now and remember it: the command still finishes and prints its result."""
    reporter.warn(str(error))
    reporter.unwritten.append(str(error))


def conclude(reporter: Warner, code: int, done: str) -> int:
    """``code``, or exit 5 when the command succeeded in the cloud but left local files unwritten.

    A worse outcome (a rollout rolled back: 4) keeps its own code; the warnings were printed already.
    """
    if code != 0 or not reporter.unwritten:
        return code
    missing = "; ".join(reporter.unwritten)
    msg = f"{done}; only local files are missing ({missing}): fix the path, nothing needs re-deploying"
    raise LocalWriteError(msg)
