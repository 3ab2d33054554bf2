"""Timer triggers: the cron parser, trigger validation, and firing on the injected wall clock."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from emu_sdk import PY_HANDLER, ManualClock, api, create, monitor_client, scf_client
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from component.emulator import EmulatorConfig, EmulatorServer, running_emulator
from component.emulator.scf.cron import parse_cron

BJ = timezone(timedelta(hours=8))
T0 = datetime(2026, 1, 5, 10, 0, 0, tzinfo=BJ).timestamp()  # a Monday


def at(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=BJ)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("expression", "moment", "hit"),
    [
        ("* * * * * * *", at(2026, 1, 5, 10, 0, 1), True),
        ("0 */5 * * * * *", at(2026, 1, 5, 10, 5, 0), True),
        ("0 */5 * * * * *", at(2026, 1, 5, 10, 6, 0), False),
        ("0 */5 * * * * *", at(2026, 1, 5, 10, 5, 1), False),
        ("*/10 * * * * * *", at(2026, 1, 5, 10, 5, 20), True),
        ("0 30 9 * * MON-FRI *", at(2026, 1, 5, 9, 30, 0), True),  # Monday
        ("0 30 9 * * MON-FRI *", at(2026, 1, 4, 9, 30, 0), False),  # Sunday
        ("0 0 0 1 JAN ? 2026", at(2026, 1, 1, 0, 0, 0), True),
        ("0 0 0 1 JAN ? 2027", at(2026, 1, 1, 0, 0, 0), False),
        ("0 0 12 15 * 0 *", at(2026, 1, 4, 12, 0, 0), True),  # day or weekday: Sunday 4th
        ("0 0 12 15 * 7 *", at(2026, 1, 4, 12, 0, 0), True),  # 7 is Sunday too
        ("5,10-12 * * * * * *", at(2026, 1, 5, 10, 0, 11), True),
    ],
)
def test_cron_matches(expression: str, moment: datetime, hit: bool) -> None:
    assert parse_cron(expression).matches(moment) is hit


@pytest.fixture
def wall() -> ManualClock:
    return ManualClock(T0 + 0.5)


@pytest.fixture
def timed(wall: ManualClock) -> Iterator[EmulatorServer]:
    with running_emulator(EmulatorConfig(wall_clock=wall, seed=3)) as emu:
        yield emu


def trigger(emu: EmulatorServer, desc: str, **params: str) -> dict[str, object]:
    scf = scf_client(emu.endpoint)
    base = {"FunctionName": "fn", "TriggerName": "tick", "Type": "timer", "TriggerDesc": desc}
    return api(scf, "CreateTrigger", **{**base, **params})


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"TriggerDesc": "0 */5 * *"}, "InvalidParameterValue.TriggerDesc"),  # five fields
        ({"TriggerDesc": "61 * * * * * *"}, "InvalidParameterValue.TriggerDesc"),
        ({"TriggerDesc": ""}, "InvalidParameterValue.TriggerDesc"),
        ({"Type": "cos", "TriggerDesc": "not json"}, "InvalidParameterValue.TriggerDesc"),
        ({"Type": "cos", "TriggerDesc": '{"filter": {}}'}, "InvalidParameterValue.TriggerDesc"),
        ({"Type": "sqs"}, "InvalidParameterValue.Type"),
        ({"Enable": "YES"}, "InvalidParameterValue.Enable"),
        ({"Qualifier": "nope"}, "ResourceNotFound.Qualifier"),
    ],
)
def test_create_trigger_errors(timed: EmulatorServer, params: dict[str, str], code: str) -> None:
    create(scf_client(timed.endpoint))
    with pytest.raises(TencentCloudSDKException) as info:
        trigger(timed, "* * * * * * *", **params)
    assert info.value.code == code


def test_timer_desc_is_listed_as_cron_json_and_duplicates_are_refused(timed: EmulatorServer) -> None:
    scf = scf_client(timed.endpoint)
    create(scf)
    info = trigger(timed, "0 */5 * * * * *")["TriggerInfo"]
    assert info["TriggerDesc"] == '{"cron":"0 */5 * * * * *"}'  # type: ignore[index]
    with pytest.raises(TencentCloudSDKException) as dup:
        trigger(timed, '{"cron": "0 */6 * * * * *"}')
    assert dup.value.code == "ResourceInUse.Trigger"
    with pytest.raises(TencentCloudSDKException) as wrong:
        api(scf, "DeleteTrigger", FunctionName="fn", TriggerName="tick", Type="timer", Qualifier="$LATEST")
    assert wrong.value.code == "ResourceNotFound.Trigger"
    api(scf, "DeleteTrigger", FunctionName="fn", TriggerName="tick", Type="timer", Qualifier="$DEFAULT")
    assert api(scf, "ListTriggers", FunctionName="fn")["TotalCount"] == 0


def test_a_one_second_timer_fires_through_the_alias_and_is_counted_per_version(
    timed: EmulatorServer, wall: ManualClock
) -> None:
    scf = scf_client(timed.endpoint)
    create(scf, Runtime="Python3.9", Handler="index.main_handler", Code={"ZipFile": PY_HANDLER})
    api(scf, "PublishVersion", FunctionName="fn")
    api(scf, "CreateAlias", FunctionName="fn", Name="live", FunctionVersion="1")
    trigger(timed, "* * * * * * *", Qualifier="live", CustomArgument="hi")
    trigger(timed, "* * * * * * *", TriggerName="off", Enable="CLOSE")
    assert timed.fire_due_timers() == []  # nothing due within the creation second
    wall.advance(3)
    fired = timed.fire_due_timers()
    assert [(f["trigger"], f["qualifier"], f["version"], f["time"]) for f in fired] == [
        ("tick", "live", "1", int(T0) + s) for s in (1, 2, 3)
    ]
    assert timed.fire_due_timers() == []  # each second fires once
    wall.advance(2)
    request = urllib.request.Request(f"http://{timed.endpoint}/_emulator/tick", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        assert [f["version"] for f in json.loads(reply.read())["fired"]] == ["1", "1"]
    dims = [{"Name": "functionName", "Value": "fn"}, {"Name": "namespace", "Value": "default"}]
    data = api(
        monitor_client(timed.endpoint),
        "GetMonitorData",
        Namespace="QCE/SCF_V2",
        MetricName="Invocation",
        Period=60,
        Instances=[{"Dimensions": [*dims, {"Name": "version", "Value": v}]} for v in ("1", "$LATEST")],
        StartTime="2026-01-05T10:00:00+08:00",
        EndTime="2026-01-05T10:01:00+08:00",
    )
    by_version = [sum(point["Values"]) for point in data["DataPoints"]]
    assert by_version == [5.0, 0.0]


def test_a_two_second_timer_fires_on_even_seconds_only(timed: EmulatorServer, wall: ManualClock) -> None:
    scf = scf_client(timed.endpoint)
    create(scf, Runtime="Python3.9", Handler="index.main_handler", Code={"ZipFile": PY_HANDLER})
    trigger(timed, "*/2 * * * * * *", CustomArgument='{"job": 1}')
    fired = timed.fire_due_timers(T0 + 4)
    assert [f["time"] for f in fired] == [int(T0) + 2, int(T0) + 4]
    assert all(f["invokeResult"] == 0 for f in fired)


def test_a_real_clock_server_ticks_by_itself() -> None:
    assert EmulatorConfig().ticks and not EmulatorConfig(wall_clock=ManualClock()).ticks
    assert not EmulatorConfig(timer_ticker=False).ticks
