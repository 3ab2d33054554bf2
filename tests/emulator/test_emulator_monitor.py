"""Monitor GetMonitorData over the emulator's own invocations (wall clock injected)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from emu_sdk import ManualClock, api, create, make_zip, monitor_client, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.monitor.v20180724 import models as monitor_models
from tencentcloud.monitor.v20180724.monitor_client import MonitorClient
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import EmulatorConfig, EmulatorServer, running_emulator

BJ = timezone(timedelta(hours=8))
T0 = datetime(2026, 1, 5, 10, 0, 0, tzinfo=BJ).timestamp()
FAILING = make_zip({"index.py": "def main(event, context):\n"
                                "    if event.get('fail'):\n        raise RuntimeError('x')\n    return 'ok'\n"})


@pytest.fixture
def wall() -> ManualClock:
    return ManualClock(T0 + 7)


@pytest.fixture
def metered(wall: ManualClock) -> Iterator[EmulatorServer]:
    with running_emulator(EmulatorConfig(wall_clock=wall, seed=3)) as emu:
        yield emu


def _dims(version: str | None = None, alias: str | None = None) -> dict[str, Any]:
    dims = [{"Name": "functionName", "Value": "fn"}, {"Name": "namespace", "Value": "default"}]
    dims += [{"Name": "version", "Value": version}] if version else [{"Name": "alias", "Value": alias}]
    return {"Dimensions": dims}


def _query(client: MonitorClient, metric: str, instances: list[dict[str, Any]], period: int = 60,
           namespace: str = "QCE/SCF_V2") -> dict[str, Any]:
    return api(client, "GetMonitorData", Namespace=namespace, MetricName=metric, Period=period,
               Instances=instances, StartTime="2026-01-05T10:00:30+08:00", EndTime="2026-01-05T10:09:59+08:00")


def _traffic(scf: ScfClient, wall: ManualClock) -> None:
    create(scf, Runtime="Python3.9", Handler="index.main", Code={"ZipFile": FAILING})
    api(scf, "PublishVersion", FunctionName="fn")
    api(scf, "PublishVersion", FunctionName="fn")
    api(scf, "CreateAlias", FunctionName="fn", Name="live", FunctionVersion="1",
        RoutingConfig={"AddtionVersionMatchs": [{"Version": "2", "Key": "invoke.headers.c", "Method": "exact",
                                                 "Expression": "y"}]})
    for minute, version_2_calls, failures in ((0, 2, 1), (2, 1, 0)):
        wall.value = T0 + minute * 60 + 5
        for index in range(version_2_calls):
            event = {"fail": index < failures}
            api(scf, "InvokeFunction", FunctionName="fn", Qualifier="live", RoutingKey='{"c": "y"}',
                Event=json.dumps(event))
        api(scf, "InvokeFunction", FunctionName="fn", Qualifier="live")


def test_per_version_counts(metered: EmulatorServer, wall: ManualClock) -> None:
    scf = scf_client(metered.endpoint)
    _traffic(scf, wall)
    client = monitor_client(metered.endpoint)
    invocations = _query(client, "Invocation", [_dims(version="1"), _dims(version="2"), _dims(version="9")])
    assert invocations["StartTime"] == "2026-01-05T10:00:00+08:00"
    assert invocations["EndTime"] == "2026-01-05T10:09:00+08:00"
    assert (invocations["Period"], invocations["MetricName"]) == (60, "Invocation")
    v1, v2, v9 = invocations["DataPoints"]
    assert (v1["Timestamps"], v1["Values"]) == ([T0, T0 + 120], [1.0, 1.0])
    assert (v2["Timestamps"], v2["Values"]) == ([T0, T0 + 120], [2.0, 1.0])
    assert (v9["Timestamps"], v9["Values"]) == ([], [])
    assert v2["Dimensions"] == _dims(version="2")["Dimensions"]
    errors = _query(client, "Error", [_dims(version="2")])["DataPoints"][0]
    assert errors["Values"] == [1.0, 0.0]
    by_alias = _query(client, "Invocation", [_dims(alias="live")], period=300)["DataPoints"][0]
    assert (by_alias["Timestamps"], by_alias["Values"]) == ([T0], [5.0])


def test_duration_is_average_ms(metered: EmulatorServer, wall: ManualClock) -> None:
    scf = scf_client(metered.endpoint)
    _traffic(scf, wall)
    request = monitor_models.GetMonitorDataRequest()
    request.from_json_string(json.dumps({
        "Namespace": "qce/scf_v2", "MetricName": "Duration", "Period": 300, "Instances": [_dims(version="2")],
        "StartTime": "2026-01-05T10:00:00+08:00", "EndTime": "2026-01-05T10:05:00+08:00"}))
    response = monitor_client(metered.endpoint).GetMonitorData(request)
    point = response.DataPoints[0]
    assert point.Timestamps == [T0] and len(point.Values) == 1 and point.Values[0] > 0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Namespace": "QCE/CVM"}, "InvalidParameterValue"),
        ({"MetricName": "Nope"}, "InvalidParameterValue"),
        ({"Period": 61}, "InvalidParameterValue"),
        ({"Instances": []}, "InvalidParameterValue"),
        ({"Instances": [{"Dimensions": [{"Name": "functionName", "Value": "fn"}]}]}, "InvalidParameterValue"),
        ({"StartTime": "2026-01-05T11:00:00+08:00"}, "InvalidParameterValue"),
    ],
)
def test_monitor_errors(monitor: MonitorClient, params: dict[str, Any], code: str) -> None:
    base: dict[str, Any] = {"Namespace": "QCE/SCF_V2", "MetricName": "Invocation", "Period": 60,
                            "Instances": [_dims(version="1")], "StartTime": "2026-01-05T10:00:00+08:00",
                            "EndTime": "2026-01-05T10:10:00+08:00"}
    with pytest.raises(TencentCloudSDKException) as exc:
        api(monitor, "GetMonitorData", **{**base, **params})
    assert exc.value.code == code
