"""Remember what a YAML file parsed to, so an unchanged ``serverless.yml`` skips PyYAML (#17 start-up).

Importing PyYAML costs ≈9 ms of every command's start; a project deployed again has the same
``serverless.yml`` as last time. So ``component.config.yamlfile.load_yaml`` asks here first: the last
parse of each file name is kept in the project's ``.serverless/parsed-yaml.json`` (only once that
folder exists: a deploy makes it, loading a project never does), with the parsed data and line map.

An entry is used only if its MAC verifies: an HMAC-SHA256, under this user's random key
(``component.config.validcache``: outside every repository, mode 0600), of the parser's own source
(any change to what ``yamlparse`` accepts invalidates every entry), the file name, the file's whole
text as read now and the stored result. A repository that ships its own ``.serverless/`` cannot
forge an entry, and a changed file, a changed result or another parser version simply misses and is
parsed again with every check. Only results that survive a JSON round trip unchanged are kept, and
the cache never causes an error: anything unreadable is a miss, anything unwritable is skipped. An
entry holds what the file holds, before variables are resolved: no environment value, no secret.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

CACHE_FILE = "parsed-yaml.json"

Parsed = tuple[Any, dict[str, int]]


@cache
def parser_version() -> str:
    """A digest of the parser's source (``yamlfile`` holds its bounds, ``yamlparse`` its checks)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    with contextlib.suppress(OSError):
        for name in ("yamlfile.py", "yamlparse.py"):
            digest.update((here / name).read_bytes())
        return digest.hexdigest()
    return ""


def lookup(file: Path, text: str) -> Parsed | None:
    """What *text* (the content of *file*) parsed to last time, or None."""
    entry = _entries(file).get(file.name)
    if not isinstance(entry, dict) or not isinstance(entry.get("mac"), str) or not isinstance(entry.get("lines"), dict):
        return None
    result: Parsed = entry.get("data"), entry["lines"]
    expected = _mac(file, text, result)
    return result if expected is not None and hmac.compare_digest(expected, entry["mac"]) else None


def remember(file: Path, text: str, parsed: Parsed) -> None:
    folder = file.parent / ".serverless"
    if not folder.is_dir():  # loading a project creates nothing: the first deploy makes the folder
        return
    try:
        if json.loads(json.dumps(list(parsed))) != list(parsed):  # NaN, or anything JSON would change
            return
    except (TypeError, ValueError):
        return
    mac = _mac(file, text, parsed)
    if mac is None:
        return
    entries = {**_entries(file), file.name: {"mac": mac, "data": parsed[0], "lines": parsed[1]}}
    temp = folder / f".{CACHE_FILE}.{os.getpid()}"
    with contextlib.suppress(OSError):
        temp.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(temp, folder / CACHE_FILE)


def _mac(file: Path, text: str, parsed: Parsed) -> str | None:
    from component.config.validcache import user_key

    key = user_key()
    version = parser_version()
    if key is None or not version:
        return None
    result = json.dumps(list(parsed), sort_keys=True, separators=(",", ":"))
    message = "\n".join((version, file.name, str(len(text)), text, result))
    return hmac.new(key, message.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _entries(file: Path) -> dict[str, Any]:
    try:
        data = json.loads((file.parent / ".serverless" / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
