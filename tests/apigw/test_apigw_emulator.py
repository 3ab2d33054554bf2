"""The emulator's API Gateway through the official SDK: error codes, release snapshots, integrated responses."""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest

from component.cloud.credentials import Credentials
from component.cloud.sdk import SdkTransport
from component.emulator import EmulatorConfig, EmulatorServer
from component.emulator.core.config import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from component.errors import CloudError

HANDLER = '''
def main_handler(event, context):
    if event["path"] == "/integrated":
        return {"statusCode": 201, "headers": {"X-Hello": "yes"}, "body": "hi", "isBase64Encoded": False}
    if event["path"] == "/binary":
        return {"statusCode": 200, "headers": {}, "body": "AAE=", "isBase64Encoded": True}
    return {"stage": event["requestContext"]["stage"], "user": event["headers"].get("User")}
'''


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(seed=1)) as server:
        yield server


@pytest.fixture
def call(emu: EmulatorServer) -> Any:
    transport = SdkTransport(Credentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                             endpoint=emu.endpoint, sleep=time.sleep, max_attempts=1)
    return transport.call


def _zip() -> str:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", HANDLER)
    return base64.b64encode(buffer.getvalue()).decode()


def _api(service_id: str, path: str, *, integrated: bool = False, method: str = "GET") -> dict[str, Any]:
    return {"ServiceId": service_id, "ServiceType": "SCF", "RequestConfig": {"Path": path, "Method": method},
            "ServiceScfFunctionName": "fn1", "ServiceScfFunctionQualifier": "$LATEST",
            "ServiceScfIsIntegratedResponse": integrated}


def _fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


ERRORS = [
    ("DescribeService", {"ServiceId": "service-none"}, "ResourceNotFound.InvalidService"),
    ("CreateService", {"ServiceName": "s", "Protocol": "ftp"}, "InvalidParameterValue.NotInOptions"),
    ("DescribeApi", {"ServiceId": "<sid>", "ApiId": "api-none"}, "ResourceNotFound.InvalidApi"),
    ("ReleaseService", {"ServiceId": "<sid>", "EnvironmentName": "prod"}, "InvalidParameter.FormatError"),
    ("UnReleaseService", {"ServiceId": "<sid>", "EnvironmentName": "test"}, "FailedOperation.ServiceError"),
    ("CreateApi", {**_api("<sid>", "/"), "RequestConfig": {"Path": "/", "Method": "FETCH"}},
     "InvalidParameterValue.InvalidApiRequestConfig"),
    ("CreateApi", _api("<sid>", "/dup"), "InvalidParameterValue.InvalidApiRequestConfig"),
    ("CreateApi", {**_api("<sid>", "/x"), "ServiceScfFunctionName": ""}, "InvalidParameterValue.InvalidScfConfig"),
    ("DeleteService", {"ServiceId": "<sid>"}, "UnsupportedOperation.UnsupportedDeleteService"),
]


@pytest.mark.parametrize(("action", "params", "code"), ERRORS, ids=[f"{e[0]}-{e[2]}" for e in ERRORS])
def test_tencent_error_codes(call: Any, action: str, params: dict[str, Any], code: str) -> None:
    sid = call("apigateway", "CreateService", {"ServiceName": "s", "Protocol": "http"})["ServiceId"]
    call("apigateway", "CreateApi", _api(sid, "/dup"))
    resolved = json.loads(json.dumps(params).replace("<sid>", sid))
    with pytest.raises(CloudError) as failure:
        call("apigateway", action, resolved)
    assert failure.value.code == code


def test_stages_serve_release_snapshots_and_map_integrated_responses(emu: EmulatorServer, call: Any) -> None:
    call("scf", "CreateFunction", {"FunctionName": "fn1", "Runtime": "Python3.9", "Handler": "index.main_handler",
                                   "Code": {"ZipFile": _zip()}})
    created = call("apigateway", "CreateService", {"ServiceName": "s", "Protocol": "http"})
    sid, sub = created["ServiceId"], created["OuterSubDomain"]
    assert sub == f"{emu.endpoint}/_apigw/{sid}"
    plain = call("apigateway", "CreateApi", _api(sid, "/"))["Result"]["ApiId"]
    call("apigateway", "CreateApi", _api(sid, "/integrated", integrated=True, method="ANY"))
    call("apigateway", "CreateApi", _api(sid, "/binary", integrated=True))
    assert _fetch(f"http://{sub}/release/")[0] == 404  # not released yet
    call("apigateway", "ReleaseService", {"ServiceId": sid, "EnvironmentName": "release"})
    status, headers, body = _fetch(f"http://{sub}/release/", {"User": "Bob"})
    assert (status, json.loads(body), headers["X-Scf-Executed-Version"]) == (
        200, {"stage": "release", "user": "Bob"}, "$LATEST")
    status, headers, body = _fetch(f"http://{sub}/release/integrated")
    assert (status, headers["X-Hello"], body) == (201, "yes", b"hi")
    assert _fetch(f"http://{sub}/release/binary")[2] == b"\x00\x01"
    call("apigateway", "DeleteApi", {"ServiceId": sid, "ApiId": plain})  # the stage keeps its snapshot
    assert _fetch(f"http://{sub}/release/")[0] == 200
    call("apigateway", "ReleaseService", {"ServiceId": sid, "EnvironmentName": "release"})
    assert _fetch(f"http://{sub}/release/")[0] == 404
    assert _fetch(f"http://{sub}/test/integrated")[0] == 404  # another stage, never released
