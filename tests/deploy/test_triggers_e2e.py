"""``scf deploy`` syncs ``events`` to SCF triggers: the CLI against the emulator through the SDK over HTTP."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from component.emulator import EmulatorConfig, EmulatorServer
from tests.conftest import Cloud, FakeClock, copy_fixture
from tests.deploy.test_deploy_e2e import deploy, writes

TYPES = ["timer", "cos", "cmq", "ckafka", "cls", "mps", "clb"]


def trigger_writes(cloud: Cloud, since: int) -> list[tuple[str, str, str]]:
    """(action, Type, TriggerName) of every trigger write after request number ``since``."""
    return [
        (str(e["action"]), str(e["params"]["Type"]), str(e["params"]["TriggerName"]))
        for e in cloud.server.request_log()[since:]
        if e["action"] in ("CreateTrigger", "DeleteTrigger")
    ]


def listed(cloud: Cloud, function: str) -> dict[str, dict[str, Any]]:
    fn = cloud.server.backend.scf.region("ap-guangzhou")["default"].functions[function]
    return {
        t.type: {"name": t.name, "desc": t.desc, "qualifier": t.qualifier, "enable": t.enable}
        for t in fn.triggers.values()
    }


def edit(project: Path, old: str, new: str) -> None:
    path = project / "serverless.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    return copy_fixture("triggers-all", tmp_path)


def test_every_trigger_type_is_created_with_node_names_and_defaults(cloud: Cloud, hub: Path) -> None:
    outputs = deploy(cloud, hub)
    assert writes(cloud.calls()) == ["CreateFunction"] + ["CreateTrigger"] * len(TYPES)
    triggers = listed(cloud, "hub-dev-events")
    assert sorted(triggers) == sorted(TYPES)
    assert {t: triggers[t]["name"] for t in TYPES} == {
        "timer": "every-five-minutes",
        "cos": "uploads-1250000000.cos.ap-guangzhou.myqcloud.com",
        "cmq": "job-queue",
        "ckafka": "ckafka-abc-events",
        "cls": "6e60b6c7-a98e-4fc8-8ba8-bdfe4ab9c245",
        "mps": "WorkflowTaskEvent",
        "clb": "web-lb",
    }
    assert {t["qualifier"] for t in triggers.values()} == {"$DEFAULT"}
    assert {t: triggers[t]["enable"] for t in TYPES} == {t: "CLOSE" if t == "mps" else "OPEN" for t in TYPES}
    assert triggers["timer"]["desc"] == '{"cron":"0 */5 * * * * *"}'
    items = outputs["triggers"]
    assert isinstance(items, list)
    assert [(i["Type"], i["NeedCreate"], i["Qualifier"]) for i in items] == [(t, True, "$DEFAULT") for t in TYPES]
    assert items[0]["CustomArgument"] == '{"source": "timer"}' and items[0]["Enable"] == 1


def test_a_redeploy_without_change_writes_no_trigger(cloud: Cloud, hub: Path) -> None:
    deploy(cloud, hub)
    before = len(cloud.calls())
    outputs = deploy(cloud, hub)
    calls = cloud.calls()[before:]
    assert writes(calls) == []
    assert calls.count("ListTriggers") == 1
    items = outputs["triggers"]
    assert isinstance(items, list)
    assert [(i["Type"], i["NeedCreate"]) for i in items] == [(t, False) for t in TYPES]


def test_removing_one_trigger_and_changing_another_touches_only_those(cloud: Cloud, hub: Path) -> None:
    deploy(cloud, hub)
    edit(hub, "    - cmq:\n        parameters:\n          name: job-queue\n", "")
    edit(hub, '"0 */5 * * * * *"', '"0 */10 * * * * *"')
    edit(hub, "maxMsgNum: 50", "maxMsgNum: 50\n          enable: false")
    dry = cloud.scf("deploy", "--target", str(hub), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "DeleteTrigger hub-dev-events cmq job-queue [removed from events]" in dry.stdout
    assert "DeleteTrigger hub-dev-events timer every-five-minutes [changed: TriggerDesc]" in dry.stdout
    assert re.search(r"CreateTrigger hub-dev-events timer every-five-minutes → \$DEFAULT \(0 \*/10", dry.stdout)
    before = len(cloud.calls())
    deploy(cloud, hub)
    assert trigger_writes(cloud, before) == [
        ("DeleteTrigger", "timer", "every-five-minutes"),
        ("DeleteTrigger", "cmq", "job-queue"),
        ("DeleteTrigger", "ckafka", "ckafka-abc-events"),
        ("CreateTrigger", "timer", "every-five-minutes"),
        ("CreateTrigger", "ckafka", "ckafka-abc-events"),
    ]
    triggers = listed(cloud, "hub-dev-events")
    assert "cmq" not in triggers and triggers["ckafka"]["enable"] == "CLOSE"
    assert triggers["timer"]["desc"] == '{"cron":"0 */10 * * * * *"}'
    before = len(cloud.calls())
    deploy(cloud, hub)
    assert writes(cloud.calls()[before:]) == []


def test_ignore_triggers_skips_reading_and_writing_them(cloud: Cloud, hub: Path) -> None:
    deploy(cloud, hub)
    edit(hub, "    - cmq:\n        parameters:\n          name: job-queue\n", "")
    before = len(cloud.calls())
    outputs = deploy(cloud, hub, "--inputs", "ignoreTriggers=true")
    calls = cloud.calls()[before:]
    assert "ListTriggers" not in calls and writes(calls) == []
    assert outputs["triggers"] == []
    assert "cmq" in listed(cloud, "hub-dev-events")


def test_a_function_without_triggers_costs_no_list_call(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    before = len(cloud.calls())
    deploy(cloud, project)
    assert "ListTriggers" not in cloud.calls()[before:]


BJ = timezone(timedelta(hours=8))
T0 = datetime(2026, 1, 5, 10, 0, 0, tzinfo=BJ).timestamp()


class Wall:
    def __init__(self) -> None:
        self.value = T0 + 0.5

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def timed_cloud(clock: FakeClock) -> Iterator[tuple[Cloud, Wall]]:
    wall = Wall()
    config = EmulatorConfig(clock=clock.now, wall_clock=wall, status_delay=0.0, seed=7)
    with EmulatorServer(config) as server:
        yield Cloud(server, clock), wall


def test_a_timer_fires_every_second_through_default_onto_the_published_version(
    timed_cloud: tuple[Cloud, Wall], tmp_path: Path
) -> None:
    from tencentcloud.common.credential import Credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.monitor.v20180724.monitor_client import MonitorClient

    from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

    cloud, wall = timed_cloud
    project = copy_fixture("triggers-timer", tmp_path)
    # Create first, then publish: a first deploy that also publishes and routes $DEFAULT currently stops
    # on the alias compare-and-set (it planned "no alias" for a function that did not exist yet).
    deploy(cloud, project, "--inputs", "publish=false")
    outputs = deploy(cloud, project)
    assert (outputs["lastVersion"], outputs["traffic"]) == ("1", 0)
    wall.value += 3
    fired = cloud.server.fire_due_timers()
    assert [(f["trigger"], f["qualifier"], f["version"]) for f in fired] == [("every-second", "$DEFAULT", "1")] * 3
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=cloud.endpoint, protocol="http"))
    monitor = MonitorClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou", profile)
    dims = [{"Name": "functionName", "Value": "ticker-dev-jobs"}, {"Name": "namespace", "Value": "default"}]
    body = {
        "Namespace": "QCE/SCF_V2",
        "MetricName": "Invocation",
        "Period": 60,
        "Instances": [{"Dimensions": [*dims, {"Name": "version", "Value": v}]} for v in ("1", "$LATEST")],
        "StartTime": "2026-01-05T10:00:00+08:00",
        "EndTime": "2026-01-05T10:01:00+08:00",
    }
    data = json.loads(monitor.call("GetMonitorData", body))["Response"]
    assert [sum(p["Values"]) for p in data["DataPoints"]] == [3.0, 0.0]
