"""Content-addressed store of function zips (sha256 → bytes).

With a state file the zips live as ``<state>.code/<sha256>.zip`` beside it, written
once, so the JSON state stays small and restarts keep every version's code.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path


class CodeStore:
    def __init__(self, state_file: Path | None) -> None:
        self._lock = threading.Lock()
        self._blobs: dict[str, bytes] = {}
        self.directory = Path(f"{state_file}.code") if state_file is not None else None

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._blobs[sha] = data
        if self.directory is not None:
            self._write(sha, data)
        return sha

    def _write(self, sha: str, data: bytes) -> None:
        assert self.directory is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{sha}.zip"
        if target.exists():
            return
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def get(self, sha: str) -> bytes | None:
        with self._lock:
            blob = self._blobs.get(sha)
        if blob is None and self.directory is not None:
            path = self.directory / f"{sha}.zip"
            if path.is_file():
                blob = path.read_bytes()
                with self._lock:
                    self._blobs[sha] = blob
        return blob

    def clear(self) -> None:
        with self._lock:
            self._blobs.clear()
