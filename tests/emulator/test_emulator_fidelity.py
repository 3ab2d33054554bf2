"""Answers the published API gives and the emulator used to get wrong (#14): filled objects, LogType, async
invokes, unknown parameters, filters, layers, en-US messages, the Node toolkit's form-POST "clear" markers."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from emu_sdk import PY_HANDLER, api, create, make_zip, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorServer

EMPTY_DEAD_LETTER = {"Type": "", "Name": "", "FilterType": ""}


def _code(client: ScfClient, action: str, **params: Any) -> tuple[str, str]:
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, action, **params)
    return str(exc.value.code), str(exc.value.message)


def test_unset_configuration_objects_are_answered_as_empty_objects(scf: ScfClient) -> None:
    create(scf)
    got = api(scf, "GetFunction", FunctionName="fn")
    assert (got["DeadLetterConfig"], got["CfsConfig"], got["AccessInfo"]) == (
        EMPTY_DEAD_LETTER, {"CfsInsList": []}, {"Host": "", "Vip": ""})
    assert got["PublicNetConfig"] == {"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "DISABLE",
                                                                                  "EipAddress": []}}


def test_set_configuration_objects_are_answered_filled(scf: ScfClient) -> None:
    create(scf, DeadLetterConfig={"Type": "CMQ", "Name": "dlq"}, VpcConfig={"VpcId": "vpc-1", "SubnetId": "sub-1"},
           CfsConfig={"CfsInsList": [{"CfsId": "cfs-1", "MountInsId": "cfs-1", "LocalMountDir": "/mnt",
                                       "RemoteMountDir": "/"}]},
           PublicNetConfig={"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "ENABLE"}})
    got = api(scf, "GetFunction", FunctionName="fn")
    assert got["DeadLetterConfig"] == {"Type": "CMQ", "Name": "dlq", "FilterType": ""}
    assert got["CfsConfig"]["CfsInsList"] == [{
        "UserId": "10000", "UserGroupId": "10000", "CfsId": "cfs-1", "MountInsId": "cfs-1", "LocalMountDir": "/mnt",
        "RemoteMountDir": "/", "IpAddress": "198.51.100.10", "MountVpcId": "vpc-1", "MountSubnetId": "sub-1"}]
    assert got["PublicNetConfig"]["EipConfig"] == {"EipStatus": "ENABLE", "EipAddress": ["198.51.100.1"]}


def test_a_layer_must_exist_and_is_described_from_its_published_version(scf: ScfClient) -> None:
    layer = [{"LayerName": "deps", "LayerVersion": 1}]
    assert _code(scf, "CreateFunction", FunctionName="fn", Runtime="Python3.9", Handler="index.main",
                 Code={"ZipFile": PY_HANDLER}, Layers=layer)[0] == "ResourceNotFound.Layer"
    assert api(scf, "PublishLayerVersion", LayerName="deps", CompatibleRuntimes=["Python3.9", "Python3.10"],
               Description="shared", Content={"ZipFile": PY_HANDLER})["LayerVersion"] == 1
    create(scf, Runtime="Python3.9", Handler="index.main", Code={"ZipFile": PY_HANDLER}, Layers=layer)
    (got,) = api(scf, "GetFunction", FunctionName="fn")["Layers"]
    assert {k: got[k] for k in ("LayerName", "LayerVersion", "CompatibleRuntimes", "Description", "Status")} == {
        "LayerName": "deps", "LayerVersion": 1, "CompatibleRuntimes": ["Python3.9", "Python3.10"],
        "Description": "shared", "Status": "Active"}
    assert _code(scf, "UpdateFunctionConfiguration", FunctionName="fn",
                 Layers=[{"LayerName": "deps", "LayerVersion": 2}])[0] == "ResourceNotFound.Layer"


NOISY = make_zip({"index.py": "def main(event, context):\n    print('x' * 9000)\n    print('tail-marker')\n"
                              "    return 'ok'\n"})


@pytest.mark.parametrize(("log_type", "expected"), [(None, ""), ("None", "")])
def test_log_is_empty_unless_tail_is_asked(scf: ScfClient, log_type: str | None, expected: str) -> None:
    create(scf, Runtime="Python3.9", Handler="index.main", Code={"ZipFile": NOISY})
    params = {} if log_type is None else {"LogType": log_type}
    result = scf.call_json("Invoke", {"FunctionName": "fn", **params})["Response"]["Result"]
    assert (result["Log"], result["RetMsg"]) == (expected, "ok")


def test_tail_is_the_last_4_kb_of_the_log(scf: ScfClient) -> None:
    create(scf, Runtime="Python3.9", Handler="index.main", Code={"ZipFile": NOISY})
    log = api(scf, "Invoke", FunctionName="fn", LogType="Tail")["Result"]["Log"]
    assert len(log.encode()) <= 4096
    assert "tail-marker" in log
    assert log.splitlines()[-1].startswith("Report RequestId:")


def test_an_event_invocation_answers_at_once_and_runs_in_the_background(emu: EmulatorServer, scf: ScfClient,
                                                                       tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    handler = make_zip({"index.py": "import time\ndef main(event, context):\n    time.sleep(0.5)\n"
                                    "    open(event['path'], 'w').write('done')\n    return 'ok'\n"})
    create(scf, Runtime="Python3.9", Handler="index.main", Code={"ZipFile": handler})
    result = api(scf, "Invoke", FunctionName="fn", InvocationType="Event",
                 ClientContext=json.dumps({"path": str(marker)}))["Result"]
    assert (result["Log"], result["RetMsg"], result["ErrMsg"]) == ("", "", "")
    assert not marker.exists()
    emu.backend.wait_background()
    assert marker.read_text() == "done"


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("ListFunctions", {"Bogus": 1}, "UnknownParameter"),
        ("GetFunction", {"FunctionName": "fn", "Qualifer": "1"}, "UnknownParameter"),
        ("UpdateFunctionConfiguration", {"FunctionName": "fn", "Environment": {"Variables": [
            {"Key": "A", "Value": "1", "Secret": True}]}}, "UnknownParameter"),  # nested objects too
        ("Invoke", {"FunctionName": "fn", "InvocationType": "Later"}, "InvalidParameterValue"),
        ("Invoke", {"FunctionName": "fn", "LogType": "Head"}, "InvalidParameterValue"),
        ("Invoke", {"FunctionName": "fn", "Qualifier": "7"}, "InvalidParameterValue"),
        ("DeleteFunctionVersion", {"FunctionName": "fn", "Qualifier": "7"}, "ResourceNotFound.Qualifier"),
        ("CreateFunction", {"FunctionName": "9fn", "Code": {"ZipFile": PY_HANDLER}},
         "InvalidParameterValue.FunctionName"),
        ("ListFunctions", {"Filters": [{"Name": "Color", "Values": ["red"]}]}, "InvalidParameterValue"),
        ("ListTriggers", {"FunctionName": "fn", "OrderBy": "name"}, "InvalidParameterValue.OrderBy"),
        ("ListTriggers", {"FunctionName": "fn", "Filters": [{"Name": "Type", "Values": ["timer"]}]},
         "InvalidParameterValue.Filters"),
    ],
)
def test_documented_error_codes(scf: ScfClient, action: str, params: dict[str, Any], code: str) -> None:
    create(scf)
    assert _code(scf, action, **params)[0] == code


def test_list_functions_honours_search_key_description_and_filters(scf: ScfClient) -> None:
    create(scf, "alpha", Tags=[{"Key": "team", "Value": "pay"}], Description="payments api")
    create(scf, "beta", Tags=[{"Key": "team", "Value": "ops"}], Type="HTTP")
    create(scf, "alphabet")

    def names(**params: Any) -> list[str]:
        return sorted(f["FunctionName"] for f in api(scf, "ListFunctions", **params)["Functions"])

    assert names(SearchKey="alpha") == ["alpha", "alphabet"]
    assert names(Description="payments") == ["alpha"]
    assert names(Filters=[{"Name": "tag-team", "Values": ["pay", "ops"]}]) == ["alpha", "beta"]
    assert names(Filters=[{"Name": "tag-team", "Values": ["ops"]}, {"Name": "Type", "Values": ["HTTP"]}]) == ["beta"]
    assert names(Filters=[{"Name": "Type", "Values": ["Event"]}], SearchKey="alpha") == ["alpha", "alphabet"]


def test_list_triggers_honours_filters_and_order(scf: ScfClient) -> None:
    create(scf)
    api(scf, "PublishVersion", FunctionName="fn")
    for name, qualifier in (("a", "$DEFAULT"), ("b", "1"), ("c", "$DEFAULT")):
        api(scf, "CreateTrigger", FunctionName="fn", TriggerName=name, Type="timer",
            TriggerDesc="0 */5 * * * * *", Qualifier=qualifier)
        time.sleep(0.01)

    def names(**params: Any) -> list[str]:
        return [t["TriggerName"] for t in api(scf, "ListTriggers", FunctionName="fn", **params)["Triggers"]]

    assert names(OrderBy="add_time", Order="ASC") == ["a", "b", "c"]
    assert names(OrderBy="add_time", Order="DESC") == ["c", "b", "a"]
    assert names(Filters=[{"Name": "Qualifier", "Values": ["$DEFAULT"]}], OrderBy="add_time", Order="ASC") == [
        "a", "c"]
    assert api(scf, "ListTriggers", FunctionName="missing")["Triggers"] == []


@pytest.mark.parametrize(("language", "message"),
                         [("zh-CN", "函数不存在。"), ("en-US", "The function does not exist.")])
@pytest.mark.parametrize("legacy", [False, True])
def test_messages_follow_the_requested_language(emu: EmulatorServer, language: str, message: str,
                                                legacy: bool) -> None:
    options: dict[str, Any] = {"signMethod": "HmacSHA1", "reqMethod": "POST"} if legacy else {}
    client = scf_client(emu.endpoint, language=language, **options)
    assert _code(client, "UpdateFunctionCode", FunctionName="nope", ZipFile=PY_HANDLER) == (
        "ResourceNotFound.Function", message)


def test_the_toolkit_form_post_clear_markers_are_accepted(emu: EmulatorServer) -> None:
    """The Node toolkit signs with HmacSHA1 and sends a form; an empty list goes as ``X.0.Key=`` (empty)."""
    form = scf_client(emu.endpoint, signMethod="HmacSHA1", reqMethod="POST")
    create(form, Environment={"Variables": [{"Key": "A", "Value": "1"}]})
    api(form, "UpdateFunctionConfiguration", FunctionName="fn", Environment={"Variables": [{"Key": "", "Value": ""}]},
        Layers=[{"LayerName": "", "LayerVersion": ""}])
    got = api(form, "GetFunction", FunctionName="fn")
    assert (got["Environment"], got["Layers"]) == ({"Variables": []}, [])
