"""A read-only snapshot of what the cloud holds for one function.

The planner needs: the function (after any in-flight transition settled), the hash of the code on
``$LATEST``, the published versions, and the alias being released. Reading them in one place keeps the
planner pure and makes the number of read calls easy to see: ``GetFunction`` first (the rest depends
on the function existing), then at once ``ListVersionByFunction``, ``GetAlias``, the settings the user
set and ``ListTriggers`` (paged; skipped under ``ignoreTriggers`` or when GetFunction's ``Triggers``
says there are none), so the reads cost two round trips whatever their number.
``GetFunctionAddress`` (the code hash) is read with them, or not at all when the versions already prove
what ``$LATEST`` holds or its size proves it changed (:mod:`component.deploy.latest_code`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from component.cloud.api import AliasInfo, ScfApi, TriggerInfo, VersionInfo
from component.cloud.fanout import Read, gather
from component.deploy.extras import RemoteExtras, read_extras
from component.deploy.instructions import CodeRef
from component.deploy.latest_code import may_prove, proven_changed, proven_sha256
from component.deploy.spec import DeploySpec, LocalCode
from component.deploy.waiter import Waiter


@dataclass(frozen=True)
class RemoteSnapshot:
    function: dict[str, Any] | None
    code_sha256: str | None = None
    versions: tuple[VersionInfo, ...] = ()
    alias: AliasInfo | None = None  # the alias this deploy releases to
    triggers: tuple[TriggerInfo, ...] = ()  # every trigger of the function, all qualifiers
    extras: RemoteExtras = field(default_factory=RemoteExtras)  # what the user set of them, else empty

    @property
    def exists(self) -> bool:
        return self.function is not None

    @property
    def newest(self) -> VersionInfo | None:
        numbered = [v for v in self.versions if v.version.isdigit()]
        return max(numbered, key=lambda v: int(v.version)) if numbered else None

    def next_version(self) -> str:
        newest = self.newest
        return str(int(newest.version) + 1) if newest else "1"


def read_remote(api: ScfApi, waiter: Waiter, spec: DeploySpec, code: CodeRef | None = None) -> RemoteSnapshot:
    name = spec.function.name
    function = waiter.until_settled(name)
    if function is None or function.get("Status") == "CreateFailed":
        return RemoteSnapshot(function=function)
    zipped = isinstance(spec.function.code, LocalCode)
    package = code if code is not None and code.sha256 else None
    changed = package is not None and proven_changed(function, package.size, waiter.history.facts)
    hash_now = zipped and not changed and (package is None or not may_prove(function, package.size))
    reads: list[Read] = [
        lambda: tuple(api.list_versions(name)),
        lambda: api.get_alias(name, spec.release.alias),
        lambda: read_extras(api, name, spec.extras, function),
        lambda: _triggers(api, spec, function),
    ]
    if hash_now:
        reads.append(lambda: api.code_sha256(name))
    versions, alias, extras, triggers, *hashed = gather(*reads)
    code_sha = hashed[0] if hashed else None
    if zipped and not hash_now and not changed and package is not None:
        fingerprint = spec.function.fingerprint(package.identity)
        code_sha = proven_sha256(function, versions, fingerprint, str(package.sha256), package.size)
        code_sha = code_sha or api.code_sha256(name)
    return RemoteSnapshot(function, code_sha, versions, alias, triggers, extras)


def _triggers(api: ScfApi, spec: DeploySpec, function: dict[str, Any]) -> tuple[TriggerInfo, ...]:
    if spec.ignore_triggers:
        return ()
    if function.get("Triggers") == []:  # GetFunction lists the triggers: none, so nothing to page through
        return ()
    return tuple(api.list_triggers(spec.function.name))
