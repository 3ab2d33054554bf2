"""Remember which inputs passed the schema, so an unchanged project skips jsonschema (#17 start-up).

Importing jsonschema costs about 30 ms of every command's start; validating takes under 1 ms. A
project deployed again without changes has inputs that were already validated, so
:func:`~component.config.validate.check_inputs` asks this cache first and imports jsonschema only
on a miss. Only the schema pass is skipped: the cross-field rules and every check of
``component.config.project`` (limits, names, unresolved variables) still run on every load.

The key is the *content*: an HMAC-SHA256 of the resolved inputs (canonical JSON) and the schema
version (a digest of ``schemas/scf.schema.json``), so any changed value, or a changed schema,
misses and is validated again. Only inputs that validated without a single problem or ignored key
are remembered, in ``.serverless/validated-inputs.json`` (the last :data:`KEEP` of them), and only
once that folder exists (a deploy makes it): loading a project never creates it.

The HMAC key is a random 32 bytes of this user, kept outside every repository
(``$XDG_CACHE_HOME/scf-component/validation.key``, else ``~/.cache/…``, mode 0600): a repository
that ships its own ``.serverless/`` cannot forge an entry that lets invalid inputs skip the schema,
and the file holds no plain digest of inputs that may contain resolved secrets. When the key or the
cache cannot be read or written, everything is simply validated (the cache never causes an error).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from component.resources import data_dir, user_cache_dir

CACHE_FILE = "validated-inputs.json"
KEY_BYTES = 32
KEEP = 32


@cache
def schema_version() -> str:
    """A digest of the installed inputs schema: any edit to it invalidates every cache entry."""
    return hashlib.sha256((data_dir("schemas") / "scf.schema.json").read_bytes()).hexdigest()


def user_key_file() -> Path:
    return user_cache_dir() / "validation.key"


@dataclass(frozen=True)
class ValidationCache:
    folder: Path  # the project's .serverless/
    key_file: Path  # this user's random key, outside every repository
    schema: str  # the schema version the entries were validated against

    @classmethod
    def for_project(cls, folder: Path) -> ValidationCache:
        return cls(folder, user_key_file(), schema_version())

    def digest(self, inputs: Any) -> str | None:
        """The key of *inputs* under this schema, or None when caching is not possible."""
        key = _read_or_create_key(self.key_file)
        if key is None:
            return None
        try:
            text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return None
        return hmac.new(key, f"{self.schema}\n{text}".encode(), hashlib.sha256).hexdigest()

    def known(self, digest: str) -> bool:
        return digest in self._entries()

    def remember(self, digest: str) -> None:
        entries = [*[d for d in self._entries() if d != digest][-(KEEP - 1):], digest]
        path = self.folder / CACHE_FILE
        temp = path.with_name(f".{CACHE_FILE}.{os.getpid()}")
        if not self.folder.is_dir():  # loading a project creates nothing: the first deploy makes the folder
            return
        with contextlib.suppress(OSError):
            temp.write_text(json.dumps({"schema": self.schema, "valid": entries}), encoding="utf-8")
            os.replace(temp, path)

    def _entries(self) -> list[str]:
        try:
            data = json.loads((self.folder / CACHE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        if not isinstance(data, dict) or data.get("schema") != self.schema or not isinstance(data.get("valid"), list):
            return []
        return [d for d in data["valid"] if isinstance(d, str)]


def user_key() -> bytes | None:
    """This user's random key (made on first use), None when it cannot be read or made."""
    return _read_or_create_key(user_key_file())


def _read_or_create_key(path: Path) -> bytes | None:
    key: bytes | None
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _create_key(path)
    except OSError:
        return None
    return key if key is not None and len(key) >= KEY_BYTES else None


def _create_key(path: Path) -> bytes | None:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        with contextlib.suppress(OSError):
            return path.read_bytes()
        return None
    except OSError:
        return None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
