"""Entities held by the backend: namespaces, functions, versions, aliases, triggers.

Plain dataclasses so that state persistence is ``asdict`` one way and keyword
construction the other.  A published :class:`Version` owns a *copy* of the
:class:`FunctionConfig` of ``$LATEST`` at publish time (code sha included), which is what
makes versions immutable snapshots.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

LATEST = "$LATEST"
DEFAULT_ALIAS = "$DEFAULT"
BUSY_STATUSES = frozenset({"Creating", "Updating", "Publishing", "Deleting"})


@dataclass
class FunctionConfig:
    handler: str = "index.main_handler"
    runtime: str = "Python2.7"
    memory_size: int = 128
    timeout: int = 3
    init_timeout: int = 65
    description: str = ""
    environment: list[dict[str, str]] = field(default_factory=list)
    role: str = ""
    type: str = "Event"
    code_sha256: str = ""
    code_size: int = 0
    cos_ref: str = ""
    layers: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)
    vpc_config: dict[str, str] = field(default_factory=lambda: {"VpcId": "", "SubnetId": ""})
    public_net_config: dict[str, Any] = field(
        default_factory=lambda: {"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "DISABLE", "EipAddress": []}}
    )
    extra: dict[str, Any] = field(default_factory=dict)  # pass-through settings (CLS, L5, dead letter, CFS…)

    def copy(self) -> FunctionConfig:
        return replace(
            self,
            environment=[dict(e) for e in self.environment],
            layers=[dict(x) for x in self.layers],
            tags=[dict(t) for t in self.tags],
            vpc_config=dict(self.vpc_config),
            public_net_config=dict(self.public_net_config),
            extra=dict(self.extra),
        )


@dataclass
class Version:
    version: str
    config: FunctionConfig
    description: str
    add_time: float
    mod_time: float
    status: str = "Active"


@dataclass
class Alias:
    name: str
    function_version: str
    description: str
    add_time: float
    mod_time: float
    weights: list[dict[str, Any]] = field(default_factory=list)
    matchs: list[dict[str, str]] = field(default_factory=list)

    def versions(self) -> set[str]:
        extra = {str(w["Version"]) for w in self.weights} | {str(m["Version"]) for m in self.matchs}
        return {self.function_version} | extra


@dataclass
class Trigger:
    name: str
    type: str
    desc: str
    qualifier: str
    enable: str
    custom_argument: str
    description: str
    add_time: float
    mod_time: float


@dataclass
class Function:
    name: str
    namespace: str
    function_id: str
    latest: FunctionConfig
    add_time: float
    mod_time: float
    status: str = "Active"
    status_desc: str = ""
    status_reasons: list[dict[str, str]] = field(default_factory=list)
    ready_at: float | None = None  # monotonic deadline of the current transition
    final_status: str = "Active"
    final_reasons: list[dict[str, str]] = field(default_factory=list)
    pending_version: str | None = None
    next_version: int = 1
    versions: dict[str, Version] = field(default_factory=dict)
    aliases: dict[str, Alias] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)  # async retry, provisioned concurrency (function_settings)

    @property
    def busy(self) -> bool:
        return self.status in BUSY_STATUSES

    def config_for(self, qualifier: str) -> FunctionConfig | None:
        if qualifier == LATEST:
            return self.latest
        version = self.versions.get(qualifier)
        return version.config if version else None


@dataclass
class Namespace:
    name: str
    description: str
    add_time: float
    mod_time: float
    functions: dict[str, Function] = field(default_factory=dict)


def function_to_dict(fn: Function) -> dict[str, Any]:
    return asdict(fn)


def function_from_dict(data: dict[str, Any]) -> Function:
    raw = dict(data)
    raw["latest"] = FunctionConfig(**raw["latest"])
    raw["versions"] = {k: Version(**{**v, "config": FunctionConfig(**v["config"])}) for k, v in raw["versions"].items()}
    raw["aliases"] = {k: Alias(**v) for k, v in raw["aliases"].items()}
    raw["triggers"] = {k: Trigger(**v) for k, v in raw["triggers"].items()}
    return Function(**raw)
