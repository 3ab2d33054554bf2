"""Wire protocol: signatures, envelope, routing by service/version/action."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from emu_sdk import PY_HANDLER, api, create, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416 import models

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorServer


@pytest.mark.parametrize(
    ("secret_id", "key", "code", "message"),
    [
        (DEFAULT_SECRET_ID, "wrong-key", "AuthFailure.SignatureFailure",
         "The provided credentials could not be validated. Please check your signature is correct."),
        ("AKIDunknown", DEFAULT_SECRET_KEY, "AuthFailure.SecretIdNotFound",
         "The SecretId is not found, please ensure that your SecretId is correct."),
    ],
)
def test_bad_credentials_are_rejected(emu: EmulatorServer, secret_id: str, key: str, code: str, message: str) -> None:
    client = scf_client(emu.endpoint, key=key, secret_id=secret_id)
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, "ListFunctions")
    assert (exc.value.code, exc.value.message) == (code, message)


def test_stale_timestamp_is_signature_expire(emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    client = scf_client(emu.endpoint)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 301)
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, "ListFunctions")
    assert exc.value.code == "AuthFailure.SignatureExpire"


@pytest.mark.parametrize("sign_method", ["HmacSHA256", "HmacSHA1"])
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_legacy_signatures_are_accepted(emu: EmulatorServer, sign_method: str, method: str) -> None:
    client = scf_client(emu.endpoint, signMethod=sign_method, reqMethod=method)
    create(scf_client(emu.endpoint), "legacy")
    request = models.GetFunctionRequest()
    request.FunctionName = "legacy"
    assert client.GetFunction(request).FunctionName == "legacy"
    bad = scf_client(emu.endpoint, key="nope", signMethod=sign_method, reqMethod=method)
    with pytest.raises(TencentCloudSDKException) as exc:
        bad.GetFunction(request)
    assert exc.value.code == "AuthFailure.SignatureFailure"


def test_get_requests_with_flattened_routing_config(emu: EmulatorServer) -> None:
    client = scf_client(emu.endpoint, reqMethod="GET")
    create(client)
    api(client, "PublishVersion", FunctionName="fn")
    api(client, "CreateAlias", FunctionName="fn", Name="live", FunctionVersion="$LATEST",
        RoutingConfig={"AdditionalVersionWeights": [{"Version": "1", "Weight": 0.25}]})
    alias = api(client, "GetAlias", FunctionName="fn", Name="live")
    assert alias["RoutingConfig"] == {"AdditionalVersionWeights": [{"Version": "1", "Weight": 0.25}],
                                      "AddtionVersionMatchs": []}


def _raw(emu: EmulatorServer, headers: dict[str, str], body: Any) -> requests.Response:
    return requests.post(f"http://{emu.endpoint}/", data=json.dumps(body), headers=headers, timeout=5)


def test_envelope_content_type_and_request_id(emu: EmulatorServer) -> None:
    response = _raw(emu, {"Content-Type": "application/json", "X-TC-Action": "ListFunctions"}, {})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()["Response"]
    assert body["Error"] == {"Code": "AuthFailure.InvalidAuthorization", "Message": "Authorization header is invalid."}
    assert len(body["RequestId"]) == 36


def test_unknown_action_and_version(emu: EmulatorServer) -> None:
    client = scf_client(emu.endpoint)
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, "DescribeNothing")
    assert exc.value.code == "InvalidAction"
    client._apiVersion = "2099-01-01"
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, "ListFunctions")
    assert exc.value.code == "NoSuchVersion"


def test_regions_are_isolated(emu: EmulatorServer) -> None:
    create(scf_client(emu.endpoint, region="ap-guangzhou"), "only-gz")
    shanghai = scf_client(emu.endpoint, region="ap-shanghai")
    assert api(shanghai, "ListFunctions")["TotalCount"] == 0
    assert api(scf_client(emu.endpoint), "ListFunctions")["TotalCount"] == 1


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [  # what the Node component's toolkit sends on every deploy, signed as it signs (legacy HmacSHA1 form)
        ("GetFunction", {"FunctionName": "fn", "ShowCode": "FALSE", "ShowTriggers": "FALSE"}, None),
        ("CreateFunction", {"FunctionName": "other", "Runtime": "Python3.9", "Handler": "index.main_handler",
                            "Code": {"ZipFile": PY_HANDLER}, "DeployMode": "code", "DiskSize": 512,
                            "L5Enable": "FALSE"}, None),
        ("UpdateFunctionConfiguration", {"FunctionName": "fn", "DiskSize": 512, "L5Enable": "FALSE"}, None),
        ("UpdateFunctionCode", {"FunctionName": "fn", "DiskSize": 512}, "UnknownParameter"),  # only where sent
        ("GetFunction", {"FunctionName": "fn", "Environment": {"DiskSize": 512}}, "UnknownParameter"),
    ],
)
def test_fields_the_node_toolkit_sends_are_accepted_where_it_sends_them(
        emu: EmulatorServer, action: str, params: dict[str, Any], code: str | None) -> None:
    client = scf_client(emu.endpoint, signMethod="HmacSHA1")
    create(client)
    try:
        api(client, action, **params)
        got = None
    except TencentCloudSDKException as exc:
        got = exc.code
    assert got == code
