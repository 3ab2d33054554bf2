"""API Gateway triggers (``events: - apigw:``): desired state, remote reading, planning, execution.

The Node component re-applies apigw triggers on every deploy (``CAN_UPDATE_TRIGGER``) and finds its
service through local state. Here the service is found in the cloud (by ``serviceId``, else by
``serviceName``), each API by path + method, and the plan holds only what differs: ``CreateApiService``
when the service is missing, ``CreateApi``/``ModifyApi`` when an API is missing or bound differently,
``ReleaseService`` when an API changed or the stage was never released. A redeploy of the same inputs
therefore writes nothing to API Gateway.

Stages serve the snapshot of the last release, so one API path can be bound to alias ``release`` on
stage ``release``, ``prepub`` on ``prepub`` and ``$DEFAULT`` on ``test`` (the grayscale playbook): each
deploy binds the API to its qualifier and releases only its own stage. The planner simulates the
draft while it walks the events, so several apigw events on one service compose in one plan.
Limitation: the released snapshot of a stage cannot be read, so a stage counts as up to date unless an
API changed in this deploy; redeploying an *earlier* stage's inputs re-binds the API and re-releases
that stage only (other stages keep serving their own snapshot).

What scf-component created is marked (:data:`CREATED_MARKER` in the service and API descriptions), so
``scf remove`` deletes those APIs and those services only, never a service it merely reused.

Trigger sync: apigw events are handled here, not by the generic trigger sync (``CreateTrigger`` /
``DeleteTrigger``); that sync must skip ``apigw`` events and SCF's ``apigw`` trigger entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from component.cloud.api import ScfApi
from component.deploy.autoapi import events_with_default_api
from component.deploy.instructions import (
    ApiBinding,
    CreateApi,
    CreateApiService,
    DeleteApi,
    DeleteApiService,
    Instruction,
    ModifyApi,
    ReleaseService,
    UnReleaseService,
)
from component.deploy.spec import FunctionSpec
from component.errors import ConfigError, Problem
from component.qualifiers import DEFAULT_ALIAS
from component.records import Frozen

CREATED_MARKER = "created by scf-component"
RELEASE_DESC = f"released by scf-component ({CREATED_MARKER})"
API_DESC = f"Serverless API ({CREATED_MARKER})"


# -- desired state -------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False, repr=False)
class GatewaySpec(Frozen):
    service_id: str | None
    service_name: str
    protocol: str  # "http", "https" or "http&https"
    net_types: tuple[str, ...]
    description: str
    environment: str
    endpoints: tuple[ApiBinding, ...]

    @property
    def key(self) -> str:
        return f"id:{self.service_id}" if self.service_id else f"name:{self.service_name}"

    @property
    def protocols(self) -> tuple[str, ...]:
        return tuple(self.protocol.split("&"))


def gateway_specs(inputs: Mapping[str, Any], fn: FunctionSpec) -> tuple[GatewaySpec, ...]:
    """The ``apigw`` events of ``inputs.events``, with the Node component's defaults (§1.1)."""
    found: list[GatewaySpec] = []
    for event in events_with_default_api(inputs):  # autoCreateApi adds the Node component's default API
        body = event.get("apigw") if isinstance(event, Mapping) else None
        if not isinstance(body, Mapping):
            continue
        params = body.get("parameters") or {}
        protocols = [str(p) for p in params.get("protocols") or ["http"]]
        found.append(
            GatewaySpec(
                service_id=str(params["serviceId"]) if params.get("serviceId") else None,
                service_name=str(params.get("serviceName") or body.get("name") or "serverless"),
                protocol="&".join(p for p in ("http", "https") if p in protocols) or "http",
                net_types=tuple(str(n) for n in params.get("netTypes") or ["OUTER"]),
                description=str(params.get("description") or "Serverless service"),
                environment=str(params.get("environment") or "release"),
                endpoints=tuple(_binding(ep, fn) for ep in params.get("endpoints") or ()),
            )
        )
    return tuple(found)


def _binding(ep: Mapping[str, Any], fn: FunctionSpec) -> ApiBinding:
    target = ep.get("function") or {}
    websocket = fn.create_only.get("ProtocolType") == "WS"  # the Node component: WEBSOCKET APIs, GET only
    return ApiBinding(
        path=str(ep.get("path") or "/"),
        method="GET" if websocket else str(ep.get("method") or "GET").upper(),
        protocol="WEBSOCKET" if websocket else "HTTP",
        name=str(ep.get("apiName") or "index"),
        function=fn.name,
        namespace=fn.namespace,
        qualifier=str(target.get("functionQualifier") or DEFAULT_ALIAS),
        integrated=bool(target.get("isIntegratedResponse", False)),
        timeout=int(ep.get("serviceTimeout") or 15),
        enable_cors=bool(ep.get("enableCORS", False)),
        auth_type=str(ep.get("authType") or "NONE"),
        base64=bool(ep.get("isBase64Encoded", False)),
        function_type="HTTP" if str(target.get("type") or fn.type) == "web" else "EVENT",
    )


# -- remote state --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False, repr=False)
class RemoteApi(Frozen):
    api_id: str
    path: str
    method: str
    description: str
    binding: ApiBinding | None  # read with DescribeApi only for the APIs the plan touches

    @property
    def created_by_us(self) -> bool:
        return CREATED_MARKER in self.description


@dataclass(frozen=True, eq=False, repr=False)
class RemoteService(Frozen):
    service_id: str
    name: str
    description: str
    sub_domain: str
    protocol: str
    apis: tuple[RemoteApi, ...]
    released: frozenset[str]

    @property
    def created_by_us(self) -> bool:
        return CREATED_MARKER in self.description

    def api(self, path: str, method: str) -> RemoteApi | None:
        return next((a for a in self.apis if a.path == path and a.method == method), None)


def find_service(api: ScfApi, spec: GatewaySpec) -> str | None:
    """The id of the service ``spec`` names: by id (must exist), else by exact name (oldest first)."""
    if spec.service_id:
        return spec.service_id
    body = api.apigw(
        "DescribeServicesStatus", {"Limit": 100, "Filters": [{"Name": "ServiceName", "Values": [spec.service_name]}]}
    )
    listed = (body.get("Result") or {}).get("ServiceSet") or []
    services = [s for s in listed if s.get("ServiceName") == spec.service_name]
    services.sort(key=lambda s: (CREATED_MARKER not in str(s.get("ServiceDesc") or ""), str(s.get("CreatedTime"))))
    return str(services[0]["ServiceId"]) if services else None


def read_service(api: ScfApi, service_id: str, wanted: Callable[[RemoteApi], bool]) -> RemoteService:
    """DescribeService + DescribeApisStatus + DescribeServiceEnvironmentList (+ DescribeApi per wanted API)."""
    try:
        body = api.apigw("DescribeService", {"ServiceId": service_id})
    except Exception as exc:  # a CloudError: the configured serviceId does not exist
        if getattr(exc, "not_found", False):
            raise ConfigError(
                Problem(
                    path="inputs.events[].apigw.parameters.serviceId",
                    message=f"API Gateway service {service_id} does not exist",
                    hint="remove serviceId to let scf-component create (or find by serviceName) a service",
                )
            ) from None
        raise
    apis: list[RemoteApi] = []
    offset = 0
    while True:
        page = api.apigw("DescribeApisStatus", {"ServiceId": service_id, "Offset": offset, "Limit": 100})
        result = page.get("Result") or {}
        items = result.get("ApiIdStatusSet") or []
        for item in items:
            found = RemoteApi(str(item["ApiId"]), str(item.get("Path")), str(item.get("Method")),
                              str(item.get("ApiDesc") or ""), None)
            apis.append(replace(found, binding=_describe_api(api, service_id, found)) if wanted(found) else found)
        offset += len(items)
        if not items or offset >= int(result.get("TotalCount") or 0):
            break
    envs = (api.apigw("DescribeServiceEnvironmentList", {"ServiceId": service_id}).get("Result") or {})
    released = frozenset(str(e["EnvironmentName"]) for e in envs.get("EnvironmentList") or [] if e.get("Status") == 1)
    return RemoteService(service_id, str(body.get("ServiceName")), str(body.get("ServiceDesc") or ""),
                         str(body.get("OuterSubDomain") or ""), str(body.get("Protocol") or "http"),
                         tuple(apis), released)


def _describe_api(api: ScfApi, service_id: str, found: RemoteApi) -> ApiBinding:
    info = api.apigw("DescribeApi", {"ServiceId": service_id, "ApiId": found.api_id}).get("Result") or {}
    return ApiBinding(
        path=found.path,
        method=found.method,
        name=str(info.get("ApiName") or ""),
        function=str(info.get("ServiceScfFunctionName") or ""),
        namespace=str(info.get("ServiceScfFunctionNamespace") or "default"),
        qualifier=str(info.get("ServiceScfFunctionQualifier") or ""),
        integrated=bool(info.get("ServiceScfIsIntegratedResponse")),
        timeout=int(info.get("ServiceTimeout") or 15),
        enable_cors=bool(info.get("EnableCORS")),
        auth_type=str(info.get("AuthType") or "NONE"),
        protocol=str(info.get("Protocol") or "HTTP"),
        base64=bool(info.get("IsBase64Encoded")),
    )


def read_gateways(api: ScfApi, specs: Iterable[GatewaySpec]) -> dict[str, RemoteService | None]:
    """One snapshot per distinct service the specs name (``None``: to be created)."""
    remote: dict[str, RemoteService | None] = {}
    specs = tuple(specs)
    for spec in specs:
        if spec.key in remote:
            continue
        keys = {(e.path, e.method) for s in specs if s.key == spec.key for e in s.endpoints}
        service_id = find_service(api, spec)
        remote[spec.key] = read_service(api, service_id, _wanted(keys)) if service_id else None
    return remote


def _wanted(keys: set[tuple[str, str]]) -> Callable[[RemoteApi], bool]:
    return lambda a: (a.path, a.method) in keys


# -- planning (pure) -----------------------------------------------------------------------------
@dataclass
class _Draft:
    service: str
    apis: dict[tuple[str, str], tuple[str, ApiBinding | None, str]]  # (path, method) → id, binding, desc
    fresh: set[str] = field(default_factory=set)  # stages whose snapshot matches the draft


def plan_gateways(specs: Iterable[GatewaySpec], remote: Mapping[str, RemoteService | None]) -> list[Instruction]:
    steps: list[Instruction] = []
    drafts: dict[str, _Draft] = {}
    for spec in specs:
        draft = drafts.get(spec.key)
        if draft is None:
            draft = drafts[spec.key] = _start(spec, remote.get(spec.key), steps)
        for binding in spec.endpoints:
            key = (binding.path, binding.method)
            current = draft.apis.get(key)
            if current is None:
                steps.append(CreateApi(draft.service, binding))
            elif current[1] != binding:
                steps.append(ModifyApi(draft.service, current[0], binding, current[1], current[2]))
            else:
                continue
            draft.apis[key] = (current[0] if current else "", binding, current[2] if current else API_DESC)
            draft.fresh.clear()
        if spec.environment not in draft.fresh:
            steps.append(ReleaseService(draft.service, spec.environment, RELEASE_DESC))
            draft.fresh.add(spec.environment)
    return steps


def _start(spec: GatewaySpec, found: RemoteService | None, steps: list[Instruction]) -> _Draft:
    if found is None:
        ref = f"<new service {spec.service_name}>"
        description = f"{spec.description} ({CREATED_MARKER})"
        steps.append(CreateApiService(ref, spec.service_name, spec.protocol, description, spec.net_types))
        return _Draft(ref, {})
    apis = {(a.path, a.method): (a.api_id, a.binding, a.description) for a in found.apis}
    return _Draft(found.service_id, apis, set(found.released))


def read_removal(api: ScfApi, specs: Iterable[GatewaySpec]) -> list[RemoteService]:
    """The services the apigw events name that still exist (one deleted out of band is skipped)."""
    services: list[RemoteService] = []
    seen: set[str] = set()
    for spec in specs:
        if spec.key in seen:
            continue
        seen.add(spec.key)
        service_id = find_service(api, spec)
        if service_id is None:
            continue
        try:
            services.append(read_service(api, service_id, lambda a: a.created_by_us))
        except ConfigError:  # the configured serviceId no longer exists: nothing of ours is left in it
            continue
    return services


def plan_removal(services: Iterable[RemoteService], function: str) -> list[Instruction]:
    """Delete the APIs scf-component created for ``function``, and the services it created once empty."""
    steps: list[Instruction] = []
    for service in services:
        service_id = service.service_id
        ours = [a for a in service.apis if a.created_by_us and a.binding and a.binding.function == function]
        others = len(service.apis) - len(ours)
        if not ours and not (service.created_by_us and others == 0):
            continue
        if others == 0:
            steps += [UnReleaseService(service_id, env) for env in sorted(service.released)]
        steps += [DeleteApi(service_id, a.api_id, a.path, a.method) for a in ours]
        if others and ours:
            steps += [ReleaseService(service_id, env, RELEASE_DESC) for env in sorted(service.released)]
        if others == 0 and service.created_by_us:
            steps.append(DeleteApiService(service_id, service.name))
    return steps
