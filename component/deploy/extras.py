"""Function settings applied through their own actions: async retry (``msgTTL``/``retryNum``),
provisioned concurrency (``provisionedNum``/``qualifier``) and tags on update, as the Node component
applies them.

* Async retry (tencent-component-toolkit ``scf/index.ts``): only when ``asyncRunEnable`` is true,
  ``UpdateFunctionEventInvokeConfig`` with ``MsgTTL: msgTTL || 21600`` and ``RetryNum: retryNum ?? 2``.
  Without ``asyncRunEnable`` the Node component sends nothing; we do the same and say so in a warning.
* Provisioned concurrency (component ``serverless.js``): on the version ``qualifier`` names, else on the
  version this deploy publishes. The Node component publishes a version on every deploy for it; here
  ``provisionedNum`` implies ``publish: true``, so a version is published only when ``$LATEST`` differs
  from the newest one (the usual fingerprint rule) and an unchanged redeploy publishes nothing.

* Tags: given at creation in ``CreateFunction.Tags``; on an existing function compared with
  ``GetFunction.Tags`` and reconciled through the Tag API (toolkit ``tag/index.ts``: detach removed keys,
  attach new ones; a changed value is modified in place). ``tags`` absent leaves the tags alone;
  ``tags: {}`` removes them all, as in the Node component.

Each is read only when the user set it (``GetFunctionEventInvokeConfig``,
``GetProvisionedConcurrencyConfig``) and written only when the cloud differs: an unchanged redeploy
makes no write. Pure planning here; :func:`extras_handlers` plugs the writes into the executor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from component.cloud.api import AsyncRetry, ScfApi
from component.deploy.instructions import (
    NEW_VERSION,
    Instruction,
    PutProvisionedConcurrency,
    UpdateAsyncRetry,
    UpdateTags,
)
from component.errors import ConfigError, Problem
from component.progress import Progress
from component.records import Frozen

DEFAULT_MSG_TTL = 21600
DEFAULT_RETRY_NUM = 2
DEFAULT_DISK_SIZE = 512  # MB: what every function has (the Node toolkit sends it when diskSize is unset)


@dataclass(frozen=True, eq=False, repr=False)
class Extras(Frozen):
    async_retry: AsyncRetry | None = None
    provisioned: int | None = None
    provisioned_qualifier: str | None = None
    tags: tuple[tuple[str, str], ...] | None = None  # None: tags not managed (input absent)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class RemoteExtras(Frozen):
    async_retry: AsyncRetry | None = None  # None: not read (not wanted, or the function is new)
    provisioned: Mapping[str, int] = field(default_factory=dict)
    tags: tuple[tuple[str, str], ...] | None = None  # GetFunction.Tags; None for a function not there yet


def build_extras(inputs: Mapping[str, Any]) -> Extras:
    warnings: list[str] = []
    retry = None
    if inputs.get("asyncRunEnable"):
        ttl = inputs.get("msgTTL") or DEFAULT_MSG_TTL
        num = inputs.get("retryNum")
        retry = AsyncRetry(int(ttl), DEFAULT_RETRY_NUM if num is None else int(num))
    elif inputs.get("msgTTL") is not None or inputs.get("retryNum") is not None:
        warnings.append(
            "msgTTL/retryNum are not applied: they configure async-run functions (asyncRunEnable: true), "
            "and like the Node component nothing is sent without it"
        )
    src = inputs.get("src")
    if isinstance(src, Mapping) and src.get("bucket") and not src.get("object"):
        warnings.append(
            f"src.bucket {src['bucket']} is not used: the code package is sent inline (ZipFile) instead of being "
            "uploaded to your bucket first; the function gets the same code (use src: {bucket, object} to deploy "
            "a zip that is already in COS)"
        )
    warnings += concurrency_fields(inputs)[1]
    count = inputs.get("provisionedNum")
    qualifier = inputs.get("qualifier")
    return Extras(
        async_retry=retry,
        provisioned=None if count is None else int(count),
        provisioned_qualifier=None if qualifier in (None, "") else str(qualifier),
        tags=None if inputs.get("tags") is None else tag_pairs(inputs["tags"]),
        warnings=tuple(warnings),
    )


def protocol_fields(inputs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """WebSocket web functions (toolkit ``utils.ts``): ``ProtocolType`` at creation only, ``ProtocolParams``
    (``WSParams.IdleTimeOut``, when set) on create and update. Returns (create-only, configuration)."""
    kind = inputs.get("protocolType")
    idle = ((inputs.get("protocolParams") or {}).get("wsParams") or {}).get("idleTimeOut")
    if not kind:
        if idle:
            _refuse("inputs.protocolParams", "applies to WebSocket functions only", "add protocolType: WS")
        return {}, {}
    if inputs.get("type") != "web":
        _refuse("inputs.protocolType", "protocolType WS needs a web function", "add type: web (SCF has WebSocket "
                "support for web functions only)")
    config = {"ProtocolParams": {"WSParams": {"IdleTimeOut": int(idle)}}} if idle else {}
    return {"ProtocolType": str(kind)}, config


def concurrency_fields(inputs: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``instanceConcurrencyConfig`` (toolkit 2.27.1+, web functions): ``InstanceConcurrencyConfig`` with
    ``DynamicEnabled`` TRUE/FALSE and ``MaxConcurrency`` (default 2), on create and update. Returns the
    configuration fields and warnings (an event function gets nothing, as from the Node toolkit)."""
    wanted = inputs.get("instanceConcurrencyConfig")
    if not wanted:
        return {}, []
    if inputs.get("type") != "web":
        return {}, ["instanceConcurrencyConfig is not applied: it configures web functions (type: web), and like "
                    "the Node toolkit nothing is sent for an event function"]
    config = {"DynamicEnabled": "TRUE" if wanted.get("dynamicEnabled") else "FALSE",
              "MaxConcurrency": int(wanted.get("maxConcurrency") or 2)}
    return {"InstanceConcurrencyConfig": config}, []


def check_unsendable(inputs: Mapping[str, Any]) -> None:
    """``nodeType``/``nodeSpec`` (GPU functions) have no field in the SDK's CreateFunction model: refused."""
    for key in ("nodeType", "nodeSpec"):
        if inputs.get(key):
            _refuse(
                f"inputs.{key}",
                f"{key} cannot be applied: the SCF API 3.0 CreateFunction has no {key[0].upper() + key[1:]} field "
                "(the Node toolkit sends it through a legacy interface)",
                f"remove {key}",
            )


def check_disk_size(inputs: Mapping[str, Any]) -> None:
    """``diskSize`` has no field in the SCF API 3.0 (the SDK's CreateFunction/UpdateFunctionConfiguration models
    have no DiskSize): only the size every function already has can be honoured."""
    size = inputs.get("diskSize")
    if size is not None and size != DEFAULT_DISK_SIZE:
        _refuse(
            "inputs.diskSize",
            f"diskSize {size} cannot be applied: the SCF API 3.0 has no DiskSize field (the Node toolkit sends it "
            "through a legacy interface), so every function keeps the default 512 MB",
            "remove diskSize (or set it to 512)",
        )


def _refuse(path: str, message: str, hint: str) -> None:
    raise ConfigError(Problem(path=path, message=message, hint=hint))


def implies_publish(inputs: Mapping[str, Any]) -> bool:
    """``provisionedNum`` without ``qualifier`` needs the version this deploy publishes."""
    return inputs.get("provisionedNum") is not None and inputs.get("qualifier") in (None, "")


def tag_pairs(tags: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), _tag_value(v)) for k, v in tags.items()))


def _tag_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_extras(api: ScfApi, name: str, extras: Extras, function: Mapping[str, Any]) -> RemoteExtras:
    retry = api.async_retry(name) if extras.async_retry else None
    provisioned = api.provisioned(name) if extras.provisioned is not None else {}
    tags = tuple(sorted((str(t.get("Key")), str(t.get("Value"))) for t in function.get("Tags") or []))
    return RemoteExtras(retry, provisioned, tags)


def plan_extras(
    name: str, region: str, extras: Extras, remote: RemoteExtras, candidate: str | None
) -> tuple[list[Instruction], list[str]]:
    steps: list[Instruction] = []
    if extras.tags is not None and remote.tags is not None and extras.tags != remote.tags:
        steps.append(UpdateTags(name, region, extras.tags, remote.tags))
    warnings = list(extras.warnings)
    if extras.async_retry and extras.async_retry != remote.async_retry:
        steps.append(UpdateAsyncRetry(name, extras.async_retry, remote.async_retry))
    if extras.provisioned is not None:
        qualifier = extras.provisioned_qualifier or candidate
        before = None if qualifier in (None, NEW_VERSION) else remote.provisioned.get(str(qualifier))
        if qualifier is None:
            warnings.append("provisionedNum is not applied: there is no published version to provision")
        elif (before or 0) != extras.provisioned:
            steps.append(PutProvisionedConcurrency(name, qualifier, extras.provisioned, before))
    return steps, warnings


def extras_handlers(
    api: ScfApi, reporter: Progress, resolve: Callable[[str], str]
) -> dict[type, Callable[[Any], None]]:
    """Executor entries for the instructions planned here."""

    def update_async_retry(step: UpdateAsyncRetry) -> None:
        reporter.step(f"setting async retry of {step.function}: {_retry(step.target)}")
        api.update_async_retry(step.function, step.target)

    def put_provisioned(step: PutProvisionedConcurrency) -> None:
        version = resolve(step.qualifier)
        reporter.step(f"setting provisioned concurrency of {step.function} version {version} to {step.count}")
        api.put_provisioned(step.function, version, step.count)

    def update_tags(step: UpdateTags) -> None:
        reporter.step(f"updating tags of {step.function}: {_tags(step.before)} → {_tags(step.target)}")
        api.set_tags(step.function, step.region, dict(step.target), dict(step.before))

    return {UpdateAsyncRetry: update_async_retry, PutProvisionedConcurrency: put_provisioned, UpdateTags: update_tags}


def _tags(pairs: tuple[tuple[str, str], ...]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _retry(retry: AsyncRetry | None) -> str:
    return "(default)" if retry is None else f"msgTTL {retry.msg_ttl} s, retryNum {retry.retry_num}"


def _qualifier(qualifier: str) -> str:
    return "new version" if qualifier == NEW_VERSION else f"version {qualifier}"


EXTRAS_DESCRIBERS: dict[type, Callable[[Any], str]] = {
    UpdateAsyncRetry: lambda s: (
        f"UpdateFunctionEventInvokeConfig {s.function} ({_retry(s.before)} → {_retry(s.target)})"
    ),
    UpdateTags: lambda s: f"UpdateTags {s.function} ({_tags(s.before)} → {_tags(s.target)})",
    PutProvisionedConcurrency: lambda s: (
        f"PutProvisionedConcurrencyConfig {s.function} {_qualifier(s.qualifier)}: "
        f"{0 if s.before is None else s.before} → {s.count}"
    ),
}
