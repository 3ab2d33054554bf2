"""A read-only snapshot of what the cloud holds for one function.

The planner needs: the function (after any in-flight transition settled), the hash of the code on
``$LATEST``, the published versions, and the alias being released. Reading them in one place keeps the
planner pure and makes the number of read calls easy to see: at most GetFunction, GetFunctionAddress,
ListVersionByFunction, GetAlias, and ListTriggers (paged) unless ``ignoreTriggers``, skipped when
GetFunction's ``Triggers`` already says the function has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from component.cloud.api import AliasInfo, ScfApi, TriggerInfo, VersionInfo
from component.deploy.extras import RemoteExtras, read_extras
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


def read_remote(api: ScfApi, waiter: Waiter, spec: DeploySpec) -> RemoteSnapshot:
    name = spec.function.name
    function = waiter.until_settled(name)
    if function is None or function.get("Status") == "CreateFailed":
        return RemoteSnapshot(function=function)
    versions = tuple(api.list_versions(name))
    code_sha = api.code_sha256(name) if isinstance(spec.function.code, LocalCode) else None
    alias = api.get_alias(name, spec.release.alias)
    extras = read_extras(api, name, spec.extras, function)
    return RemoteSnapshot(function, code_sha, versions, alias, _triggers(api, spec, function), extras)


def _triggers(api: ScfApi, spec: DeploySpec, function: dict[str, Any]) -> tuple[TriggerInfo, ...]:
    if spec.ignore_triggers:
        return ()
    if function.get("Triggers") == []:  # GetFunction lists the triggers: none, so nothing to page through
        return ()
    return tuple(api.list_triggers(spec.function.name))

