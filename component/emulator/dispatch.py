"""Action dispatch tables: (service, version, action) → handler, and which actions mutate state.

Explicit ``dict[action, handler]`` tables per service (no name mangling): the key is
the ``X-TC-Action`` value, the handler a ``Backend`` method taking (region, params).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .backend import Backend
from .cam.roles import CAM_ACTIONS, CAM_VERSION, CAM_WRITES
from .cls.search import CLS_VERSION
from .core.errors import ApiError
from .scf.function_settings import SETTINGS_ACTIONS, SETTINGS_WRITES
from .tag.actions import TAG_ACTIONS, TAG_VERSION, TAG_WRITES

Handler = Callable[[Backend, str, dict[str, Any]], dict[str, Any]]

SCF_VERSION = "2018-04-16"
MONITOR_VERSION = "2018-07-24"
APIGW_VERSION = "2018-08-08"

SCF_ACTIONS: dict[str, Handler] = {
    "CreateFunction": Backend.create_function,
    "GetFunction": Backend.get_function,
    "UpdateFunctionCode": Backend.update_function_code,
    "UpdateFunctionConfiguration": Backend.update_function_configuration,
    "DeleteFunction": Backend.delete_function,
    "ListFunctions": Backend.list_functions,
    "GetFunctionAddress": Backend.get_function_address,
    "PublishVersion": Backend.publish_version,
    "ListVersionByFunction": Backend.list_version_by_function,
    "DeleteFunctionVersion": Backend.delete_function_version,
    "CreateAlias": Backend.create_alias,
    "UpdateAlias": Backend.update_alias,
    "GetAlias": Backend.get_alias,
    "ListAliases": Backend.list_aliases,
    "DeleteAlias": Backend.delete_alias,
    "Invoke": Backend.invoke,
    "InvokeFunction": Backend.invoke_function,
    "ListNamespaces": Backend.list_namespaces,
    "CreateNamespace": Backend.create_namespace,
    "CreateTrigger": Backend.create_trigger,
    "ListTriggers": Backend.list_triggers,
    "DeleteTrigger": Backend.delete_trigger,
    "PublishLayerVersion": Backend.publish_layer_version,
    "GetLayerVersion": Backend.get_layer_version,
    "ListLayerVersions": Backend.list_layer_versions,
    "DeleteLayerVersion": Backend.delete_layer_version,
    **SETTINGS_ACTIONS,
}
MONITOR_ACTIONS: dict[str, Handler] = {"GetMonitorData": Backend.get_monitor_data}
APIGW_ACTIONS: dict[str, Handler] = {
    "CreateService": Backend.create_service,
    "DescribeService": Backend.describe_service,
    "DescribeServicesStatus": Backend.describe_services_status,
    "DeleteService": Backend.delete_service,
    "CreateApi": Backend.create_api,
    "ModifyApi": Backend.modify_api,
    "DescribeApi": Backend.describe_api,
    "DescribeApisStatus": Backend.describe_apis_status,
    "DeleteApi": Backend.delete_api,
    "ReleaseService": Backend.release_service,
    "UnReleaseService": Backend.unrelease_service,
    "DescribeServiceEnvironmentList": Backend.describe_service_environment_list,
}

CLS_ACTIONS: dict[str, Handler] = {"SearchLog": Backend.search_log}
TAG_TABLE: dict[str, Handler] = {**TAG_ACTIONS}

SERVICES: dict[str, tuple[str, dict[str, Handler]]] = {
    "scf": (SCF_VERSION, SCF_ACTIONS),
    "monitor": (MONITOR_VERSION, MONITOR_ACTIONS),
    "apigateway": (APIGW_VERSION, APIGW_ACTIONS),
    "cls": (CLS_VERSION, CLS_ACTIONS),
    "tag": (TAG_VERSION, TAG_TABLE),
    "cam": (CAM_VERSION, {**CAM_ACTIONS}),
}
MUTATING = frozenset(
    {
        "CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "DeleteFunction",
        "PublishVersion", "DeleteFunctionVersion", "CreateAlias", "UpdateAlias", "DeleteAlias",
        "CreateNamespace", "CreateTrigger", "DeleteTrigger", "PublishLayerVersion", "DeleteLayerVersion",
        "CreateService", "DeleteService", "CreateApi", "ModifyApi", "DeleteApi", "ReleaseService",
        "UnReleaseService",
        *SETTINGS_WRITES,
        *TAG_WRITES,
        *CAM_WRITES,
    }
)


def lookup(service: str, version: str, action: str) -> Handler:
    entry = SERVICES.get(service)
    if entry is None:
        raise ApiError("NoSuchProduct")
    expected, actions = entry
    if version != expected:
        raise ApiError("NoSuchVersion")
    handler = actions.get(action)
    if handler is None:
        raise ApiError("InvalidAction", f"The action `{action}` is not supported for {service} {version}.")
    return handler
