"""The release record kept in the alias description, so it lives in the cloud, not on one machine.

Part of the alias model (the planner writes it; ``component.release`` and ``component.rollout`` read it).

A rollback must go back to the last version that was fully promoted on the alias, and never to one
that was itself rolled back. That history has to be visible to every CI runner, so it is stored with
the alias: its ``Description`` ends with ``scf:`` and a compact JSON object::

    Configured by scf-component scf:{"p":["1","2"],"rb":["3"]}

``p`` lists versions that had 100 % of the alias's traffic (oldest first, at most ``KEEP``), ``rb``
versions that were rolled back. Human text before the marker is kept as it is. ``ro`` (optional) is the
state of a progressive rollout, opaque here and given meaning by ``component.rollout.state``; keeping it
in the same description means each rollout step's UpdateAlias writes weight and state together.
``promote``/``roll_back`` drop it: a manual full promotion or rollback ends any rollout.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from component.qualifiers import LATEST

_MARK = " scf:"
KEEP = 8


@dataclass(frozen=True)
class ReleaseRecord:
    promoted: tuple[str, ...] = ()
    rolled_back: tuple[str, ...] = ()
    text: str = field(default="", compare=False)
    rollout: Mapping[str, Any] | None = field(default=None, hash=False)

    def with_rollout(self, rollout: Mapping[str, Any] | None) -> ReleaseRecord:
        return replace(self, rollout=rollout)

    def promote(self, version: str) -> ReleaseRecord:
        if version == LATEST:
            return self
        promoted = (*[v for v in self.promoted if v != version], version)[-KEEP:]
        rolled_back = tuple(v for v in self.rolled_back if v != version)
        return ReleaseRecord(promoted, rolled_back, self.text)

    def roll_back(self, version: str) -> ReleaseRecord:
        rolled_back = (*[v for v in self.rolled_back if v != version], version)[-KEEP:]
        promoted = tuple(v for v in self.promoted if v != version)
        return ReleaseRecord(promoted, rolled_back, self.text)

    def last_good(self, excluding: str | None = None, among: Collection[str] | None = None) -> str | None:
        """The newest promoted version not rolled back (and, given ``among``, still existing)."""
        for version in reversed(self.promoted):
            if version != excluding and version not in self.rolled_back and (among is None or version in among):
                return version
        return None

    def describe(self) -> str:
        data: dict[str, Any] = {"p": list(self.promoted), "rb": list(self.rolled_back)}
        if self.rollout is not None:
            data["ro"] = dict(self.rollout)
        body = json.dumps(data, separators=(",", ":"))
        return f"{self.text}{_MARK}{body}" if self.text else f"scf:{body}"


def parse_record(description: str) -> ReleaseRecord:
    text, marker, body = description.rpartition("scf:")
    if not marker:
        return ReleaseRecord(text=description)
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return ReleaseRecord(text=description)
    if not isinstance(data, dict):
        return ReleaseRecord(text=description)
    promoted = tuple(str(v) for v in data.get("p") or ())
    rolled_back = tuple(str(v) for v in data.get("rb") or ())
    rollout = data.get("ro")
    return ReleaseRecord(promoted, rolled_back, text.rstrip(), rollout if isinstance(rollout, dict) else None)
