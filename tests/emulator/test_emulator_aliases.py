"""Versions and aliases: numbering, snapshots, $DEFAULT, RoutingConfig rules, limits."""

from __future__ import annotations

from typing import Any

import pytest
from emu_sdk import api, create, make_zip, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416 import models
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, Limits, running_emulator


def _code(client: ScfClient, action: str, **params: Any) -> tuple[str, str]:
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, action, FunctionName="fn", **params)
    return exc.value.code, exc.value.message


@pytest.fixture
def fn3(scf: ScfClient) -> ScfClient:
    """Function ``fn`` with versions 1, 2, 3."""
    create(scf)
    for index in range(3):
        api(scf, "PublishVersion", FunctionName="fn", Description=f"v{index + 1}")
    return scf


def test_publish_snapshots_latest(scf: ScfClient) -> None:
    create(scf, Timeout=5)
    published = api(scf, "PublishVersion", FunctionName="fn", Description="first")
    assert {k: published[k] for k in ("FunctionVersion", "Timeout", "MemorySize", "Description", "Namespace")} == {
        "FunctionVersion": "1", "Timeout": 5, "MemorySize": 128, "Description": "first", "Namespace": "default"}
    api(scf, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=20)
    api(scf, "UpdateFunctionCode", FunctionName="fn", ZipFile=make_zip({"index.js": "// v2"}))
    one = api(scf, "GetFunction", FunctionName="fn", Qualifier="1")
    assert (one["Timeout"], one["Qualifier"], one["FunctionVersion"]) == (5, "1", "1")
    sha_1 = api(scf, "GetFunctionAddress", FunctionName="fn", Qualifier="1")["CodeSha256"]
    assert sha_1 != api(scf, "GetFunctionAddress", FunctionName="fn")["CodeSha256"]


def test_versions_list_order_paging_and_no_reuse(fn3: ScfClient) -> None:
    listed = api(fn3, "ListVersionByFunction", FunctionName="fn")
    assert listed["FunctionVersion"] == ["$LATEST", "1", "2", "3"]
    assert [v["Description"] for v in listed["Versions"][1:]] == ["v1", "v2", "v3"]
    assert all(v["Status"] == "Active" for v in listed["Versions"])
    desc = api(fn3, "ListVersionByFunction", FunctionName="fn", Order="DESC", Offset=1, Limit=2)
    assert (desc["FunctionVersion"], desc["TotalCount"]) == (["3", "2"], 4)
    api(fn3, "DeleteFunctionVersion", FunctionName="fn", Qualifier="3")
    assert api(fn3, "PublishVersion", FunctionName="fn")["FunctionVersion"] == "4"
    assert _code(fn3, "ListVersionByFunction", Order="UP") == ("InvalidParameterValue.Order", "Order传入错误。")


@pytest.mark.parametrize(
    ("qualifier", "code"),
    [("$LATEST", "InvalidParameterValue.Qualifier"), ("9", "ResourceNotFound.Qualifier"),
     ("1", "UnsupportedOperation.AliasBind"), ("2", "UnsupportedOperation.AliasBind")],
)
def test_delete_version_errors(fn3: ScfClient, qualifier: str, code: str) -> None:
    api(fn3, "CreateAlias", Name="live", FunctionName="fn", FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]})
    assert _code(fn3, "DeleteFunctionVersion", Qualifier=qualifier)[0] == code


def test_alias_crud_and_default_alias(fn3: ScfClient) -> None:
    record = '{"deploy": "abc", "weight": 0.1}'
    api(fn3, "CreateAlias", Name="live", FunctionName="fn", FunctionVersion="1", Description=record)
    request = models.GetAliasRequest()
    request.FunctionName, request.Name = "fn", "live"
    alias = fn3.GetAlias(request)
    assert (alias.FunctionVersion, alias.Description) == ("1", record)
    assert alias.RoutingConfig.AdditionalVersionWeights == [] and alias.RoutingConfig.AddtionVersionMatchs == []
    api(fn3, "UpdateAlias", Name="live", FunctionName="fn", FunctionVersion="2",
        RoutingConfig={"AdditionalVersionWeights": [{"Version": "3", "Weight": 0.5}]})
    updated = api(fn3, "GetAlias", Name="live", FunctionName="fn")
    assert (updated["FunctionVersion"], updated["Description"]) == ("2", record)
    assert updated["RoutingConfig"]["AdditionalVersionWeights"] == [{"Version": "3", "Weight": 0.5}]
    aliases = api(fn3, "ListAliases", FunctionName="fn")
    assert [a["Name"] for a in aliases["Aliases"]] == ["$DEFAULT", "live"]
    assert aliases["Aliases"][0]["FunctionVersion"] == "$LATEST"
    assert aliases["Aliases"][0]["RoutingConfig"] == {"AdditionalVersionWeights": [], "AddtionVersionMatchs": []}
    assert [a["Name"] for a in api(fn3, "ListAliases", FunctionName="fn", FunctionVersion="3")["Aliases"]] == ["live"]
    assert _code(fn3, "DeleteAlias", Name="$DEFAULT") == (
        "InvalidParameterValue.Alias", "不支持删除默认别名，请修正后重试。")
    api(fn3, "DeleteAlias", FunctionName="fn", Name="live")
    assert _code(fn3, "GetAlias", Name="live") == ("ResourceNotFound.Alias", "别名不存在。")
    assert _code(fn3, "DeleteAlias", Name="live") == ("ResourceNotFound.Alias", "别名不存在。")


def test_alias_create_errors(fn3: ScfClient) -> None:
    api(fn3, "CreateAlias", Name="live", FunctionName="fn", FunctionVersion="1")
    assert _code(fn3, "CreateAlias", Name="live", FunctionVersion="1") == ("ResourceInUse.Alias", "Alias已被占用。")
    assert _code(fn3, "CreateAlias", Name="9x", FunctionVersion="1") == (
        "InvalidParameterValue.Name", "Name参数传入错误。")
    assert _code(fn3, "CreateAlias", Name="x", FunctionVersion="8") == (
        "ResourceNotFound.FunctionVersion", "函数版本不存在。")
    assert _code(fn3, "UpdateAlias", Name="nope", FunctionVersion="1")[0] == "ResourceNotFound.Alias"


W = "AdditionalVersionWeights"
M = "AddtionVersionMatchs"
RC = "InvalidParameterValue.RoutingConfig"
AVW = "InvalidParameterValue.AdditionalVersionWeights"


@pytest.mark.parametrize(
    ("routing", "code"),
    [
        ({W: [{"Version": "2", "Weight": 0.1}], M: [{"Version": "2", "Key": "invoke.headers.u", "Method": "exact",
                                                       "Expression": "a"}]}, RC),
        ({W: [{"Version": "2", "Weight": 0.1}, {"Version": "3", "Weight": 0.1}]}, AVW),
        ({W: [{"Version": "1", "Weight": 0.1}]}, AVW),
        ({W: [{"Version": "2", "Weight": 1.5}]}, AVW),
        ({W: [{"Version": "2", "Weight": -0.1}]}, AVW),
        ({W: [{"Version": "9", "Weight": 0.1}]}, "ResourceNotFound.FunctionVersion"),
        ({M: [{"Version": "2", "Key": "headers.u", "Method": "exact", "Expression": "a"}]}, RC),
        ({M: [{"Version": "2", "Key": "invoke.headers.u", "Method": "regex", "Expression": "a"}]}, RC),
        ({M: [{"Version": "2", "Key": "invoke.headers.u", "Method": "range", "Expression": "[1,5)"}]}, RC),
        ({M: [{"Version": "2", "Key": "invoke.headers.u", "Method": "range", "Expression": "[5,1]"}]}, RC),
        ({M: [{"Version": "2", "Key": "invoke.headers.u", "Method": "range", "Expression": "[a,b]"}]}, RC),
        ({M: [{"Version": "1", "Key": "invoke.headers.u", "Method": "exact", "Expression": "a"}]}, RC),
        ({W: "not-a-list"}, "InvalidParameter.RoutingConfig"),
    ],
)
def test_routing_config_validation(fn3: ScfClient, routing: dict[str, Any], code: str) -> None:
    assert _code(fn3, "CreateAlias", Name="live", FunctionVersion="1", RoutingConfig=routing)[0] == code


@pytest.mark.parametrize("expression", ["[1,5]", "(1,5)", "[-3,3]"])
def test_valid_range_rules_accepted(fn3: ScfClient, expression: str) -> None:
    rule = {"Version": "2", "Key": "invoke.headers.uid", "Method": "range", "Expression": expression}
    api(fn3, "CreateAlias", Name="live", FunctionName="fn", FunctionVersion="1", RoutingConfig={M: [rule]})
    assert api(fn3, "GetAlias", FunctionName="fn", Name="live")["RoutingConfig"] == {W: [], M: [rule]}


def test_version_and_alias_limits() -> None:
    with running_emulator(EmulatorConfig(limits=Limits(versions_per_function=2, aliases_per_function=1))) as emu:
        client = scf_client(emu.endpoint)
        create(client)
        api(client, "PublishVersion", FunctionName="fn")
        api(client, "PublishVersion", FunctionName="fn")
        assert _code(client, "PublishVersion") == ("LimitExceeded.FunctionVersions", "函数版本超限")
        api(client, "CreateAlias", FunctionName="fn", Name="a1", FunctionVersion="1")
        assert _code(client, "CreateAlias", Name="a2", FunctionVersion="1") == (
            "LimitExceeded.Alias", "别名个数超过最大限制。")
