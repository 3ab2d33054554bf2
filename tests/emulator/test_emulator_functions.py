"""Function lifecycle through the SDK: create/get/update/delete/list, validation, limits."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from emu_sdk import ECHO_ZIP, api, create, make_zip, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416 import models
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, Limits, running_emulator


def _error(client: ScfClient, action: str, **params: Any) -> tuple[str, str]:
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, action, **params)
    return exc.value.code, exc.value.message


def test_create_then_get_function_defaults(scf: ScfClient) -> None:
    api(scf, "CreateFunction", FunctionName="fn", Code={"ZipFile": ECHO_ZIP}, Handler="index.main")
    request = models.GetFunctionRequest()
    request.FunctionName = "fn"
    got = scf.GetFunction(request)
    assert (got.FunctionName, got.Namespace, got.Status, got.Qualifier, got.FunctionVersion) == (
        "fn", "default", "Active", "$LATEST", "$LATEST")
    assert (got.MemorySize, got.Timeout, got.Runtime, got.InitTimeout, got.Type) == (128, 3, "Python2.7", 65, "Event")
    assert got.CodeSize == len(base64.b64decode(ECHO_ZIP))
    assert got.StatusReasons == [] and got.CodeResult == "success"
    assert got.FunctionId.startswith("lam-")


def test_create_with_settings_and_update_configuration(scf: ScfClient) -> None:
    create(scf, MemorySize=256, Timeout=10, Description="d1",
           Environment={"Variables": [{"Key": "A", "Value": "1"}]})
    api(scf, "UpdateFunctionConfiguration", FunctionName="fn", MemorySize=512, Description="d2",
        Environment={"Variables": [{"Key": "B", "Value": "2"}]})
    got = api(scf, "GetFunction", FunctionName="fn")
    assert (got["MemorySize"], got["Timeout"], got["Description"]) == (512, 10, "d2")
    assert got["Environment"] == {"Variables": [{"Key": "B", "Value": "2"}]}


def test_update_function_code_changes_sha(scf: ScfClient) -> None:
    create(scf)
    before = api(scf, "GetFunctionAddress", FunctionName="fn")
    new_zip = make_zip({"index.js": "exports.main = async () => 2;\n"})
    api(scf, "UpdateFunctionCode", FunctionName="fn", ZipFile=new_zip, Handler="index.other")
    after = api(scf, "GetFunctionAddress", FunctionName="fn")
    assert before["CodeSha256"] == hashlib.sha256(base64.b64decode(ECHO_ZIP)).hexdigest()
    assert after["CodeSha256"] == hashlib.sha256(base64.b64decode(new_zip)).hexdigest()
    assert api(scf, "GetFunction", FunctionName="fn")["Handler"] == "index.other"


def test_get_function_address_url_serves_the_zip(scf: ScfClient) -> None:
    import requests

    create(scf)
    address = api(scf, "GetFunctionAddress", FunctionName="fn")
    assert requests.get(address["Url"], timeout=5).content == base64.b64decode(ECHO_ZIP)


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"FunctionName": "9bad"}, "InvalidParameterValue.FunctionName", "FunctionName取值与规范不符，请修正后再试。"),
        ({"FunctionName": "bad-"}, "InvalidParameterValue.FunctionName", "FunctionName取值与规范不符，请修正后再试。"),
        ({"MemorySize": 100}, "InvalidParameterValue.MemorySize", "MemorySize错误。"),
        ({"MemorySize": 3200}, "InvalidParameterValue.MemorySize", "MemorySize错误。"),
        ({"Timeout": 901}, "LimitExceeded.Timeout", "Timeout超出最大限制。"),
        ({"Timeout": 0}, "LimitExceeded.Timeout", "Timeout超出最大限制。"),
        ({"Handler": "nodot", "Runtime": "Python3.9"}, "InvalidParameterValue.Handler", "Handler传入错误。"),
        ({"Runtime": " "}, "InvalidParameterValue.Runtime", "Runtime传入错误。"),
        ({"Environment": {"Variables": [{"Key": "K", "Value": "x" * 4100}]}},
         "InvalidParameterValue.EnvironmentExceededLimit", "环境变量大小超限，请保持在 4KB 以内。"),
        ({"Code": {"ZipFile": "not base64!"}}, "InvalidParameterValue.ZipFileBase64BinasciiError",
         "base64解码失败: Incorrect padding"),
        ({"Code": {"ZipFile": base64.b64encode(b"plain text").decode()}}, "InvalidParameterValue.ZipFile",
         "检测到不是标准的zip文件，请重新压缩后再试。"),
        ({"Code": {}}, "MissingParameter.Code", "Code没有传入。"),
        ({"Namespace": "missing"}, "ResourceNotFound.Namespace", "Namespace不存在。"),
    ],
)
def test_create_function_validation(scf: ScfClient, overrides: dict[str, Any], code: str, message: str) -> None:
    params: dict[str, Any] = {"FunctionName": "fn", "Handler": "index.main", "Runtime": "Nodejs18.15",
                              "Code": {"ZipFile": ECHO_ZIP}, **overrides}
    assert _error(scf, "CreateFunction", **params) == (code, message)


def test_memory_64_is_allowed_and_duplicate_name_rejected(scf: ScfClient) -> None:
    create(scf, MemorySize=64)
    assert _error(scf, "CreateFunction", FunctionName="fn", Code={"ZipFile": ECHO_ZIP}) == (
        "ResourceInUse.Function", "函数已存在。")


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("GetFunction", {}, "ResourceNotFound.FunctionName"),
        ("UpdateFunctionCode", {"ZipFile": ECHO_ZIP}, "ResourceNotFound.Function"),
        ("UpdateFunctionConfiguration", {"Timeout": 5}, "ResourceNotFound.Function"),
        ("DeleteFunction", {}, "ResourceNotFound.Function"),
        ("PublishVersion", {}, "ResourceNotFound.Function"),
        ("GetAlias", {"Name": "live"}, "ResourceNotFound.Function"),
        ("Invoke", {}, "ResourceNotFound.Function"),
    ],
)
def test_missing_function_codes(scf: ScfClient, action: str, params: dict[str, Any], code: str) -> None:
    assert _error(scf, action, FunctionName="ghost", **params) == (code, "函数不存在。")


def test_get_function_bad_qualifier(scf: ScfClient) -> None:
    create(scf)
    assert _error(scf, "GetFunction", FunctionName="fn", Qualifier="7") == ("ResourceNotFound.Version", "版本不存在。")


def test_runtime_cannot_change(scf: ScfClient) -> None:
    create(scf)
    code, _ = _error(scf, "UpdateFunctionConfiguration", FunctionName="fn", Runtime="Python3.9")
    assert code == "InvalidParameterValue.Runtime"


def test_update_code_over_20_mb_is_rejected(scf: ScfClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("blob.bin", b"\0" * (20 * 1024 * 1024 + 1))
    create(scf)
    code, _ = _error(scf, "UpdateFunctionCode", FunctionName="fn",
                     ZipFile=base64.b64encode(buffer.getvalue()).decode())
    assert code == "InvalidParameterValue.ZipFile"


def test_delete_and_list_functions(scf: ScfClient) -> None:
    for name in ("a-fn", "b-fn", "c-fn"):
        create(scf, name)
    listed = api(scf, "ListFunctions", Order="ASC", Orderby="FunctionName", Limit=2, Offset=1)
    assert [f["FunctionName"] for f in listed["Functions"]] == ["b-fn", "c-fn"]
    assert listed["TotalCount"] == 3
    api(scf, "DeleteFunction", FunctionName="b-fn")
    assert api(scf, "ListFunctions", SearchKey="b-")["TotalCount"] == 0
    assert _error(scf, "GetFunction", FunctionName="b-fn")[0] == "ResourceNotFound.FunctionName"


def test_function_limit_per_namespace() -> None:
    with running_emulator(EmulatorConfig(limits=Limits(functions_per_namespace=2))) as emu:
        client = scf_client(emu.endpoint)
        create(client, "f1")
        create(client, "f2")
        code, _ = _error(client, "CreateFunction", FunctionName="f3", Code={"ZipFile": ECHO_ZIP})
        assert code == "LimitExceeded.Function"
        api(client, "CreateNamespace", Namespace="other")
        create(client, "f3", Namespace="other")


def test_default_limit_is_50_functions(scf: ScfClient) -> None:
    for index in range(50):
        create(scf, f"fn{index}")
    assert _error(scf, "CreateFunction", FunctionName="fn50", Code={"ZipFile": ECHO_ZIP})[0] == "LimitExceeded.Function"


def test_namespaces(scf: ScfClient) -> None:
    api(scf, "CreateNamespace", Namespace="team", Description="t")
    names = [n["Name"] for n in api(scf, "ListNamespaces")["Namespaces"]]
    assert names == ["default", "team"]
    assert _error(scf, "CreateNamespace", Namespace="team") == ("ResourceInUse.Namespace", "Namespace已存在。")
    create(scf, "same", Namespace="team")
    create(scf, "same")
    assert api(scf, "GetFunction", FunctionName="same", Namespace="team")["Namespace"] == "team"


def test_cos_code_reference_and_local_folder(tmp_path: Path) -> None:
    (tmp_path / "bucket-1" / "code").mkdir(parents=True)
    zip_bytes = base64.b64decode(ECHO_ZIP)
    (tmp_path / "bucket-1" / "code" / "fn.zip").write_bytes(zip_bytes)
    with running_emulator(EmulatorConfig(cos_dir=tmp_path)) as emu:
        client = scf_client(emu.endpoint)
        create(client, Code={"CosBucketName": "bucket-1", "CosObjectName": "/code/fn.zip"})
        sha = api(client, "GetFunctionAddress", FunctionName="fn")["CodeSha256"]
        assert sha == hashlib.sha256(zip_bytes).hexdigest()
        code, _ = _error(client, "CreateFunction", FunctionName="fn2",
                         Code={"CosBucketName": "bucket-1", "CosObjectName": "/missing.zip"})
        assert code == "ResourceNotFound.CosObject"
    with running_emulator() as emu:
        client = scf_client(emu.endpoint)
        create(client, Code={"CosBucketName": "b", "CosObjectName": "/o.zip"})
        assert api(client, "GetFunction", FunctionName="fn")["CodeInfo"] == "b/o.zip"


def test_triggers(scf: ScfClient) -> None:
    create(scf)
    info = api(scf, "CreateTrigger", FunctionName="fn", TriggerName="tick", Type="timer",
               TriggerDesc="0 */5 * * * * *")["TriggerInfo"]
    assert (info["TriggerName"], info["Qualifier"], info["Enable"]) == ("tick", "$DEFAULT", 1)
    assert api(scf, "ListTriggers", FunctionName="fn")["TotalCount"] == 1
    assert [t["TriggerName"] for t in api(scf, "GetFunction", FunctionName="fn")["Triggers"]] == ["tick"]
    assert _error(scf, "CreateTrigger", FunctionName="fn", TriggerName="tick", Type="timer",
                  TriggerDesc="0 * * * * * *") == ("ResourceInUse.Trigger", "TriggerName已存在。")
    api(scf, "DeleteTrigger", FunctionName="fn", TriggerName="tick", Type="timer")
    assert _error(scf, "DeleteTrigger", FunctionName="fn", TriggerName="tick", Type="timer") == (
        "ResourceNotFound.Trigger", "触发器不存在。")
