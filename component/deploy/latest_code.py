"""What code ``$LATEST`` holds, read only when the cloud has not already shown it.

``GetFunction`` returns no code hash; only ``GetFunctionAddress`` does. Reading it on every deploy is
one call more than an unchanged redeploy needs (issue #17), so the read is skipped when the snapshot
already proves what ``$LATEST`` holds:

* the newest published version (``Active``) carries this deploy's fingerprint (code + configuration,
  ``[scf:…]`` in its description), so it froze exactly this package;
* ``$LATEST`` was last modified in an earlier second than the one that version was published in
  (``ModTime`` < ``AddTime``), so ``$LATEST`` still holds what the version froze. The times have a
  one-second resolution: within the same second a write after the publication cannot be told from
  one before it (another job's package of the same zip size written right after our publication would
  pass: about one one-character edit in twenty keeps the size), so a tie reads the hash. SCF's updates
  take seconds, so the tie is rare against the cloud; with the emulator's sub-second transitions it
  is common;
* and ``$LATEST``'s ``CodeSize`` is the package's zip size, which also stops a version whose
  fingerprint lies (#19: a deploy killed between publishing and verifying) unless its code has
  exactly the same size.

The other way round, a ``CodeSize`` other than the package's proves the code changed, but only in a
cloud that has shown its ``CodeSize`` is the uploaded zip's size (:data:`SIZE_IS_ZIP`, learned from this
project's own uploads: after a create or code update the cloud's ``CodeSize`` is compared with the zip
sent). Then the code is uploaded without reading the old hash. A cloud that reports something else
never turns the rule on, and the hash is read.

Anything short of that (no version, another fingerprint, a later change, a COS or image source, an
unfamiliar time format) reads ``GetFunctionAddress`` as before. A wrong "unchanged" would skip an
upload, hence the three conditions; a wrong "changed" costs one upload that changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from component.cloud.api import VersionInfo
from component.deploy.markers import marker_of

_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def proven_sha256(
    latest: Mapping[str, Any], versions: Iterable[VersionInfo], fingerprint: str, sha256: str, size: int
) -> str | None:
    """``sha256`` when the snapshot proves ``$LATEST`` holds that package, else ``None`` (read it)."""
    usable = [v for v in versions if v.version.isdigit() and v.status == "Active"]
    if not usable or latest.get("Status") != "Active":
        return None
    newest = max(usable, key=lambda v: int(v.version))
    modified = str(latest.get("ModTime") or "")
    if marker_of(newest.description) != fingerprint:
        return None
    if not (_STAMP.fullmatch(modified) and _STAMP.fullmatch(newest.added)) or modified >= newest.added:
        return None
    return sha256 if latest.get("CodeSize") == size else None


SIZE_IS_ZIP = "codeSizeIsZipSize"  # the fact's name in the transition history's facts


def proven_changed(latest: Mapping[str, Any], size: int, facts: Mapping[str, bool]) -> bool:
    """Whether ``$LATEST``'s ``CodeSize`` proves it holds other code than a package of ``size`` bytes."""
    found = latest.get("CodeSize")
    return facts.get(SIZE_IS_ZIP) is True and isinstance(found, int) and found != size


def size_evidence(body: Mapping[str, Any], size: int) -> bool | None:
    """What a body read right after uploading ``size`` bytes says about :data:`SIZE_IS_ZIP` (None: nothing)."""
    found = body.get("CodeSize")
    return found == size if isinstance(found, int) and size > 0 else None


def may_prove(latest: Mapping[str, Any], size: int) -> bool:
    """Whether a proof is possible at all, before the versions are read: the sizes must agree.

    When they do not, the hash is read at once, alongside the other reads, instead of after them.
    """
    return latest.get("Status") == "Active" and latest.get("CodeSize") == size
