"""Per-instance reporting for concurrent runs: prefixed progress lines, buffered results.

Progress goes to the shared stderr line by line, each line prefixed with the instance name (with
``--json`` the NDJSON events carry an ``instance`` field instead), under one lock so lines from two
threads never interleave mid-line. What an instance would print on stdout (its outputs, a plan, its
info) is buffered and handed back to the runner, which prints it whole or folds it into the JSON
document: stdout stays one readable block per instance.
"""

from __future__ import annotations

import io
import threading
from typing import IO, Any, cast

from component.render import Reporter


class _PrefixedLines(io.TextIOBase):
    def __init__(self, target: IO[str], prefix: str, lock: threading.Lock, scrub: Any) -> None:
        self._target, self._prefix, self._lock, self._scrub = target, prefix, lock, scrub
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        if lines:
            block = "".join(f"{self._prefix}{line}\n" for line in lines)
            with self._lock:
                self._target.write(self._scrub(block))
                self._target.flush()
        return len(text)

    def flush(self) -> None:
        if self._partial:
            self.write("\n")


class InstanceReporter(Reporter):
    def __init__(self, parent: Reporter, instance: str, lock: threading.Lock, clock: Any) -> None:
        prefix = "" if parent.json_mode else f"{instance}: "
        err = cast(IO[str], _PrefixedLines(parent.err, prefix, lock, parent.scrub))
        super().__init__(json_mode=parent.json_mode, out=io.StringIO(), err=err, clock=clock)
        self.instance = instance

    def event(self, kind: str, **fields: Any) -> None:
        super().event(kind, instance=self.instance, **fields)

    @property
    def buffered(self) -> str:
        out = self.out
        return out.getvalue() if isinstance(out, io.StringIO) else ""
