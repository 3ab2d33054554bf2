"""Invoke/InvokeFunction: Python handlers, error reporting, timeouts, alias routing."""

from __future__ import annotations

import json
import os
import random
import re
import time
from typing import Any

import pytest
from emu_sdk import api, create, make_zip, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.scf.v20180416 import models
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, running_emulator
from component.emulator.scf.models import Alias
from component.emulator.scf.routing import choose_version

HANDLER = """
import os
def main_handler(event, context):
    print("got", event.get("n"), "mode", os.environ.get("MODE"))
    if event.get("fail"):
        raise ValueError("boom")
    if event.get("sleep"):
        import time; time.sleep(event["sleep"])
    return {"n": event.get("n"), "version": context["function_version"], "tag": TAG}
"""


def _python_zip(tag: str) -> str:
    return make_zip({"index.py": f"TAG = {tag!r}\n" + HANDLER})


def _served(result: dict[str, Any]) -> str:
    match = re.match(r"START RequestId: \S+ Version: (\S+)\n", result["Log"])
    assert match, result["Log"]
    return match.group(1)


@pytest.fixture
def py(scf: ScfClient) -> ScfClient:
    create(scf, Runtime="Python3.9", Handler="index.main_handler", Code={"ZipFile": _python_zip("A")},
           Environment={"Variables": [{"Key": "MODE", "Value": "test"}]})
    return scf


def _invoke(client: ScfClient, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = api(client, "Invoke", FunctionName="fn", **params)["Result"]
    return result


def test_python_handler_success(py: ScfClient) -> None:
    request = models.InvokeRequest()
    request.FunctionName, request.ClientContext, request.LogType = "fn", json.dumps({"n": 7}), "Tail"
    result = py.Invoke(request).Result
    assert (result.InvokeResult, result.ErrMsg) == (0, "")
    assert json.loads(result.RetMsg) == {"n": 7, "version": "$LATEST", "tag": "A"}
    assert "got 7 mode test\n" in result.Log
    assert result.Log.startswith(f"START RequestId: {result.FunctionRequestId} Version: $LATEST\n")
    assert result.Duration > 0 and result.BillDuration >= 1


def test_python_handler_exception_is_a_user_error(py: ScfClient) -> None:
    result = _invoke(py, ClientContext=json.dumps({"fail": True, "n": 1}))
    assert result["InvokeResult"] == 1
    ret = json.loads(result["RetMsg"])
    assert (ret["errorCode"], ret["errorMessage"], ret["statusCode"]) == (1, "boom", 430)
    assert "Traceback" in ret["stackTrace"] and "ValueError: boom" in ret["stackTrace"]
    assert result["ErrMsg"] == "ValueError: boom"
    assert "got 1 mode test" in result["Log"]


def test_python_handler_timeout(py: ScfClient) -> None:
    api(py, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=1)
    result = _invoke(py, ClientContext=json.dumps({"sleep": 5}))
    ret = json.loads(result["RetMsg"])
    assert (result["InvokeResult"], ret["statusCode"]) == (1, 433)
    assert ret["errorMessage"] == "Invoking task timed out after 1 seconds"


def test_each_version_runs_its_own_code(py: ScfClient) -> None:
    api(py, "PublishVersion", FunctionName="fn")
    api(py, "UpdateFunctionCode", FunctionName="fn", ZipFile=_python_zip("B"))
    assert json.loads(_invoke(py, Qualifier="1")["RetMsg"])["tag"] == "A"
    assert json.loads(_invoke(py)["RetMsg"])["tag"] == "B"
    result = api(py, "InvokeFunction", FunctionName="fn", Event="{}")["Result"]
    assert (_served(result), json.loads(result["RetMsg"])["tag"]) == ("$LATEST", "B")


def test_non_python_runtime_echoes_event(scf: ScfClient) -> None:
    create(scf)
    result = _invoke(scf, ClientContext='{"hello": "world"}')
    assert (json.loads(result["RetMsg"]), result["InvokeResult"]) == ({"hello": "world"}, 0)


@pytest.mark.parametrize(
    ("action", "params", "code"),
    [
        ("Invoke", {"Qualifier": "5"}, "InvalidParameterValue"),
        ("InvokeFunction", {"Qualifier": "nope"}, "ResourceNotFound.Qualifier"),
        ("Invoke", {"ClientContext": "{not json"}, "InvalidParameterValue.Param"),
        ("InvokeFunction", {"Event": "[1,"}, "InvalidParameterValue.Param"),
        ("InvokeFunction", {"RoutingKey": "nope"}, "InvalidParameterValue.Param"),
    ],
)
def test_invoke_errors(scf: ScfClient, action: str, params: dict[str, Any], code: str) -> None:
    create(scf)
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, action, FunctionName="fn", **params)
    assert exc.value.code == code


def _two_versions(client: ScfClient, routing: dict[str, Any]) -> None:
    create(client)
    api(client, "PublishVersion", FunctionName="fn")
    api(client, "PublishVersion", FunctionName="fn")
    api(client, "CreateAlias", FunctionName="fn", Name="live", FunctionVersion="1", RoutingConfig=routing)


def _rule(method: str, expression: str) -> dict[str, Any]:
    return {"AddtionVersionMatchs": [{"Version": "2", "Key": "invoke.headers.uid", "Method": method,
                                      "Expression": expression}]}


@pytest.mark.parametrize(
    ("method", "expression", "routing_key", "version"),
    [
        ("exact", "Bob", {"uid": "Bob"}, "2"),
        ("exact", "Bob", {"uid": "bob"}, "1"),
        ("exact", "Bob", {"other": "Bob"}, "1"),
        ("exact", "Bob", None, "1"),
        ("range", "[1,10]", {"uid": "1"}, "2"),
        ("range", "[1,10]", {"uid": "10"}, "2"),
        ("range", "(1,10)", {"uid": "1"}, "1"),
        ("range", "(1,10)", {"uid": "9"}, "2"),
        ("range", "(1,10)", {"uid": "10"}, "1"),
        ("range", "[1,10]", {"uid": "x"}, "1"),
    ],
)
def test_rule_routing(scf: ScfClient, method: str, expression: str, routing_key: dict[str, str] | None,
                      version: str) -> None:
    _two_versions(scf, _rule(method, expression))
    extra = {"RoutingKey": json.dumps(routing_key)} if routing_key is not None else {}
    result = api(scf, "InvokeFunction", FunctionName="fn", Qualifier="live", **extra)["Result"]
    assert _served(result) == version


def _share(endpoint: str, calls: int) -> float:
    client = scf_client(endpoint)
    _two_versions(client, {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.1}]})
    served = [_served(api(client, "Invoke", FunctionName="fn", Qualifier="live")["Result"]) for _ in range(calls)]
    assert set(served) == {"1", "2"}
    return served.count("2") / calls


def test_weighted_routing_1000_calls_through_invoke() -> None:
    """The alias weights reach the routing decision of real invocations (1,000 calls: 3 sd ≈ 0.028)."""
    with running_emulator(EmulatorConfig(seed=42)) as emu:
        assert abs(_share(emu.endpoint, 1_000) - 0.1) <= 0.03


@pytest.mark.parametrize(("weight", "seed"), [(0.1, 7), (0.5, 8), (0.01, 9)])
def test_weighted_routing_decisions_within_half_a_percent(weight: float, seed: int) -> None:
    """The decision itself, 100,000 times in-process (HTTP adds nothing to its statistics)."""
    alias = Alias("live", "1", "", 0.0, 0.0, weights=[{"Version": "2", "Weight": weight}])
    rng = random.Random(seed)
    served = [choose_version(alias, {}, rng) for _ in range(100_000)]
    assert abs(served.count("2") / len(served) - weight) <= 0.005


def test_seeded_routing_is_reproducible() -> None:
    runs = []
    for _ in range(2):
        with running_emulator(EmulatorConfig(seed=99)) as emu:
            client = scf_client(emu.endpoint)
            _two_versions(client, {"AdditionalVersionWeights": [{"Version": "2", "Weight": 0.5}]})
            runs.append([_served(api(client, "Invoke", FunctionName="fn", Qualifier="live")["Result"])
                         for _ in range(40)])
    assert runs[0] == runs[1]


def test_weight_zero_and_one(scf: ScfClient) -> None:
    _two_versions(scf, {"AdditionalVersionWeights": [{"Version": "2", "Weight": 1.0}]})
    assert {_served(_invoke(scf, Qualifier="live")) for _ in range(20)} == {"2"}
    api(scf, "UpdateAlias", FunctionName="fn", Name="live", FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": [{"Version": "2", "Weight": 0}]})
    assert {_served(_invoke(scf, Qualifier="live")) for _ in range(20)} == {"1"}


@pytest.mark.parametrize(
    "routing_key",
    ['{"uid": "' + "x" * 1020 + '"}', '{"uid": 5}', '{"uid": {"a": "b"}}'],
    ids=["over-1024-bytes", "int-value", "object-value"],
)
def test_routing_key_limits(scf: ScfClient, routing_key: str) -> None:
    """RoutingKey: a JSON object of strings, at most 1024 bytes (the SDK model's documented limits)."""
    _two_versions(scf, _rule("exact", "Bob"))
    with pytest.raises(TencentCloudSDKException) as exc:
        api(scf, "InvokeFunction", FunctionName="fn", Qualifier="live", RoutingKey=routing_key)
    assert exc.value.code == "InvalidParameterValue"  # errorcodes.py has no RoutingKey-specific code
    assert "RoutingKey" in exc.value.message


def test_routing_key_of_exactly_1024_bytes_is_accepted(scf: ScfClient) -> None:
    _two_versions(scf, _rule("exact", "Bob"))
    head = '{"uid": "Bob", "pad": "'
    routing_key = head + "x" * (1024 - len(head) - 2) + '"}'
    assert len(routing_key.encode()) == 1024
    result = api(scf, "InvokeFunction", FunctionName="fn", Qualifier="live", RoutingKey=routing_key)["Result"]
    assert _served(result) == "2"


WARM = """
import os, sys, time
CALLS = []
def main_handler(event, context):
    CALLS.append(event.get("n"))
    print("call", event.get("n"))
    sys.stderr.write("err %s\\n" % event.get("n"))
    if event.get("die"):
        os._exit(3)
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"pid": os.getpid(), "calls": list(CALLS), "mode": os.environ.get("MODE"),
            "version": context["function_version"]}
"""


@pytest.fixture
def warm(scf: ScfClient) -> ScfClient:
    create(scf, Runtime="Python3.9", Handler="index.main_handler", Code={"ZipFile": make_zip({"index.py": WARM})},
           Environment={"Variables": [{"Key": "MODE", "Value": "one"}]})
    return scf


def _ret(client: ScfClient, **event: Any) -> dict[str, Any]:
    qualifier = event.pop("qualifier", "$LATEST")
    result = _invoke(client, Qualifier=qualifier, ClientContext=json.dumps(event))
    assert result["InvokeResult"] == 0, result
    ret: dict[str, Any] = json.loads(result["RetMsg"])
    ret["log"] = result["Log"]
    return ret


def test_python_worker_stays_warm_and_captures_each_invocations_output(warm: ScfClient) -> None:
    first, second = _ret(warm, n=1), _ret(warm, n=2)
    assert first["pid"] == second["pid"] and second["calls"] == [1, 2]  # one process, module imported once
    assert "call 2\n" in second["log"] and "err 2\n" in second["log"]
    assert "call 1" not in second["log"] and "err 1" not in second["log"]


def test_versions_never_share_a_worker_and_get_their_own_environment(warm: ScfClient) -> None:
    api(warm, "PublishVersion", FunctionName="fn")
    latest, one = _ret(warm, n=1), _ret(warm, n=2, qualifier="1")
    assert latest["pid"] != one["pid"] and (latest["version"], one["version"]) == ("$LATEST", "1")
    api(warm, "UpdateFunctionConfiguration", FunctionName="fn",
        Environment={"Variables": [{"Key": "MODE", "Value": "two"}]})
    changed = _ret(warm, n=3)
    assert changed["mode"] == "two" and changed["pid"] != latest["pid"] and changed["calls"] == [3]
    assert _ret(warm, n=4, qualifier="1")["mode"] == "one"


def test_timed_out_or_dead_worker_is_replaced(warm: ScfClient) -> None:
    api(warm, "UpdateFunctionConfiguration", FunctionName="fn", Timeout=1)
    before = _ret(warm, n=1)
    timed_out = _invoke(warm, ClientContext=json.dumps({"n": 2, "sleep": 3}))
    assert (timed_out["InvokeResult"], json.loads(timed_out["RetMsg"])["statusCode"]) == (1, 433)
    assert "call 2" in timed_out["Log"]
    after = _ret(warm, n=3)
    assert after["pid"] != before["pid"] and after["calls"] == [3]
    died = _invoke(warm, ClientContext=json.dumps({"n": 4, "die": True}))
    assert (died["InvokeResult"], json.loads(died["RetMsg"])["statusCode"]) == (1, 430)
    assert "call 4" in died["Log"]
    assert _ret(warm, n=5)["calls"] == [5]


def test_concurrent_invokes_of_one_version_run_in_parallel(warm: ScfClient, emu: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    _ret(warm, n=0)
    began = time.perf_counter()
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda n: _ret(scf_client(emu.endpoint), n=n, sleep=0.6), range(3)))
    assert time.perf_counter() - began < 1.5
    assert len({r["pid"] for r in results}) == 3


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie counts as gone
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_stop_leaves_no_worker_processes() -> None:
    with running_emulator(EmulatorConfig()) as emu:
        client = scf_client(emu.endpoint)
        create(client, Runtime="Python3.9", Handler="index.main_handler",
               Code={"ZipFile": make_zip({"index.py": WARM})})
        api(client, "PublishVersion", FunctionName="fn")
        pids = {_ret(client, n=1)["pid"], _ret(client, n=2, qualifier="1")["pid"]}
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    assert not any(_alive(pid) for pid in pids)
