"""API Gateway instructions at run time: execution handlers, one-line descriptions and outputs.

The fourth part of the API Gateway resource (``apigw`` holds the desired model, the reader and the pure
planners; this module holds what runs: it may write, so the planners never import it). The handlers are plugged
into :class:`~component.deploy.executor.Executor`'s dispatch table; ``ids`` maps the placeholders of a
plan (``<new service NAME>``, and ``service|METHOD path`` for APIs created by this plan) to the ids the
cloud returned. The outputs re-read the services after the deploy and take the Node component's shape
(tencent-scf-component.md §5): ``serviceId``, ``serviceName``, ``subDomain``, ``protocols``,
``environment``, ``apiList[…]`` and ``urls`` = ``${protocol}://${subDomain}/${environment}${path}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from component.cloud.api import ScfApi
from component.deploy.apigw import API_DESC, GatewaySpec, find_service, read_service
from component.deploy.instructions import (
    ApiBinding,
    CreateApi,
    CreateApiService,
    DeleteApi,
    DeleteApiService,
    ModifyApi,
    ReleaseService,
    UnReleaseService,
)
from component.progress import Progress


def api_params(service_id: str, binding: ApiBinding, description: str) -> dict[str, Any]:
    return {
        "ServiceId": service_id,
        "ServiceType": "SCF",
        "Protocol": binding.protocol,
        "RequestConfig": {"Path": binding.path, "Method": binding.method},
        "ApiName": binding.name,
        "ApiDesc": description,
        "ApiType": "NORMAL",
        "AuthType": binding.auth_type,
        "EnableCORS": binding.enable_cors,
        "ServiceTimeout": binding.timeout,
        "ServiceScfFunctionName": binding.function,
        "ServiceScfFunctionNamespace": binding.namespace,
        "ServiceScfFunctionQualifier": binding.qualifier,
        "ServiceScfIsIntegratedResponse": binding.integrated,
        "ServiceScfFunctionType": binding.function_type,
        "IsBase64Encoded": binding.base64,
    }


def gateway_handlers(api: ScfApi, reporter: Progress, ids: dict[str, str]) -> dict[type, Callable[[Any], None]]:
    """Executor entries for the API Gateway instructions."""

    def sid(service: str) -> str:
        return ids.get(service, service)

    def create_service(step: CreateApiService) -> None:
        reporter.step(f"creating API Gateway service {step.name}")
        body = api.apigw(
            "CreateService",
            {"ServiceName": step.name, "Protocol": step.protocol, "ServiceDesc": step.description,
             "NetTypes": list(step.net_types)},
        )
        ids[step.ref] = str(body["ServiceId"])

    def create_api(step: CreateApi) -> None:
        b = step.binding
        reporter.step(f"creating API {b.method} {b.path} → {b.function}:{b.qualifier}")
        body = api.apigw("CreateApi", api_params(sid(step.service), b, API_DESC))
        ids[f"{step.service}|{b.method} {b.path}"] = str((body.get("Result") or {}).get("ApiId"))

    def modify_api(step: ModifyApi) -> None:
        b = step.binding
        api_id = step.api_id or ids[f"{step.service}|{b.method} {b.path}"]
        reporter.step(f"binding API {b.method} {b.path} to {b.function}:{b.qualifier}")
        api.apigw("ModifyApi", {**api_params(sid(step.service), b, step.description), "ApiId": api_id})

    def release(step: ReleaseService) -> None:
        reporter.step(f"releasing API Gateway service {sid(step.service)} to {step.environment}")
        api.apigw("ReleaseService", {"ServiceId": sid(step.service), "EnvironmentName": step.environment,
                                     "ReleaseDesc": step.description})

    def unrelease(step: UnReleaseService) -> None:
        reporter.step(f"taking stage {step.environment} of {step.service} offline")
        api.apigw("UnReleaseService", {"ServiceId": step.service, "EnvironmentName": step.environment})

    def delete_api(step: DeleteApi) -> None:
        reporter.step(f"deleting API {step.method} {step.path} ({step.api_id})")
        api.apigw("DeleteApi", {"ServiceId": step.service, "ApiId": step.api_id})

    def delete_service(step: DeleteApiService) -> None:
        reporter.step(f"deleting API Gateway service {step.name} ({step.service})")
        api.apigw("DeleteService", {"ServiceId": step.service})

    return {
        CreateApiService: create_service,
        CreateApi: create_api,
        ModifyApi: modify_api,
        ReleaseService: release,
        UnReleaseService: unrelease,
        DeleteApi: delete_api,
        DeleteApiService: delete_service,
    }


def _bound(b: ApiBinding) -> str:
    return f"{b.method} {b.path} → {b.function}:{b.qualifier}"


def _modify(step: ModifyApi) -> str:
    before = f"{step.before.function}:{step.before.qualifier}" if step.before else "?"
    return f"ModifyApi {step.api_id or '(new)'} {step.binding.method} {step.binding.path}: {before} → " \
        f"{step.binding.function}:{step.binding.qualifier}"


GATEWAY_DESCRIBERS: dict[type, Callable[[Any], str]] = {
    CreateApiService: lambda s: f"CreateService {s.name} ({s.protocol}, {', '.join(s.net_types)})",
    CreateApi: lambda s: f"CreateApi in {s.service}: {_bound(s.binding)}",
    ModifyApi: _modify,
    ReleaseService: lambda s: f"ReleaseService {s.service} to stage {s.environment}",
    UnReleaseService: lambda s: f"UnReleaseService {s.service} stage {s.environment}",
    DeleteApi: lambda s: f"DeleteApi {s.api_id} ({s.method} {s.path}) in {s.service}",
    DeleteApiService: lambda s: f"DeleteService {s.service} ({s.name})",
}


def gateway_outputs(api: ScfApi, specs: Iterable[GatewaySpec]) -> list[dict[str, Any]]:
    """One ``triggers`` entry per apigw event, read back from the cloud after the deploy."""
    entries: list[dict[str, Any]] = []
    for spec in specs:
        service_id = find_service(api, spec)
        if service_id is not None:
            entries.append(_entry(spec, read_service(api, service_id, lambda a: False)))
    return entries


_WS_SCHEMES = {"http": "ws", "https": "wss"}  # a WEBSOCKET API's URLs, as the Node component prints them


def _entry(spec: GatewaySpec, service: Any) -> dict[str, Any]:
    protocols = spec.protocols
    api_list: list[dict[str, Any]] = []
    urls: list[str] = []
    for binding in spec.endpoints:
        found = service.api(binding.path, binding.method)
        schemes = [_WS_SCHEMES[p] if binding.protocol == "WEBSOCKET" else p for p in protocols]
        url = f"{schemes[0]}://{service.sub_domain}/{spec.environment}{binding.path}"
        urls += [f"{p}://{service.sub_domain}/{spec.environment}{binding.path}" for p in schemes]
        api_list.append({
            "path": binding.path, "method": binding.method, "apiName": binding.name,
            "apiId": found.api_id if found else None, "created": bool(found and found.created_by_us),
            "authType": binding.auth_type, "businessType": "NORMAL", "isBase64Encoded": binding.base64,
            "qualifier": binding.qualifier, "internalDomain": "", "url": url,
        })
    return {
        "type": "apigw", "created": service.created_by_us, "serviceId": service.service_id,
        "serviceName": service.name, "subDomain": service.sub_domain, "protocols": spec.protocol,
        "environment": spec.environment, "apiList": api_list, "url": urls[0] if urls else None, "urls": urls,
    }
