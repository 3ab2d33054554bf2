"""API Gateway (2018-08-08) state of the emulator: services, APIs and released stages.

Kept apart from the SCF models because API Gateway is a different product with its own ids
(``service-xxxxxxxx``, ``api-xxxxxxxx``) and its own release model: a stage (``release``, ``prepub``,
``test``) serves a *snapshot* of the service's APIs taken by ``ReleaseService``, so modifying an API
changes nothing a client sees until the service is released again. That is what lets one API path be
bound to the ``release`` alias on stage ``release`` and to ``$DEFAULT`` on stage ``test`` at the same time.
The ``*_view`` functions render the response shapes of the SDK models (fields the SDK does not know
would be dropped by its deserialiser, so only model fields are returned).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

ENVIRONMENTS = ("release", "prepub", "test")
METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"})
PROTOCOLS = frozenset({"http", "https", "http&https"})


@dataclass
class ApiDef:
    api_id: str
    name: str
    path: str
    method: str
    desc: str
    created: str
    modified: str
    service_type: str = "SCF"
    protocol: str = "HTTP"
    auth_type: str = "NONE"
    timeout: int = 15
    enable_cors: bool = False
    function_name: str = ""
    function_namespace: str = "default"
    function_qualifier: str = "$DEFAULT"
    integrated: bool = False
    base64: bool = False
    function_type: str = "EVENT"  # ServiceScfFunctionType: EVENT or HTTP (web functions)


@dataclass
class Stage:
    version_name: str
    desc: str
    apis: dict[str, ApiDef] = field(default_factory=dict)  # the snapshot served


@dataclass
class ServiceDef:
    service_id: str
    name: str
    desc: str
    protocol: str
    net_types: list[str]
    created: str
    modified: str
    sub_domain: str
    tags: list[dict[str, str]] = field(default_factory=list)
    apis: dict[str, ApiDef] = field(default_factory=dict)
    stages: dict[str, Stage] = field(default_factory=dict)

    def snapshot(self) -> dict[str, ApiDef]:
        return copy.deepcopy(self.apis)


def service_to_dict(service: ServiceDef) -> dict[str, Any]:
    return asdict(service)


def service_from_dict(raw: dict[str, Any]) -> ServiceDef:
    service = ServiceDef(**{k: v for k, v in raw.items() if k not in ("apis", "stages")})
    service.apis = {k: ApiDef(**v) for k, v in raw.get("apis", {}).items()}
    for env, stage in raw.get("stages", {}).items():
        apis = {k: ApiDef(**v) for k, v in stage.get("apis", {}).items()}
        service.stages[env] = Stage(stage["version_name"], stage["desc"], apis)
    return service


def service_view(service: ServiceDef) -> dict[str, Any]:
    """The ``Service`` model (DescribeServicesStatus) fields."""
    return {
        "ServiceId": service.service_id,
        "ServiceName": service.name,
        "ServiceDesc": service.desc,
        "Protocol": service.protocol,
        "NetTypes": list(service.net_types),
        "IpVersion": "IPv4",
        "OuterSubDomain": service.sub_domain,
        "InnerSubDomain": "",
        "InnerHttpPort": 0,
        "InnerHttpsPort": 0,
        "CreatedTime": service.created,
        "ModifiedTime": service.modified,
        "AvailableEnvironments": sorted(service.stages),
        "Tags": [dict(t) for t in service.tags],
        "SetType": "",
        "DeploymentType": "SHARED",
    }


def api_status_view(service_id: str, api: ApiDef) -> dict[str, Any]:
    """The ``ApiIdStatus``/``DesApisStatus`` fields (lists of APIs)."""
    return {
        "ServiceId": service_id,
        "ApiId": api.api_id,
        "ApiDesc": api.desc,
        "ApiName": api.name,
        "Path": api.path,
        "Method": api.method,
        "CreatedTime": api.created,
        "ModifiedTime": api.modified,
        "ApiType": "NORMAL",
        "Protocol": api.protocol,
        "AuthType": api.auth_type,
        "ApiBusinessType": "NORMAL",
        "IsDebugAfterCharge": False,
    }


def api_info_view(service: ServiceDef, api: ApiDef) -> dict[str, Any]:
    """The ``ApiInfo`` fields (DescribeApi)."""
    status = {k: v for k, v in api_status_view(service.service_id, api).items() if k not in ("Path", "Method")}
    return {
        **status,
        "ServiceName": service.name,
        "ServiceDesc": service.desc,
        "RequestConfig": {"Path": api.path, "Method": api.method},
        "ServiceType": api.service_type,
        "ServiceTimeout": api.timeout,
        "EnableCORS": api.enable_cors,
        "ServiceScfFunctionName": api.function_name,
        "ServiceScfFunctionNamespace": api.function_namespace,
        "ServiceScfFunctionQualifier": api.function_qualifier,
        "ServiceScfIsIntegratedResponse": api.integrated,
        "IsBase64Encoded": api.base64,
        "InternalDomain": "",
        "Environments": sorted(env for env, stage in service.stages.items() if api.api_id in stage.apis),
    }
