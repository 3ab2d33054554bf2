"""Desired state: what the user's inputs say the function and its alias should be.

Built once from validated inputs with the Node component's defaults (tencent-scf-component.md §1), then
never mutated. The planner compares it with what the cloud holds. ``config`` holds the
UpdateFunctionConfiguration fields in the API's own shape, so comparing with ``GetFunction`` and
sending the difference need no translation table at plan time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from component.cloud.api import TriggerInfo
from component.deploy.explicit_alias import ExplicitRouting, explicit_routing
from component.deploy.extras import (
    Extras,
    build_extras,
    check_disk_size,
    check_unsendable,
    concurrency_fields,
    implies_publish,
    protocol_fields,
)
from component.deploy.triggers import desired_triggers
from component.qualifiers import DEFAULT_ALIAS
from component.records import Frozen

_HANDLER_DEFAULTS = {"Go": "main", "Java": "example.Hello::mainHandler"}
_WEB_ENTRY_DEFAULTS = {"Nodejs": "app.js", "Python": "app.py", "Php": "hello.php"}


@dataclass(frozen=True, eq=False, repr=False)
class RoutingRule(Frozen):
    key: str  # invoke.headers.<Name>
    method: str  # exact | range
    expression: str


@dataclass(frozen=True, eq=False, repr=False)
class LocalCode(Frozen):
    src: Path  # the folder packaged: ``dist`` when a build hook makes it
    exclude: tuple[str, ...] = ()
    project: Path | None = None  # the folder of serverless.yml: src must stay inside (deploy/prepare.py)
    hook: str | None = None  # ``src.hook``: a shell command run before packaging
    hook_dir: Path | None = None  # where it runs (``src.src``); None: no ``dist``, the hook is ignored


@dataclass(frozen=True, eq=False, repr=False)
class CosSource(Frozen):
    bucket: str
    object: str


@dataclass(frozen=True, eq=False, repr=False)
class ImageSource(Frozen):
    """A container image: ``Code.ImageConfig`` as the API takes it (the Node component's mapping)."""

    config: Mapping[str, str]

    @property
    def uri(self) -> str:
        return str(self.config.get("ImageUri", ""))


@dataclass(frozen=True, eq=False, repr=False)
class FunctionSpec(Frozen):
    name: str
    namespace: str
    region: str
    runtime: str
    handler: str | None
    type: str  # "event" | "web"
    entry_file: str | None
    code: LocalCode | CosSource | ImageSource
    config: Mapping[str, Any]  # UpdateFunctionConfiguration fields the user manages
    create_only: Mapping[str, Any] = field(default_factory=dict)  # applied on CreateFunction only
    tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def api_type(self) -> str:
        return "HTTP" if self.type == "web" else "Event"

    def fingerprint(self, code_sha256: str) -> str:
        """Identity of a deployed snapshot: code + everything a version freezes."""
        material = {"code": code_sha256, "handler": self.handler, "runtime": self.runtime, "config": self.config}
        digest = hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()
        return digest[:16]


@dataclass(frozen=True, eq=False, repr=False)
class ReleaseSpec(Frozen):
    alias: str = DEFAULT_ALIAS
    traffic: float | None = None
    rules: tuple[RoutingRule, ...] = ()
    publish: bool = False
    publish_description: str = "Published by Serverless Component"
    alias_description: str | None = None
    keep_versions: int | None = None
    explicit: ExplicitRouting | None = None  # aliasFunctionVersion / additionalVersionWeights

    @property
    def is_default(self) -> bool:
        return self.alias == DEFAULT_ALIAS


@dataclass(frozen=True, eq=False, repr=False)
class DeploySpec(Frozen):
    function: FunctionSpec
    release: ReleaseSpec
    triggers: tuple[TriggerInfo, ...] = ()  # SCF triggers from ``events`` (apigw excluded)
    ignore_triggers: bool = False
    extras: Extras = field(default_factory=Extras)  # async retry, provisioned concurrency


def build_spec(inputs: Mapping[str, Any], *, root: Path, instance: str, stage: str, app: str) -> DeploySpec:
    """Turn validated inputs into the desired state, applying the Node component's defaults."""
    check_disk_size(inputs)
    check_unsendable(inputs)
    image = inputs.get("image")
    # An image function gets no runtime/handler defaults: the Node component sends them only when set.
    runtime = str(inputs.get("runtime") or ("" if image else "Nodejs10.15"))
    kind = str(inputs.get("type", "event"))
    handler = inputs.get("handler") or (None if image else _default_handler(runtime))
    function = FunctionSpec(
        name=str(inputs.get("name") or f"{instance}-{stage}-{app}"),
        namespace=str(inputs.get("namespace", "default")),
        region=str(inputs.get("region", "ap-guangzhou")),
        runtime=runtime,
        handler=None if kind == "web" or handler is None else str(handler),
        type=kind,
        entry_file=_entry_file(inputs, runtime) if kind == "web" and not image else None,
        code=ImageSource(image_config(image)) if image else _code_source(inputs.get("src"), root),
        config=_config(inputs, app),
        create_only=_create_only(inputs),
        tags={str(k): str(v) for k, v in (inputs.get("tags") or {}).items()},
    )
    return DeploySpec(
        function=function,
        release=_release(inputs),
        triggers=desired_triggers(inputs.get("events"), instance=instance, stage=stage),
        ignore_triggers=bool(inputs.get("ignoreTriggers", False)),
        extras=build_extras(inputs),
    )


def _default_handler(runtime: str) -> str:
    for prefix, handler in _HANDLER_DEFAULTS.items():
        if runtime.startswith(prefix):
            return handler
    return "index.main_handler"


def _entry_file(inputs: Mapping[str, Any], runtime: str) -> str:
    if inputs.get("entryFile"):
        return str(inputs["entryFile"])
    for prefix, entry in _WEB_ENTRY_DEFAULTS.items():
        if runtime.startswith(prefix):
            return entry
    return "app.js"


def image_config(image: Mapping[str, Any]) -> dict[str, str]:
    """The Node component's mapping: a ``registryId`` means an enterprise (TCR) image whatever
    ``imageType`` says; otherwise ``imageType`` (default ``personal``). ``command``/``args`` when set.
    When both ``src`` and ``image`` are given, the image is deployed and ``src`` is not packaged."""
    config = {"ImageType": "enterprise" if image.get("registryId") else str(image.get("imageType") or "personal")}
    config["ImageUri"] = str(image.get("imageUrl") or "")
    for key, api_key in (("registryId", "RegistryId"), ("command", "Command"), ("args", "Args")):
        if image.get(key):
            config[api_key] = str(image[key])
    return config


def _code_source(src: Any, root: Path) -> LocalCode | CosSource:
    if isinstance(src, Mapping):
        if src.get("object"):
            return CosSource(bucket=str(src["bucket"]), object=str(src["object"]))
        folder = _resolve(root, str(src.get("src") or "."))
        exclude = tuple(str(e) for e in src.get("exclude") or ())
        hook = str(src["hook"]) if src.get("hook") else None
        if src.get("dist"):  # as the Node CLI: run the hook in src, package dist
            return LocalCode(_resolve(root, str(src["dist"])), exclude, root, hook, folder if hook else None)
        return LocalCode(folder, exclude, root, hook)
    return LocalCode(_resolve(root, str(src or ".")), project=root)


def _resolve(root: Path, path: str) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else (root / candidate).resolve()


def _config(inputs: Mapping[str, Any], app: str) -> dict[str, Any]:
    variables = (inputs.get("environment") or {}).get("variables") or {}
    config: dict[str, Any] = {
        "Description": str(inputs.get("description") or f"This is a function in {app} application"),
        "Environment": {"Variables": [{"Key": str(k), "Value": _env_value(v)} for k, v in sorted(variables.items())]},
    }
    simple = {"memorySize": "MemorySize", "timeout": "Timeout", "initTimeout": "InitTimeout", "role": "Role"}
    for key, api_key in simple.items():
        if inputs.get(key) is not None:
            config[api_key] = inputs[key]
    vpc = inputs.get("vpcConfig")
    if vpc:
        config["VpcConfig"] = {"VpcId": str(vpc.get("vpcId", "")), "SubnetId": str(vpc.get("subnetId", ""))}
    if inputs.get("layers") is not None:
        config["Layers"] = [
            {"LayerName": str(layer["name"]), "LayerVersion": int(layer["version"])} for layer in inputs["layers"]
        ]
    config.update(_extra_settings(inputs))
    config.update(protocol_fields(inputs)[1])
    config.update(concurrency_fields(inputs)[0])
    if inputs.get("publicAccess") is not None or inputs.get("eip") is not None:
        config["PublicNetConfig"] = {
            "PublicNetStatus": "ENABLE" if inputs.get("publicAccess", True) else "DISABLE",
            "EipConfig": {"EipStatus": "ENABLE" if inputs.get("eip") else "DISABLE"},
        }
    return config


_FLAGS = {"l5Enable": "L5Enable", "traceEnable": "TraceEnable", "installDependency": "InstallDependency"}


def _extra_settings(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """CLS, L5, tracing, dependency install, dead letter and CFS: sent only when the user set them."""
    extra: dict[str, Any] = {}
    for key, api_key in _FLAGS.items():
        if inputs.get(key) is not None:
            extra[api_key] = "TRUE" if inputs[key] else "FALSE"
    cls = inputs.get("cls") or {}
    if cls:
        extra["ClsLogsetId"] = str(cls.get("logsetId", ""))
        extra["ClsTopicId"] = str(cls.get("topicId", ""))
    dead = inputs.get("deadLetter")
    if dead:
        extra["DeadLetterConfig"] = {
            "Type": dead.get("type"),
            "Name": dead.get("name"),
            "FilterType": dead.get("filterType"),
        }
        extra["DeadLetterConfig"] = {k: v for k, v in extra["DeadLetterConfig"].items() if v is not None}
    if inputs.get("cfs"):
        extra["CfsConfig"] = {"CfsInsList": [_cfs(item) for item in inputs["cfs"]]}
    return extra


def _cfs(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "UserId": str(item.get("userId", "10000")),
        "UserGroupId": str(item.get("userGroupId", "10000")),
        "CfsId": str(item.get("cfsId", "")),
        "MountInsId": str(item.get("mountInsId") or item.get("cfsId", "")),  # the toolkit's default
        "LocalMountDir": str(item.get("localMountDir", "")),
        "RemoteMountDir": str(item.get("remoteMountDir", "")),
    }


def _env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _create_only(inputs: Mapping[str, Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = dict(protocol_fields(inputs)[0])  # ProtocolType: creation only
    if inputs.get("asyncRunEnable") is not None:  # the API only takes it at creation, as in the Node component
        defaults["AsyncRunEnable"] = "TRUE" if inputs["asyncRunEnable"] else "FALSE"
    if inputs.get("memorySize") is None:
        defaults["MemorySize"] = 128
    if inputs.get("timeout") is None:
        defaults["Timeout"] = 3
    return defaults


def _release(inputs: Mapping[str, Any]) -> ReleaseSpec:
    rules = tuple(RoutingRule(str(r["key"]), str(r["method"]), str(r["expression"])) for r in inputs.get("rules") or ())
    traffic = inputs.get("traffic")
    return ReleaseSpec(
        alias=str(inputs.get("aliasName") or DEFAULT_ALIAS),
        traffic=None if traffic is None else float(traffic),
        rules=rules,
        publish=bool(inputs.get("publish", False)) or implies_publish(inputs),
        publish_description=str(inputs.get("publishDescription") or "Published by Serverless Component"),
        alias_description=inputs.get("aliasDescription"),
        keep_versions=inputs.get("keepVersions"),
        explicit=explicit_routing(inputs),
    )
