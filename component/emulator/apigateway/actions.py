"""API Gateway actions (service ``apigateway``, version 2018-08-08): handlers taking the ``ApigwStore``.

The store shares the SCF store's lock, so one lock and one state file cover both products. It models
what the deploy tool relies on: services found by id or name, APIs unique by path + method and bound
to an SCF function + qualifier, and stages that serve the snapshot taken by ``ReleaseService`` (see
``models.py``). Errors use Tencent's API Gateway codes: ``ResourceNotFound.InvalidService``,
``ResourceNotFound.InvalidApi``, ``InvalidParameter.FormatError`` (environment name),
``InvalidParameterValue.NotInOptions``/``InvalidApiRequestConfig``/``InvalidScfConfig``,
``FailedOperation.ServiceError`` (unreleasing an environment that is not released),
``UnsupportedOperation.UnsupportedDeleteService``. Released stages are served over HTTP by
``stages.py``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_dict, opt_int, opt_list, opt_str, page, req_str
from component.emulator.scf.store import DEFAULT_REGION

from .models import (
    ENVIRONMENTS,
    METHODS,
    PROTOCOLS,
    ApiDef,
    ServiceDef,
    Stage,
    api_info_view,
    api_status_view,
    service_view,
)
from .store import ApigwStore

APIGW_PATH_PREFIX = "/_apigw/"


def _error(code: str, message: str) -> ApiError:
    return ApiError(code, message)


def _stamp(store: ApigwStore) -> str:
    return datetime.fromtimestamp(store.wall(), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _services(store: ApigwStore, region: str) -> dict[str, ServiceDef]:
    return store.apigw_regions.setdefault(region or DEFAULT_REGION, {})


def _service(store: ApigwStore, region: str, params: Params) -> ServiceDef:
    service_id = req_str(params, "ServiceId")
    found = _services(store, region).get(service_id)
    if found is None:
        raise _error("ResourceNotFound.InvalidService", f"服务`{service_id}`不存在。Service does not exist.")
    return found


def _api(service: ServiceDef, params: Params) -> ApiDef:
    api_id = req_str(params, "ApiId")
    found = service.apis.get(api_id)
    if found is None:
        raise _error("ResourceNotFound.InvalidApi", f"API`{api_id}`不存在。ApiId错误。")
    return found


def _environment(params: Params) -> str:
    env = req_str(params, "EnvironmentName")
    if env not in ENVIRONMENTS:
        raise _error("InvalidParameter.FormatError", "EnvironmentName取值错误，取值范围为 release/prepub/test。")
    return env


def find_service(store: ApigwStore, service_id: str) -> tuple[str, ServiceDef] | None:
    """Any region's service by id (the HTTP stage server knows only the id)."""
    with store.lock:
        for region, services in store.apigw_regions.items():
            if service_id in services:
                return region, services[service_id]
    return None


def create_service(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    name = req_str(params, "ServiceName")
    protocol = req_str(params, "Protocol")
    if protocol not in PROTOCOLS:
        message = f"参数Protocol取值错误，当前值`{protocol}`不在可选范围内。"
        raise _error("InvalidParameterValue.NotInOptions", message)
    with store.lock:
        service_id = f"service-{uuid.uuid4().hex[:8]}"
        host = store.base_url.split("://", 1)[-1]
        stamp = _stamp(store)
        tags = [{"Key": str(t.get("Key")), "Value": str(t.get("Value"))} for t in opt_list(params, "Tags")]
        service = ServiceDef(
            service_id, name, opt_str(params, "ServiceDesc"), protocol,
            [str(n) for n in opt_list(params, "NetTypes")] or ["OUTER"], stamp, stamp,
            f"{host}{APIGW_PATH_PREFIX}{service_id}", tags,
        )
        _services(store, region)[service_id] = service
        view = service_view(service)
    keys = ("ServiceId", "ServiceName", "ServiceDesc", "OuterSubDomain", "InnerSubDomain", "NetTypes", "IpVersion")
    return {**{k: view[k] for k in keys}, "CreatedTime": service.created}


def describe_service(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        view = service_view(service)
        view.pop("InnerSubDomain")
        apis = [api_status_view(service.service_id, a) for a in service.apis.values()]
    return {**view, "InternalSubDomain": "", "ApiTotalCount": len(apis), "ApiIdStatusSet": apis,
            "UsagePlanTotalCount": 0, "UsagePlanList": []}


def describe_services_status(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params, 20)
    filters = {str(f.get("Name")): [str(v) for v in f.get("Values") or []] for f in opt_list(params, "Filters")}
    with store.lock:
        found = [s for s in _services(store, region).values() if _service_matches(s, filters)]
        views = [service_view(s) for s in found[offset:offset + limit]]
    return {"Result": {"TotalCount": len(found), "ServiceSet": views}}


def delete_service(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        if service.stages or service.apis:
            raise _error("UnsupportedOperation.UnsupportedDeleteService",
                         "服务使用中，不能被删除：请先下线所有环境并删除所有API。")
        del _services(store, region)[service.service_id]
    return {"Result": True}


def _apply_api(store: ApigwStore, service: ServiceDef, api: ApiDef, params: Params) -> None:
    config = opt_dict(params, "RequestConfig", "InvalidParameterValue.InvalidApiRequestConfig")
    path, method = str(config.get("Path") or ""), str(config.get("Method") or "").upper()
    if not path.startswith("/"):
        raise _error("InvalidParameterValue.InvalidApiRequestConfig", "无效的API配置：Path必须以/开头。")
    if method not in METHODS:
        raise _error("InvalidParameterValue.InvalidApiRequestConfig", f"无效的API配置：Method`{method}`取值错误。")
    for other in service.apis.values():
        if other.api_id != api.api_id and other.path == path and other.method == method:
            raise _error("InvalidParameterValue.InvalidApiRequestConfig",
                         f"无效的API配置：{method} {path} 已存在（{other.api_id}）。")
    service_type = opt_str(params, "ServiceType", "SCF") or "SCF"
    function = opt_str(params, "ServiceScfFunctionName")
    if service_type == "SCF" and not function:
        raise _error("InvalidParameterValue.InvalidScfConfig", "SCF配置错误：缺少ServiceScfFunctionName。")
    api.path, api.method, api.service_type = path, method, service_type
    api.name = opt_str(params, "ApiName", api.name) or api.api_id
    api.desc = opt_str(params, "ApiDesc", api.desc)
    api.protocol = opt_str(params, "Protocol", "HTTP") or "HTTP"
    api.auth_type = opt_str(params, "AuthType", "NONE") or "NONE"
    api.timeout = opt_int(params, "ServiceTimeout", 15)
    api.enable_cors = bool(params.get("EnableCORS", False))
    api.function_name = function
    api.function_namespace = opt_str(params, "ServiceScfFunctionNamespace", "default") or "default"
    api.function_qualifier = opt_str(params, "ServiceScfFunctionQualifier", "$LATEST") or "$LATEST"
    api.integrated = bool(params.get("ServiceScfIsIntegratedResponse", False))
    api.function_type = opt_str(params, "ServiceScfFunctionType", "EVENT") or "EVENT"
    if api.function_type not in ("EVENT", "HTTP"):
        raise _error("InvalidParameterValue.InvalidScfConfig", "ServiceScfFunctionType只支持EVENT或HTTP。")
    api.base64 = bool(params.get("IsBase64Encoded", False))
    api.modified = _stamp(store)


def create_api(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        stamp = _stamp(store)
        api = ApiDef(f"api-{uuid.uuid4().hex[:8]}", "", "", "", "", stamp, stamp)
        _apply_api(store, service, api, params)
        service.apis[api.api_id] = api
    return {"Result": {"ApiId": api.api_id, "Path": api.path, "Method": api.method, "CreatedTime": api.created}}


def modify_api(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        api = _api(service, params)
        draft = ApiDef(**vars(api))
        _apply_api(store, service, draft, params)
        service.apis[api.api_id] = draft
    return {}


def describe_api(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        return {"Result": api_info_view(service, _api(service, params))}


def describe_apis_status(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params, 20)
    filters = {str(f.get("Name")): [str(v) for v in f.get("Values") or []] for f in opt_list(params, "Filters")}
    with store.lock:
        service = _service(store, region, params)
        found = [a for a in service.apis.values() if _api_matches(a, filters)]
        views = [api_status_view(service.service_id, a) for a in found[offset:offset + limit]]
    return {"Result": {"TotalCount": len(found), "ApiIdStatusSet": views}}


def delete_api(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        del service.apis[_api(service, params).api_id]
    return {"Result": True}


def release_service(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        env = _environment(params)
        if not service.apis:
            raise _error("InvalidParameterValue.InvalidApiRequestConfig", "服务下没有API，无法发布。")
        version = datetime.fromtimestamp(store.wall(), tz=timezone.utc).strftime("%Y%m%d%H%M%S%f")
        desc = opt_str(params, "ReleaseDesc")
        service.stages[env] = Stage(version, desc, service.snapshot())
    return {"Result": {"ReleaseDesc": desc, "ReleaseVersion": version}}


def unrelease_service(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        env = _environment(params)
        if env not in service.stages:
            raise _error("FailedOperation.ServiceError", f"环境`{env}`未发布，无法下线。")
        del service.stages[env]
    return {"Result": True}


def describe_service_environment_list(store: ApigwStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        service = _service(store, region, params)
        items = [
            {
                "EnvironmentName": env,
                "Url": f"http://{service.sub_domain}/{env}",
                "Status": 1 if env in service.stages else 0,
                "VersionName": service.stages[env].version_name if env in service.stages else "",
            }
            for env in ENVIRONMENTS
        ]
    return {"Result": {"TotalCount": len(items), "EnvironmentList": items}}


def _service_matches(service: ServiceDef, filters: dict[str, list[str]]) -> bool:
    fields = {"ServiceId": service.service_id, "ServiceName": service.name}
    return all(fields.get(name) in values for name, values in filters.items() if name in fields)


def _api_matches(api: ApiDef, filters: dict[str, list[str]]) -> bool:
    fields = {"ApiId": api.api_id, "ApiName": api.name, "ApiPath": api.path}
    return all(fields.get(name) in values for name, values in filters.items() if name in fields)
