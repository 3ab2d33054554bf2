"""The published-API contract (#14): every action the emulator serves answers like the SDK's models say.

Two halves. The checker itself, on hand-made answers, finds each kind of breach (a test that could not
fail would prove nothing). Then one walk through every served action, success and error, with the
checker installed: no violation, and no served action left unchecked. The rest of the suite runs with
the same checker on every emulator answer (``scf_emulator_contract = true`` in pyproject).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from component.emulator.core.contract import ContractRecorder, check_error, check_reply
from component.emulator.dispatch import SERVICES

GOOD_ALIAS = {"FunctionVersion": "1", "Name": "live", "Description": "", "AddTime": "t", "ModTime": "t",
              "RoutingConfig": {"AdditionalVersionWeights": [], "AddtionVersionMatchs": []}, "RequestId": "r"}

TRIGGER_INFO = {"Enable": 1, "Qualifier": "$DEFAULT", "TriggerName": "t", "Type": "timer", "TriggerDesc": "{}",
                "AvailableStatus": "Available", "CustomArgument": "", "AddTime": "t", "ModTime": "t",
                "ResourceId": "", "BindStatus": "", "TriggerAttribute": "", "Description": "", "BoundResources": ""}


@pytest.mark.parametrize(
    ("action", "response", "problems"),
    [
        ("GetAlias", GOOD_ALIAS, []),
        ("GetAlias", {k: v for k, v in GOOD_ALIAS.items() if k != "Description"},
         ["Response.Description: missing (GetAliasResponse does not document it as possibly null)"]),
        ("GetAlias", {**GOOD_ALIAS, "Extra": 1}, ["Response.Extra: not declared by GetAliasResponse"]),
        ("GetAlias", {**GOOD_ALIAS, "FunctionVersion": 1}, ["Response.FunctionVersion: expected str, got int"]),
        ("GetAlias", {**GOOD_ALIAS, "RoutingConfig": {"AdditionalVersionWeights": [{"Version": "2"}],
                                                      "AddtionVersionMatchs": []}},
         ["Response.RoutingConfig.AdditionalVersionWeights[0].Weight: missing (VersionWeight does not document "
          "it as possibly null)"]),
        ("GetAlias", {**GOOD_ALIAS, "RoutingConfig": []}, ["Response.RoutingConfig: expected RoutingConfig, got list"]),
        ("ListTriggers", {"TotalCount": 1, "Triggers": [TRIGGER_INFO], "RequestId": "r"}, []),
        ("ListTriggers", {"TotalCount": 1, "Triggers": [{**TRIGGER_INFO, "Description": None}], "RequestId": "r"},
         []),  # TriggerInfo documents Description as possibly null
        ("ListTriggers", {"TotalCount": 1, "Triggers": [{**TRIGGER_INFO, "Type": None}], "RequestId": "r"},
         ["Response.Triggers[0].Type: missing (TriggerInfo does not document it as possibly null)"]),
        ("Invoke", {"Result": {"Log": "", "RetMsg": "", "ErrMsg": "", "MemUsage": 0, "Duration": 1,
                               "BillDuration": 1, "FunctionRequestId": "x", "InvokeResult": True},
                    "ExecutedVersion": "1", "RequestId": "r"},  # a documented emulator extra
         ["Response.Result.InvokeResult: expected int, got bool"]),
        ("GetAlias", {"Error": {"Code": "ResourceNotFound.Alias", "Message": "m"}, "RequestId": "r"}, []),
        ("GetAlias", {"Error": {"Code": "ResourceNotFound.Nope", "Message": "m"}, "RequestId": "r"},
         ["Error.Code 'ResourceNotFound.Nope' is not in tencentcloud.scf.v20180416.errorcodes"]),
        ("Invoke", {"Error": {"Code": "ResourceNotFound.Qualifier", "Message": "m"}, "RequestId": "r"},
         ["Error.Code 'ResourceNotFound.Qualifier' is not documented for Invoke"]),
        ("Invoke", {"Error": {"Code": "UnknownParameter", "Message": "m"}, "RequestId": "r"}, []),
    ],
)
def test_the_checker_finds_each_kind_of_breach(action: str, response: dict[str, Any], problems: list[str]) -> None:
    assert check_reply("scf", action, response) == problems


def test_error_codes_of_other_services_are_checked_against_their_own_lists() -> None:
    assert check_error("apigateway", "ReleaseService", "InvalidParameter.FormatError") == []
    assert check_error("apigateway", "ReleaseService", "InvalidParameterValue.InvalidEnv") == [
        "Error.Code 'InvalidParameterValue.InvalidEnv' is not documented for ReleaseService"]
    assert check_error("monitor", "GetMonitorData", "FailedOperation.Nope") == [
        "Error.Code 'FailedOperation.Nope' is not in tencentcloud.monitor.v20180724.errorcodes"]


# -- every served action, through the SDK, with the checker installed -------------------------------
@pytest.fixture
def checked(tmp_path: Path) -> Iterator[tuple[EmulatorServer, ContractRecorder]]:
    with EmulatorServer(EmulatorConfig(seed=3)) as server:
        recorder = ContractRecorder(tmp_path)
        server.pipeline.contract = recorder
        yield server, recorder


def _zip(files: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return base64.b64encode(buffer.getvalue()).decode()


class Caller:
    def __init__(self, endpoint: str) -> None:
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http"))
        cred = Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        self.clients = {service: CommonClient(service, version, cred, "ap-guangzhou", profile)
                        for service, (version, _, _) in SERVICES.items()}

    def __call__(self, service: str, action: str, **params: Any) -> dict[str, Any]:
        response: dict[str, Any] = self.clients[service].call_json(action, params)["Response"]
        return response

    def fails(self, service: str, action: str, **params: Any) -> str:
        with pytest.raises(TencentCloudSDKException) as error:
            self(service, action, **params)
        return str(error.value.code)


def _walk_scf(call: Caller) -> None:
    code = _zip({"index.py": "def main(event, context):\n    print('hi')\n    return event\n"})
    fn = {"FunctionName": "fn"}
    call("scf", "CreateNamespace", Namespace="team", Description="d")
    call("scf", "ListNamespaces")
    assert call("scf", "PublishLayerVersion", LayerName="deps", CompatibleRuntimes=["Python3.9"],
                Content={"ZipFile": code})["LayerVersion"] == 1
    call("scf", "GetLayerVersion", LayerName="deps", LayerVersion=1)
    call("scf", "ListLayerVersions", LayerName="deps")
    call("scf", "CreateFunction", **fn, Runtime="Python3.9", Handler="index.main", Code={"ZipFile": code},
         Layers=[{"LayerName": "deps", "LayerVersion": 1}], DeadLetterConfig={"Type": "CMQ", "Name": "q"},
         CfsConfig={"CfsInsList": [{"CfsId": "cfs-1", "MountInsId": "cfs-1", "LocalMountDir": "/mnt",
                                     "RemoteMountDir": "/"}]},
         PublicNetConfig={"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "ENABLE"}})
    call("scf", "GetFunction", **fn)
    call("scf", "UpdateFunctionCode", **fn, ZipFile=code, Handler="index.main")
    call("scf", "UpdateFunctionConfiguration", **fn, Timeout=5)
    call("scf", "ListFunctions")
    call("scf", "GetFunctionAddress", **fn)
    call("scf", "PublishVersion", **fn, Description="v1")
    call("scf", "PublishVersion", **fn, Description="v2")
    call("scf", "ListVersionByFunction", **fn)
    call("scf", "CreateAlias", **fn, Name="live", FunctionVersion="1",
         RoutingConfig={"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.5}]})
    call("scf", "UpdateAlias", **fn, Name="live", FunctionVersion="2")
    call("scf", "GetAlias", **fn, Name="live")
    call("scf", "ListAliases", **fn)
    call("scf", "UpdateFunctionEventInvokeConfig", **fn,
         AsyncTriggerConfig={"MsgTTL": 3600, "RetryConfig": [{"RetryNum": 1}]})
    call("scf", "GetFunctionEventInvokeConfig", **fn)
    call("scf", "PutProvisionedConcurrencyConfig", **fn, Qualifier="2", VersionProvisionedConcurrencyNum=1)
    call("scf", "GetProvisionedConcurrencyConfig", **fn)
    call("scf", "DeleteProvisionedConcurrencyConfig", **fn, Qualifier="2")
    res = {"ServiceType": "scf", "ResourcePrefix": "namespace", "ResourceIds": ["default/function/fn"],
           "ResourceRegion": "ap-guangzhou"}
    call("tag", "CreateTag", TagKey="k", TagValue="v")
    call("tag", "AttachResourcesTag", **res, TagKey="k", TagValue="v")
    call("tag", "CreateTag", TagKey="k", TagValue="w")
    call("tag", "ModifyResourcesTagValue", **res, TagKey="k", TagValue="w")
    call("tag", "DescribeResourceTagsByResourceIds", **res)
    call("tag", "DetachResourcesTag", **res, TagKey="k")
    call("scf", "Invoke", **fn, ClientContext="{}", LogType="Tail")
    call("scf", "InvokeFunction", **fn, Qualifier="live", Event="{}")
    call("scf", "CreateTrigger", **fn, TriggerName="t", Type="timer", TriggerDesc="0 */5 * * * * *")
    call("scf", "ListTriggers", **fn)
    call("scf", "DeleteTrigger", **fn, TriggerName="t", Type="timer")
    call("scf", "DeleteAlias", **fn, Name="live")
    call("scf", "DeleteFunctionVersion", **fn, Qualifier="1")
    call("scf", "DeleteFunction", **fn)
    call("scf", "DeleteLayerVersion", LayerName="deps", LayerVersion=1)


def _walk_errors(call: Caller) -> None:
    assert call.fails("scf", "GetFunction", FunctionName="nope") == "ResourceNotFound.FunctionName"
    assert call.fails("scf", "CreateFunction", FunctionName="9bad", Code={"ZipFile": "x"}) == (
        "InvalidParameterValue.FunctionName")
    assert call.fails("scf", "CreateFunction", FunctionName="fn2", Runtime="Python3.9", Handler="index.main",
                      Code={"ZipFile": _zip({"index.py": ""})}, Layers=[{"LayerName": "x", "LayerVersion": 1}]) == (
        "ResourceNotFound.Layer")
    assert call.fails("scf", "GetLayerVersion", LayerName="deps", LayerVersion=9) == "ResourceNotFound.LayerVersion"
    assert call.fails("monitor", "GetMonitorData", Namespace="QCE/NOPE", MetricName="Invocation") != ""


def _walk_monitor_and_apigw(call: Caller) -> None:
    call("scf", "CreateFunction", FunctionName="web", Runtime="Python3.9", Handler="index.main",
         Code={"ZipFile": _zip({"index.py": "def main(e, c):\n    return e\n"})})
    call("monitor", "GetMonitorData", Namespace="QCE/SCF_V2", MetricName="Invocation", Period=60,
         Instances=[{"Dimensions": [{"Name": "functionName", "Value": "web"}, {"Name": "namespace", "Value": "default"},
                                    {"Name": "version", "Value": "$LATEST"}]}])
    sid = call("apigateway", "CreateService", ServiceName="svc", Protocol="http&https")["ServiceId"]
    call("apigateway", "DescribeService", ServiceId=sid)
    call("apigateway", "DescribeServicesStatus")
    api = {"ServiceId": sid, "ServiceType": "SCF", "RequestConfig": {"Path": "/", "Method": "GET"},
           "ServiceScfFunctionName": "web", "ServiceScfFunctionQualifier": "$LATEST"}
    api_id = call("apigateway", "CreateApi", **api)["Result"]["ApiId"]
    call("apigateway", "ModifyApi", **api, ApiId=api_id, ApiName="root")
    call("apigateway", "DescribeApi", ServiceId=sid, ApiId=api_id)
    call("apigateway", "DescribeApisStatus", ServiceId=sid)
    call("apigateway", "ReleaseService", ServiceId=sid, EnvironmentName="release", ReleaseDesc="r")
    call("apigateway", "DescribeServiceEnvironmentList", ServiceId=sid)
    call("apigateway", "UnReleaseService", ServiceId=sid, EnvironmentName="release")
    call("apigateway", "DeleteApi", ServiceId=sid, ApiId=api_id)
    call("apigateway", "DeleteService", ServiceId=sid)
    assert call.fails("apigateway", "ReleaseService", ServiceId=sid, EnvironmentName="prod") != ""


def _walk_cam(call: Caller) -> None:
    """CAM roles, as ``enableRoleAuth`` uses them (#13)."""
    assert call.fails("cam", "GetRole", RoleName="SCF_QcsRole") == "InvalidParameter.RoleNotExist"
    document = '{"version":"2.0","statement":[]}'
    call("cam", "CreateRole", RoleName="SCF_QcsRole", PolicyDocument=document)
    assert call.fails("cam", "CreateRole", RoleName="SCF_QcsRole", PolicyDocument=document) == (
        "InvalidParameter.RoleNameInUse"
    )
    call("cam", "AttachRolePolicy", PolicyId=28341895, AttachRoleName="SCF_QcsRole")
    assert call("cam", "GetRole", RoleName="SCF_QcsRole")["RoleInfo"]["RoleName"] == "SCF_QcsRole"


def _walk_cls(call: Caller) -> None:
    """CLS SearchLog over the logs of an invocation (the toolbox's ``scf logs``, #18)."""
    call("scf", "CreateFunction", FunctionName="logged", Runtime="Python3.9", Handler="index.main",
         Code={"ZipFile": _zip({"index.py": "def main(e, c):\n    print('hi')\n    return e\n"})})
    call("scf", "Invoke", FunctionName="logged")
    topic = call("scf", "GetFunction", FunctionName="logged")["ClsTopicId"]
    found = call("cls", "SearchLog", TopicId=topic, From=0, To=2**42, Query='SCF_FunctionName:"logged"', Limit=2)
    call("cls", "SearchLog", TopicId=topic, From=0, To=2**42, Query='SCF_FunctionName:"logged"', Limit=2,
         Context=found["Context"])
    assert call.fails("cls", "SearchLog", TopicId=topic, From=0, To=1, Query="a OR b") == "FailedOperation.SyntaxError"
    assert call.fails("cls", "SearchLog", TopicId="nope", From=0, To=1, Query="*") == "ResourceNotFound.TopicNotExist"


def test_every_served_action_answers_within_the_contract(checked: tuple[EmulatorServer, ContractRecorder],
                                                         tmp_path: Path) -> None:
    server, recorder = checked
    call = Caller(server.endpoint)
    _walk_scf(call)
    _walk_errors(call)
    _walk_monitor_and_apigw(call)
    _walk_cls(call)
    _walk_cam(call)
    violations = [json.loads(line) for path in tmp_path.glob("violations-*.jsonl")
                  for line in path.read_text(encoding="utf-8").splitlines()]
    assert violations == []
    answered = {(service, action) for service, action, outcome in recorder.seen if outcome == "ok"}
    served = {(service, action) for service, (_, _, actions) in SERVICES.items() for action in actions}
    assert served - answered == set()
