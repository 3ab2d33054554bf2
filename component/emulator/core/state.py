"""Persistence of the backend to a JSON state file (``--state FILE``).

Written after every mutating call and on stop, atomically: a temporary file in the same
directory followed by ``os.replace``, so a crash never leaves a half-written state.
Zips are not in the JSON; the code store keeps them in ``<state>.code/<sha256>.zip``.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any


class StateFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def load(self) -> dict[str, Any] | None:
        if not self.path.is_file():
            return None
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None

    def save(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
