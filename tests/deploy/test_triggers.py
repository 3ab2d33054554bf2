"""Trigger sync, pure: events → desired triggers (Node names and TriggerDesc), and the trigger plan."""

from __future__ import annotations

import json
from typing import Any

import pytest

from component.cloud.api import TriggerInfo, trigger_from_row
from component.deploy.describe import describe
from component.deploy.instructions import CreateTrigger, DeleteTrigger
from component.deploy.triggers import desired_triggers, plan_triggers, trigger_outputs
from component.errors import ConfigError

FN = "fn"


def one(kind: str, params: dict[str, Any], name: str | None = None) -> TriggerInfo:
    event: dict[str, Any] = {"parameters": params}
    if name:
        event["name"] = name
    (trigger,) = desired_triggers([{kind: event}], instance="inst", stage="dev")
    return trigger


@pytest.mark.parametrize(
    ("kind", "params", "event_name", "name", "desc"),
    [
        ("timer", {"cronExpression": "0 */5 * * * * *"}, None, "timer-inst-dev", "0 */5 * * * * *"),
        ("timer", {"cronExpression": "* * * * * * *", "name": "t1"}, "ev", "t1", "* * * * * * *"),
        ("timer", {"cronExpression": "* * * * * * *"}, "ev", "ev", "* * * * * * *"),
        (
            "cos",
            {
                "bucket": "b-1.cos.ap-guangzhou.myqcloud.com",
                "events": "cos:ObjectCreated:*",
                "filter": {"prefix": "in/"},
            },
            None,
            "b-1.cos.ap-guangzhou.myqcloud.com",
            {"event": "cos:ObjectCreated:*", "filter": {"Prefix": "in/", "Suffix": ""}},
        ),
        ("cmq", {"name": "queue"}, None, "queue", {"filterType": 1}),
        (
            "cmq",
            {"name": "queue", "filterType": 2, "filterKey": ["k"]},
            None,
            "queue",
            {"filterType": 2, "filterKey": ["k"]},
        ),
        (
            "ckafka",
            {"name": "ckafka-1", "topic": "t"},
            None,
            "ckafka-1-t",
            {"maxMsgNum": 100, "offset": "latest", "retry": 10000, "timeOut": 60},
        ),
        ("cls", {"topicId": "tp-1"}, None, "tp-1", {"topicId": "tp-1", "maxWait": 60}),
        ("mps", {"type": "WorkflowTask"}, None, "WorkflowTaskEvent", {"eventType": "WorkflowTask"}),
        (
            "clb",
            {"loadBalanceId": "lb-1", "protocol": "HTTP", "port": 80, "domain": "a.com", "url": "/"},
            None,
            "clb-inst-dev",
            {"loadBalanceId": "lb-1", "protocol": "HTTP", "port": 80, "domain": "a.com", "url": "/"},
        ),
        (
            "http",
            {},
            None,
            "url-trigger",
            {"AuthType": "NONE", "NetConfig": {"EnableIntranet": False, "EnableExtranet": True}},
        ),
    ],
)
def test_names_and_trigger_desc_follow_the_node_toolkit(
    kind: str, params: dict[str, Any], event_name: str | None, name: str, desc: Any
) -> None:
    trigger = one(kind, params, event_name)
    assert (trigger.type, trigger.name, trigger.qualifier) == (kind, name, "$DEFAULT")
    assert (trigger.desc if isinstance(desc, str) else json.loads(trigger.desc)) == desc


@pytest.mark.parametrize(
    ("params", "enable", "qualifier", "argument"),
    [
        ({"cronExpression": "x"}, True, "$DEFAULT", ""),  # omitted enable = enabled (we differ from Node)
        ({"cronExpression": "x", "enable": False}, False, "$DEFAULT", ""),
        ({"cronExpression": "x", "qualifier": "release", "argument": "a"}, True, "release", "a"),
    ],
)
def test_enable_qualifier_and_argument_defaults(
    params: dict[str, Any], enable: bool, qualifier: str, argument: str
) -> None:
    trigger = one("timer", params)
    assert (trigger.enable, trigger.qualifier, trigger.argument) == (enable, qualifier, argument)


def test_apigw_events_are_left_to_the_apigw_module() -> None:
    events = [{"apigw": {"parameters": {}}}, {"timer": {"parameters": {"cronExpression": "x"}}}]
    assert [t.type for t in desired_triggers(events, instance="i", stage="s")] == ["timer"]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([{"cmq": {"parameters": {"name": "q"}}}] * 2, "two cmq triggers are both named 'q'"),
        (
            [{"timer": {"name": f"t{i}", "parameters": {"cronExpression": "x"}}} for i in range(11)],
            "more than 10 timer triggers",
        ),
    ],
)
def test_bad_trigger_sets_are_refused_before_any_call(events: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        desired_triggers(events, instance="i", stage="s")
    assert message in str(info.value.problems[0].message)


def listed(trigger: TriggerInfo, **changes: Any) -> TriggerInfo:
    """The trigger as ListTriggers returns it (timer TriggerDesc wrapped in {"cron": …}, Enable 1/0)."""
    desc = json.dumps({"cron": trigger.desc}) if trigger.type == "timer" else trigger.desc
    row = {
        "Type": trigger.type,
        "TriggerName": trigger.name,
        "TriggerDesc": desc,
        "Qualifier": trigger.qualifier,
        "Enable": 1 if trigger.enable else 0,
        "CustomArgument": trigger.argument,
    }
    row.update(changes)
    return trigger_from_row(row)


TIMER = one("timer", {"cronExpression": "0 */5 * * * * *", "argument": "a"}, "tick")
COS = one("cos", {"bucket": "b.cos.ap-guangzhou.myqcloud.com", "events": "cos:ObjectCreated:*"})
KAFKA = one("ckafka", {"name": "k", "topic": "t"})
ALL = (TIMER, COS, KAFKA)


def kinds(steps: list[Any]) -> list[tuple[str, str, str]]:
    return [(type(s).__name__, s.trigger.name, s.reason) for s in steps]


@pytest.mark.parametrize(
    ("desired", "current", "expected"),
    [
        (ALL, (), [("CreateTrigger", n, "new") for n in ("tick", COS.name, "k-t")]),
        (ALL, tuple(listed(t) for t in ALL), []),
        # the cloud adds keys of its own to a JSON TriggerDesc and reorders them: still unchanged
        (
            (KAFKA,),
            (listed(KAFKA, TriggerDesc='{"timeOut":60,"retry":10000,"offset":"latest","maxMsgNum":100,"x":1}'),),
            [],
        ),
        ((TIMER, COS), tuple(listed(t) for t in ALL), [("DeleteTrigger", "k-t", "removed from events")]),
        (
            (TIMER, COS, KAFKA),
            (listed(TIMER, TriggerDesc='{"cron":"0 */6 * * * * *"}'), listed(COS), listed(KAFKA)),
            [("DeleteTrigger", "tick", "changed: TriggerDesc"), ("CreateTrigger", "tick", "changed: TriggerDesc")],
        ),
        (
            (TIMER,),
            (listed(TIMER, Enable=0, Qualifier="$LATEST", CustomArgument="b"),),
            [
                ("DeleteTrigger", "tick", "changed: Qualifier, Enable, CustomArgument"),
                ("CreateTrigger", "tick", "changed: Qualifier, Enable, CustomArgument"),
            ],
        ),
        # apigw rows and other unmanaged types are never touched
        ((), (trigger_from_row({"Type": "apigw", "TriggerName": "svc", "TriggerDesc": "{}"}),), []),
    ],
)
def test_plan_writes_only_the_difference(
    desired: tuple[TriggerInfo, ...], current: tuple[TriggerInfo, ...], expected: list[tuple[str, str, str]]
) -> None:
    assert kinds(plan_triggers(FN, desired, current)) == expected


def test_deletes_come_before_creates_and_lines_describe_them() -> None:
    steps = plan_triggers(FN, (TIMER, KAFKA), (listed(TIMER, Enable=0), listed(COS)))
    assert [type(s) for s in steps] == [DeleteTrigger, DeleteTrigger, CreateTrigger, CreateTrigger]
    lines = [describe(s) for s in steps]
    assert lines[0] == "DeleteTrigger fn timer tick [changed: Enable]"
    assert lines[2] == "CreateTrigger fn timer tick → $DEFAULT (0 */5 * * * * *, enabled, argument a) [changed: Enable]"


def test_outputs_keep_the_cloud_row_and_flag_created_ones() -> None:
    created = {("cos", COS.name): {"TriggerName": COS.name, "Type": "cos", "Qualifier": ""}}
    out = trigger_outputs((TIMER, COS), (listed(TIMER),), created)
    assert [(o["TriggerName"], o["NeedCreate"], o["Qualifier"]) for o in out] == [
        ("tick", False, "$DEFAULT"),
        (COS.name, True, "$DEFAULT"),
    ]
