"""The fingerprint marker a published version carries in its description: ``[scf:<16 hex>]``.

The marker is how a deploy recognises a version it (or an earlier run) published from the same code and
configuration, so a re-run never publishes twice (``component.deploy.planner``) and an unchanged
``$LATEST`` needs no hash read (``component.deploy.latest_code``).
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"\[scf:([0-9a-f]{16})\]")


def version_marker(fingerprint: str) -> str:
    return f"[scf:{fingerprint}]"


def marker_of(description: str) -> str | None:
    found = _MARKER.search(description)
    return found.group(1) if found else None
