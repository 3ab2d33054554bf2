"""Action dispatch tables: (service, version, action) → handler, and which actions mutate state.

Explicit ``dict[action, handler]`` tables per service (no name mangling): the key is the ``X-TC-Action``
value, the handler a function of the service's package taking (store, region, params).  A new action is
one handler function in its service's package and one row here (plus ``MUTATING`` when it writes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .apigateway import actions as apigw
from .backend import Backend
from .cam.roles import CAM_ACTIONS, CAM_VERSION, CAM_WRITES
from .cls import search
from .cls.search import CLS_VERSION
from .core.errors import ApiError
from .core.params import Params
from .monitor import metric_data
from .scf import aliases, functions, invoke, layers, namespaces, triggers, versions
from .scf.function_settings import SETTINGS_ACTIONS, SETTINGS_WRITES
from .tag.actions import TAG_ACTIONS, TAG_VERSION, TAG_WRITES

Handler = Callable[[Any, str, Params], dict[str, Any]]  # (the service's store, region, params) -> answer
Route = Callable[[Backend, str, Params], dict[str, Any]]

SCF_VERSION = "2018-04-16"
MONITOR_VERSION = "2018-07-24"
APIGW_VERSION = "2018-08-08"

SCF_ACTIONS: dict[str, Handler] = {
    "CreateFunction": functions.create_function,
    "GetFunction": functions.get_function,
    "UpdateFunctionCode": functions.update_function_code,
    "UpdateFunctionConfiguration": functions.update_function_configuration,
    "DeleteFunction": functions.delete_function,
    "ListFunctions": functions.list_functions,
    "GetFunctionAddress": functions.get_function_address,
    "PublishVersion": versions.publish_version,
    "ListVersionByFunction": versions.list_version_by_function,
    "DeleteFunctionVersion": versions.delete_function_version,
    "CreateAlias": aliases.create_alias,
    "UpdateAlias": aliases.update_alias,
    "GetAlias": aliases.get_alias,
    "ListAliases": aliases.list_aliases,
    "DeleteAlias": aliases.delete_alias,
    "Invoke": invoke.invoke,
    "InvokeFunction": invoke.invoke_function,
    "ListNamespaces": namespaces.list_namespaces,
    "CreateNamespace": namespaces.create_namespace,
    "CreateTrigger": triggers.create_trigger,
    "ListTriggers": triggers.list_triggers,
    "DeleteTrigger": triggers.delete_trigger,
    "PublishLayerVersion": layers.publish_layer_version,
    "GetLayerVersion": layers.get_layer_version,
    "ListLayerVersions": layers.list_layer_versions,
    "DeleteLayerVersion": layers.delete_layer_version,
    **SETTINGS_ACTIONS,
}
MONITOR_ACTIONS: dict[str, Handler] = {"GetMonitorData": metric_data.get_monitor_data}
APIGW_ACTIONS: dict[str, Handler] = {
    "CreateService": apigw.create_service,
    "DescribeService": apigw.describe_service,
    "DescribeServicesStatus": apigw.describe_services_status,
    "DeleteService": apigw.delete_service,
    "CreateApi": apigw.create_api,
    "ModifyApi": apigw.modify_api,
    "DescribeApi": apigw.describe_api,
    "DescribeApisStatus": apigw.describe_apis_status,
    "DeleteApi": apigw.delete_api,
    "ReleaseService": apigw.release_service,
    "UnReleaseService": apigw.unrelease_service,
    "DescribeServiceEnvironmentList": apigw.describe_service_environment_list,
}

CLS_ACTIONS: dict[str, Handler] = {"SearchLog": search.search_log}
TAG_TABLE: dict[str, Handler] = {**TAG_ACTIONS}



def _scf(backend: Backend) -> Any:
    return backend.scf


def _apigateway(backend: Backend) -> Any:
    return backend.apigateway


def _cam(backend: Backend) -> Any:
    return backend.cam


def _tag(backend: Backend) -> Any:
    return backend.tag


# service -> (API version, the store its handlers take, action table).  Monitor and CLS answer from what
# the SCF store holds (invocation records, logs).
SERVICES: dict[str, tuple[str, Callable[[Backend], Any], dict[str, Handler]]] = {
    "scf": (SCF_VERSION, _scf, SCF_ACTIONS),
    "monitor": (MONITOR_VERSION, _scf, MONITOR_ACTIONS),
    "apigateway": (APIGW_VERSION, _apigateway, APIGW_ACTIONS),
    "cls": (CLS_VERSION, _scf, CLS_ACTIONS),
    "tag": (TAG_VERSION, _tag, TAG_TABLE),
    "cam": (CAM_VERSION, _cam, {**CAM_ACTIONS}),
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


def lookup(service: str, version: str, action: str) -> Route:
    """The handler of one action, bound to its service's store."""
    entry = SERVICES.get(service)
    if entry is None:
        raise ApiError("NoSuchProduct")
    expected, store_of, actions = entry
    if version != expected:
        raise ApiError("NoSuchVersion")
    handler = actions.get(action)
    if handler is None:
        raise ApiError("InvalidAction", f"The action `{action}` is not supported for {service} {version}.")
    return lambda backend, region, params: handler(store_of(backend), region, params)
