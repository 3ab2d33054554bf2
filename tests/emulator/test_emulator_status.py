"""Status machine with an injected clock, busy errors and injected status failures."""

from __future__ import annotations

from typing import Any

import pytest
from emu_sdk import ECHO_ZIP, ManualClock, api, create, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, EmulatorServer, running_emulator


def _status(client: ScfClient, qualifier: str = "$LATEST") -> str:
    return str(api(client, "GetFunction", FunctionName="fn", Qualifier=qualifier)["Status"])


def _code(client: ScfClient, action: str, **params: Any) -> tuple[str, str]:
    with pytest.raises(TencentCloudSDKException) as exc:
        api(client, action, FunctionName="fn", **params)
    return exc.value.code, exc.value.message


BUSY_ERRORS = [
    ("UpdateFunctionCode", {"ZipFile": ECHO_ZIP}, "FailedOperation.UpdateFunctionCode",
     "当前函数状态无法更新代码，请在状态为正常时更新。"),
    ("UpdateFunctionConfiguration", {"Timeout": 9}, "FailedOperation.UpdateFunctionConfiguration",
     "当前函数状态无法进行此操作，请在函数状态正常时重试。"),
    ("PublishVersion", {}, "FailedOperation.PublishVersion", "当前函数状态无法发布版本，请在状态为正常时发布。"),
    ("DeleteFunction", {}, "FailedOperation.DeleteFunction", "当前函数状态无法进行此操作，请在函数状态正常时重试。"),
]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def slow(clock: ManualClock) -> Any:
    with running_emulator(EmulatorConfig(status_delay=5, clock=clock)) as emu:
        yield emu


def test_transitions_follow_the_clock(slow: EmulatorServer, clock: ManualClock) -> None:
    client = scf_client(slow.endpoint)
    create(client)
    assert _status(client) == "Creating"
    clock.advance(4.9)
    assert _status(client) == "Creating"
    clock.advance(0.1)
    assert _status(client) == "Active"
    api(client, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=9)
    assert _status(client) == "Updating"
    clock.advance(5)
    assert _status(client) == "Active"
    version = api(client, "PublishVersion", FunctionName="fn")["FunctionVersion"]
    assert (_status(client), _status(client, version)) == ("Publishing", "Publishing")
    clock.advance(5)
    assert (_status(client), _status(client, version)) == ("Active", "Active")


@pytest.mark.parametrize(("action", "params", "code", "message"), BUSY_ERRORS)
def test_busy_function_rejects_mutations(slow: EmulatorServer, clock: ManualClock, action: str,
                                         params: dict[str, Any], code: str, message: str) -> None:
    client = scf_client(slow.endpoint)
    create(client)
    assert _code(client, action, **params) == (code, message)
    clock.advance(5)
    api(client, action, FunctionName="fn", **params)


def test_invoking_a_creating_function_fails(slow: EmulatorServer, clock: ManualClock) -> None:
    client = scf_client(slow.endpoint)
    create(client)
    assert _code(client, "Invoke")[0] == "FailedOperation.FunctionStatusError"
    clock.advance(5)
    version = api(client, "PublishVersion", FunctionName="fn")["FunctionVersion"]
    assert _code(client, "Invoke", Qualifier=version)[0] == "FailedOperation.FunctionStatusError"


@pytest.mark.parametrize(
    ("action", "params", "failed"),
    [
        ("CreateFunction", None, "CreateFailed"),
        ("UpdateFunctionCode", {"ZipFile": ECHO_ZIP}, "UpdateFailed"),
        ("UpdateFunctionConfiguration", {"Timeout": 30}, "UpdateFailed"),
        ("PublishVersion", {}, "PublishFailed"),
    ],
)
def test_status_failure_fault(emu: EmulatorServer, scf: ScfClient, action: str,
                              params: dict[str, Any] | None, failed: str) -> None:
    emu.add_fault(action, "status_failure", error_code="ResourceNotFound.Role", message="role missing")
    create(scf)
    if params is not None:
        api(scf, action, FunctionName="fn", **params)
    got = api(scf, "GetFunction", FunctionName="fn")
    assert got["Status"] == failed
    assert got["StatusReasons"] == [{"ErrorCode": "ResourceNotFound.Role", "ErrorMessage": "role missing"}]
    assert got["Timeout"] == 3  # a failed update leaves the previous configuration in place


def test_failed_publish_marks_the_version(emu: EmulatorServer, scf: ScfClient) -> None:
    create(scf)
    emu.add_fault("PublishVersion", "status_failure", function="fn")
    version = api(scf, "PublishVersion", FunctionName="fn")["FunctionVersion"]
    versions = api(scf, "ListVersionByFunction", FunctionName="fn")["Versions"]
    assert [(v["Version"], v["Status"]) for v in versions] == [("$LATEST", "PublishFailed"), (version, "PublishFailed")]
    assert api(scf, "PublishVersion", FunctionName="fn")["FunctionVersion"] == "2"  # retry allowed, numbers move on
    assert _status(scf, "2") == "Active"


def test_status_failure_on_nth_call(emu: EmulatorServer, scf: ScfClient) -> None:
    emu.add_fault("UpdateFunctionConfiguration", "status_failure", nth=2)
    create(scf)
    api(scf, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=4)
    assert _status(scf) == "Active"
    api(scf, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=5)
    assert _status(scf) == "UpdateFailed"
    api(scf, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=6)
    assert (_status(scf), api(scf, "GetFunction", FunctionName="fn")["Timeout"]) == ("Active", 6)
