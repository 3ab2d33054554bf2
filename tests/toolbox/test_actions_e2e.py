"""The Node component's actions as commands (issue 18), against the emulator through the official SDK.

Inputs and output fields are the component's (reference §6); its bugs are not: an API error exits 3,
``list_alias`` shows every weight exactly, ``config.weights`` keeps every entry, namespace is honoured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import change_code, deploy, sdk_client

FUNCTION = "hello-dev-demo"


def action(cloud: Cloud, project: Path, *argv: str) -> Any:
    run = cloud.scf(*argv[:1], "--target", str(project), "--json", *argv[1:])
    assert run.exit_code == 0, run.stderr
    return run.json()


def three_versions(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    for n in range(3):
        action(cloud, project, "publish-ver", "--inputs", f"description=v{n + 1}")
        change_code(project, f"v{n + 2}")
        deploy(cloud, project)


@pytest.mark.parametrize("spelling", ["publish-ver", "publish_ver"])
def test_publish_ver_answers_the_publish_response_with_last_version(
    cloud: Cloud, project: Path, spelling: str
) -> None:
    deploy(cloud, project)
    out = action(cloud, project, spelling, "--inputs", "description=first")
    assert out["lastVersion"] == "1" and "FunctionVersion" not in out
    assert {k: out[k] for k in ("Description", "Handler", "Runtime", "Namespace", "MemorySize")} == {
        "Description": "first", "Handler": "index.main_handler", "Runtime": "Python3.9", "Namespace": "default",
        "MemorySize": 128,
    }
    assert set(out) >= {"CodeSize", "Timeout", "RequestId"}
    assert cloud.calls()[-2:] == ["PublishVersion", "GetFunction"]  # waited on the new version


def test_create_update_list_and_delete_alias_with_every_weight(cloud: Cloud, project: Path) -> None:
    three_versions(cloud, project)
    weights = '{"weights":{"2":0.15}}'
    created = action(cloud, project, "create_alias", "--inputs", "name=canary", "version=1", f"config={weights}")
    assert (created["Name"], created["FunctionVersion"]) == ("canary", "1")
    assert created["RoutingConfig"]["AdditionalVersionWeights"] == [{"Version": "2", "Weight": 0.15}]
    listed = action(cloud, project, "list-alias")  # the reference printed {"1":"0.9","2":"0.1"} (toFixed(1))
    assert listed == {"alias": [{"$DEFAULT": {"weight": '{"$LATEST": "1"}'}},
                                {"canary": {"weight": '{"1": "0.85", "2": "0.15"}'}}]}
    updated = action(cloud, project, "update-alias", "--inputs", "name=canary", "version=2",
                     'config={"weights":{"3":0.9}}')
    assert updated["RoutingConfig"]["AdditionalVersionWeights"] == [{"Version": "3", "Weight": 0.9}]
    only_v2 = action(cloud, project, "list_alias", "--inputs", "version=2")
    assert only_v2 == {"alias": [{"canary": {"weight": '{"2": "0.1", "3": "0.9"}'}}]}
    deleted = action(cloud, project, "delete-alias", "--inputs", "name=canary")
    assert set(deleted) == {"RequestId"}
    assert action(cloud, project, "list-alias") == {"alias": [{"$DEFAULT": {"weight": '{"$LATEST": "1"}'}}]}


def test_actions_work_without_a_project_given_function_and_honour_the_namespace(
    cloud: Cloud, project: Path, tmp_path: Path
) -> None:
    (project / "serverless.yml").write_text((project / "serverless.yml").read_text() + "  namespace: shop\n")
    sdk_client(cloud).call_json("CreateNamespace", {"Namespace": "shop"})
    deploy(cloud, project)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    out = action(cloud, empty, "publish-ver", "--inputs", f"function={FUNCTION}", "namespace=shop")
    assert (out["lastVersion"], out["Namespace"]) == ("1", "shop")
    action(cloud, empty, "create-alias", "--inputs", f"function={FUNCTION}", "namespace=shop", "name=live",
           "version=1")  # no config: the alias serves version 1 only
    listed = action(cloud, empty, "list-alias", "--inputs", f"function={FUNCTION}", "namespace=shop")
    assert [next(iter(row)) for row in listed["alias"]] == ["$DEFAULT", "live"]
    action(cloud, empty, "delete-alias", "--inputs", f"function={FUNCTION}", "namespace=shop", "name=live")
    run = cloud.scf("list-alias", "--target", str(empty), "--inputs", f"function={FUNCTION}")
    assert run.exit_code == 3 and "ResourceNotFound" in run.stderr  # not in namespace default


def test_invoke_action_runs_synchronously_with_the_log_and_returns_the_invoke_response(
    cloud: Cloud, project: Path
) -> None:
    deploy(cloud, project)
    out = action(cloud, project, "invoke", "--inputs", 'event={"who":"Bob"}')
    result = out["Result"]
    assert result["InvokeResult"] == 0 and json.loads(result["RetMsg"])["event"] == {"who": "Bob"}
    assert "START RequestId" in result["Log"] and "RequestId" in out
    invoke = [e for e in cloud.server.request_log() if e["action"] == "Invoke"][-1]["params"]
    assert (invoke["InvocationType"], invoke["LogType"], invoke["Qualifier"]) == ("RequestResponse", "Tail", "$LATEST")


def test_invoke_action_with_async_run_queues_the_event_without_a_log(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    out = action(cloud, project, "invoke", "--inputs", "asyncRun=true", 'event={"who":"Bob"}')
    assert (out["Result"]["Log"], out["Result"]["RetMsg"]) == ("", "")
    invoke = [e for e in cloud.server.request_log() if e["action"] == "Invoke"][-1]["params"]
    assert (invoke["InvocationType"], invoke["LogType"]) == ("Event", "None")
    cloud.server.backend.wait_background()
    entries = action(cloud, project, "log", "--inputs", f"reqid={out['Result']['FunctionRequestId']}")
    assert any(e["message"] == "received {'who': 'Bob'}" for e in entries)  # it ran, later


def test_invoke_action_exits_4_when_user_code_raises_and_still_prints_the_response(
    cloud: Cloud, project: Path
) -> None:
    (project / "src" / "index.py").write_text("def main_handler(event, context):\n    raise ValueError('boom')\n")
    deploy(cloud, project)
    run = cloud.scf("invoke", "--target", str(project), "--json", "--inputs", "asyncRun=false")
    assert run.exit_code == 4 and "boom" in run.stderr
    assert run.json()["Result"]["InvokeResult"] != 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["create-alias", "--inputs", "version=1", 'config={"weights":{"2":0.5}}'], "--inputs name: is required"),
        (["create-alias", "--inputs", "name=a", 'config={"weights":{"2":0.5}}'], "--inputs version: is required"),
        (["create-alias", "--inputs", "name=a", "version=1", "config=3"], "--inputs config: must be an object with"),
        (["create-alias", "--inputs", "name=a", "version=1", 'config={"weight":{"2":0.5}}'],
         "--inputs config: must be an object with weights {VERSION: SHARE}"),
        (["create-alias", "--inputs", "name=a", "version=1", 'config={"weights":{"2":1.5}}'],
         "--inputs config.weights.2: must be a number from 0 to 1, got 1.5"),
        (["update-alias", "--inputs", "name=a", "version=1", 'config={"weights":{"2":0.1,"3":0.1}}'],
         "--inputs config.weights: names 2 versions; an alias routes to its main version and at most one other"),
        (["create-alias", "--inputs", "name=a", "version=1", 'config={"weights":{"1":0.5}}'],
         "--inputs config.weights.1: is the alias's main version (1)"),
        (["delete-alias"], "--inputs name: is required"),
        (["metric"], "--inputs metric: is required"),
        (["invoke", "--inputs", "event={oops"], "--inputs event: must be JSON"),
        (["invoke", "--inputs", "asyncRun=yes"], "--inputs asyncRun: must be true or false"),
    ],
)
def test_bad_inputs_exit_2_before_any_call(cloud: Cloud, project: Path, argv: list[str], message: str) -> None:
    deploy(cloud, project)
    before = len(cloud.calls())
    run = cloud.scf(argv[0], "--target", str(project), *argv[1:])
    assert run.exit_code == 2, run.stderr
    assert message in run.stderr
    assert cloud.calls()[before:] == []


def test_a_function_is_required_when_there_is_no_project(cloud: Cloud, tmp_path: Path) -> None:
    run = cloud.scf("publish-ver", "--target", str(tmp_path))
    assert run.exit_code == 2 and "--inputs function: is required" in run.stderr
    assert cloud.calls() == []


def test_cloud_errors_are_errors_with_exit_3_not_a_returned_message(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    run = cloud.scf("delete-alias", "--target", str(project), "--json", "--inputs", "name=nope")
    assert run.exit_code == 3 and json.loads(run.stdout)["exit_code"] == 3  # one document, the error (#16 item 6)
    assert "DeleteAlias failed: ResourceNotFound" in run.stderr


def test_metric_action_answers_time_value_timestamp_points(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    for _ in range(2):
        action(cloud, project, "invoke", "--inputs", "event={}")
    points = action(cloud, project, "metric", "--inputs", "metric=Invocation", "period=60", "interval=3600")
    assert sum(p["value"] for p in points) == 2
    assert all(set(p) == {"time", "value", "timestamp"} and len(p["time"]) == 19 for p in points)


def test_log_action_lists_the_last_hour_of_one_request(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    first = action(cloud, project, "invoke", "--inputs", "event={}")["Result"]["FunctionRequestId"]
    action(cloud, project, "invoke", "--inputs", "event={}")
    entries = action(cloud, project, "log", "--inputs", f"reqid={first}")
    assert {e["requestId"] for e in entries} == {first}
    assert [e["message"].split(" ")[0] for e in entries] == ["START", "Event", "received", "END", "Report"]
