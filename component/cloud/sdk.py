"""The one module that imports the official Tencent Cloud SDK.

Everything else talks to the cloud through :class:`SdkTransport.call` with an action name and a plain
dict of parameters, and gets a plain dict back (the ``Response`` body without ``RequestId``
wrapping removed). Requests are built with the SDK's typed request models and sent with the SDK's
typed client methods, listed in explicit tables, so the wire format, TC3 signing and response
parsing are exactly the SDK's. SDK exceptions become :class:`~component.errors.CloudError` carrying the
action, error code and RequestId.

Retries are ours, not the SDK's ``StandardRetryer``: in the installed SDK that retryer keeps the
first attempt's error, so a call that is throttled once and then succeeds still raises. We retry
throttling (``RequestLimitExceeded*``: the request was refused, so repeating it is always safe) on every
action, and network errors only on reads: a dropped connection after ``PublishVersion`` may have
published, and repeating it would create a duplicate version (a re-run of the deploy converges
instead, because the planner recognises the version by its fingerprint). Back-off goes through the
injected ``sleep`` so tests and benchmarks stay fast and measurable.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.scf.v20180416 import models as scf_models
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.cloud.credentials import Credentials
from component.cloud.record import Recorder
from component.errors import CloudError, ConfigError, Problem

_Method = Callable[[Any, Any], Any]

SCF_ACTIONS: dict[str, tuple[type[Any], _Method]] = {
    "CreateFunction": (scf_models.CreateFunctionRequest, ScfClient.CreateFunction),
    "GetFunction": (scf_models.GetFunctionRequest, ScfClient.GetFunction),
    "GetFunctionAddress": (scf_models.GetFunctionAddressRequest, ScfClient.GetFunctionAddress),
    "UpdateFunctionCode": (scf_models.UpdateFunctionCodeRequest, ScfClient.UpdateFunctionCode),
    "UpdateFunctionConfiguration": (
        scf_models.UpdateFunctionConfigurationRequest,
        ScfClient.UpdateFunctionConfiguration,
    ),
    "DeleteFunction": (scf_models.DeleteFunctionRequest, ScfClient.DeleteFunction),
    "ListFunctions": (scf_models.ListFunctionsRequest, ScfClient.ListFunctions),
    "PublishVersion": (scf_models.PublishVersionRequest, ScfClient.PublishVersion),
    "ListVersionByFunction": (scf_models.ListVersionByFunctionRequest, ScfClient.ListVersionByFunction),
    "DeleteFunctionVersion": (scf_models.DeleteFunctionVersionRequest, ScfClient.DeleteFunctionVersion),
    "CreateAlias": (scf_models.CreateAliasRequest, ScfClient.CreateAlias),
    "UpdateAlias": (scf_models.UpdateAliasRequest, ScfClient.UpdateAlias),
    "GetAlias": (scf_models.GetAliasRequest, ScfClient.GetAlias),
    "ListAliases": (scf_models.ListAliasesRequest, ScfClient.ListAliases),
    "DeleteAlias": (scf_models.DeleteAliasRequest, ScfClient.DeleteAlias),
    "Invoke": (scf_models.InvokeRequest, ScfClient.Invoke),
    "InvokeFunction": (scf_models.InvokeFunctionRequest, ScfClient.InvokeFunction),
    "ListTriggers": (scf_models.ListTriggersRequest, ScfClient.ListTriggers),
    "CreateTrigger": (scf_models.CreateTriggerRequest, ScfClient.CreateTrigger),
    "DeleteTrigger": (scf_models.DeleteTriggerRequest, ScfClient.DeleteTrigger),
    "GetFunctionEventInvokeConfig": (
        scf_models.GetFunctionEventInvokeConfigRequest,
        ScfClient.GetFunctionEventInvokeConfig,
    ),
    "UpdateFunctionEventInvokeConfig": (
        scf_models.UpdateFunctionEventInvokeConfigRequest,
        ScfClient.UpdateFunctionEventInvokeConfig,
    ),
    "GetProvisionedConcurrencyConfig": (
        scf_models.GetProvisionedConcurrencyConfigRequest,
        ScfClient.GetProvisionedConcurrencyConfig,
    ),
    "PutProvisionedConcurrencyConfig": (
        scf_models.PutProvisionedConcurrencyConfigRequest,
        ScfClient.PutProvisionedConcurrencyConfig,
    ),
}

_Table = tuple[type[Any], dict[str, tuple[type[Any], _Method]]]


def _scf_table() -> _Table:
    return ScfClient, SCF_ACTIONS


def _monitor_table() -> _Table:
    from tencentcloud.monitor.v20180724 import models as monitor_models
    from tencentcloud.monitor.v20180724.monitor_client import MonitorClient

    return MonitorClient, {"GetMonitorData": (monitor_models.GetMonitorDataRequest, MonitorClient.GetMonitorData)}


def _apigateway_table() -> _Table:
    from tencentcloud.apigateway.v20180808 import models as m
    from tencentcloud.apigateway.v20180808.apigateway_client import ApigatewayClient as C

    return C, {
        "CreateService": (m.CreateServiceRequest, C.CreateService),
        "DescribeService": (m.DescribeServiceRequest, C.DescribeService),
        "DescribeServicesStatus": (m.DescribeServicesStatusRequest, C.DescribeServicesStatus),
        "CreateApi": (m.CreateApiRequest, C.CreateApi),
        "ModifyApi": (m.ModifyApiRequest, C.ModifyApi),
        "DescribeApi": (m.DescribeApiRequest, C.DescribeApi),
        "DescribeApisStatus": (m.DescribeApisStatusRequest, C.DescribeApisStatus),
        "ReleaseService": (m.ReleaseServiceRequest, C.ReleaseService),
        "DescribeServiceEnvironmentList": (m.DescribeServiceEnvironmentListRequest, C.DescribeServiceEnvironmentList),
        "UnReleaseService": (m.UnReleaseServiceRequest, C.UnReleaseService),
        "DeleteApi": (m.DeleteApiRequest, C.DeleteApi),
        "DeleteService": (m.DeleteServiceRequest, C.DeleteService),
    }


def _cls_table() -> _Table:
    from tencentcloud.cls.v20201016 import models as cls_models
    from tencentcloud.cls.v20201016.cls_client import ClsClient

    return ClsClient, {"SearchLog": (cls_models.SearchLogRequest, ClsClient.SearchLog)}


def _tag_table() -> _Table:
    from tencentcloud.tag.v20180813 import models as m
    from tencentcloud.tag.v20180813.tag_client import TagClient as C

    return C, {
        "CreateTag": (m.CreateTagRequest, C.CreateTag),
        "AttachResourcesTag": (m.AttachResourcesTagRequest, C.AttachResourcesTag),
        "ModifyResourcesTagValue": (m.ModifyResourcesTagValueRequest, C.ModifyResourcesTagValue),
        "DetachResourcesTag": (m.DetachResourcesTagRequest, C.DetachResourcesTag),
    }


def _cam_table() -> _Table:
    from tencentcloud.cam.v20190116 import models as m
    from tencentcloud.cam.v20190116.cam_client import CamClient as C

    return C, {
        "GetRole": (m.GetRoleRequest, C.GetRole),
        "CreateRole": (m.CreateRoleRequest, C.CreateRole),
        "AttachRolePolicy": (m.AttachRolePolicyRequest, C.AttachRolePolicy),
    }


# Monitor and API Gateway are loaded on first use: together they cost ~35 ms of start-up that most
# commands never need.
_SERVICES: dict[str, Callable[[], _Table]] = {
    "scf": _scf_table,
    "monitor": _monitor_table,
    "apigateway": _apigateway_table,
    "cls": _cls_table,
    "tag": _tag_table,
    "cam": _cam_table,
}


@functools.cache
def service_table(service: str) -> _Table:
    return _SERVICES[service]()


THROTTLED = frozenset(
    {
        "RequestLimitExceeded",
        "RequestLimitExceeded.UinLimitExceeded",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
        "RequestLimitExceeded.IPLimitExceeded",
    }
)
NETWORK = frozenset({"ClientNetworkError", "ServerNetworkError"})
_READ_PREFIXES = ("Get", "List", "Describe", "Search")


def retryable(action: str, code: str) -> bool:
    return code in THROTTLED or (code in NETWORK and action.startswith(_READ_PREFIXES))


class SdkTransport:
    """Calls SCF, Monitor and API Gateway actions through the SDK for one region."""

    def __init__(
        self,
        credentials: Credentials,
        region: str,
        *,
        endpoint: str | None = None,
        sleep: Callable[[float], None],
        max_attempts: int = 5,
        timeout: int = 60,
        recorder: Recorder | None = None,
    ) -> None:
        self._credential = Credential(credentials.secret_id, credentials.secret_key, credentials.token)
        self._region = region
        self._endpoint = endpoint
        # What kind of endpoint this is, for what is learned about it across projects (transition times).
        self.scope = f"cloud/{region}" if endpoint is None else "endpoint"
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._timeout = timeout
        self._local = threading.local()  # one SDK client per thread and service: reads run in parallel
        self._recorder = recorder

    def call(self, service: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if self._recorder is None:
            return self._call(service, action, params)
        started = time.perf_counter()
        exchange: dict[str, Any] = {"service": service, "action": action, "region": self._region, "request": params}
        try:
            body = self._call(service, action, params)
        except CloudError as exc:
            exchange["error"] = {"code": exc.code, "message": exc.message}
            raise
        else:
            exchange["response"] = body
            return body
        finally:
            exchange["elapsedMs"] = (time.perf_counter() - started) * 1000
            if "response" in exchange or "error" in exchange:
                self._recorder.write(exchange)

    def _call(self, service: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        bad = not_utf8(params)
        if bad is not None:
            raise ConfigError(Problem(path=f"{action} {bad}".rstrip(), message="is not valid UTF-8 text",
                                      hint="a lone surrogate comes from a non-UTF-8 argument or file"))
        client_type, actions = service_table(service)
        request_type, method = actions[action]
        request = request_type()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            request.from_json_string(json.dumps(params))
        client = self._client(service, client_type)
        for attempt in range(self._max_attempts):
            try:
                response = method(client, request)
            except TencentCloudSDKException as exc:
                code = str(exc.get_code() or "")
                if attempt + 1 >= self._max_attempts or not retryable(action, code):
                    raise _cloud_error(action, exc) from None
                self._sleep(min(0.2 * 2**attempt, 5.0))
                continue
            body: dict[str, Any] = json.loads(response.to_json_string())
            return body
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _client(self, service: str, client_type: type[Any]) -> Any:
        clients: dict[str, Any] = self._local.__dict__.setdefault("clients", {})
        if service not in clients:
            clients[service] = client_type(self._credential, self._region, self._profile(service))
        return clients[service]

    def _profile(self, service: str) -> Any:
        http = HttpProfile(reqTimeout=self._timeout)
        if self._endpoint:
            http = HttpProfile(endpoint=self._endpoint, protocol="http", reqTimeout=self._timeout)
        return ClientProfile(httpProfile=http, language="en-US")


def not_utf8(value: Any) -> str | None:
    """The path of the first key or string in ``value`` that cannot be sent as UTF-8, or None (#19 item 6)."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return path
        elif isinstance(item, dict):
            stack.extend((f"{path}.{key}".lstrip("."), key) for key in item)
            stack.extend((f"{path}.{key}".lstrip("."), child) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((f"{path}.{index}".lstrip("."), child) for index, child in enumerate(item))
    return None


def _cloud_error(action: str, exc: TencentCloudSDKException) -> CloudError:
    code = str(exc.get_code() or "ClientError")
    message = exc.get_message()
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return CloudError(action, code, str(message or ""), exc.get_request_id())
