"""``scf logs`` (issue 18): CLS SearchLog through the official SDK, served by the emulator per version."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from component.cli import main
from component.render import Reporter
from component.tools import Tools
from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import change_code, deploy

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z  [0-9a-f-]{36}  +(\S+)  (INFO |ERROR)  (.*)$")


def canary(cloud: Cloud, project: Path) -> None:
    """Version 1 stable, version 2 the candidate: alias canary sends half the calls to each."""
    deploy(cloud, project, "--inputs", "aliasName=canary")
    change_code(project)
    deploy(cloud, project, "--inputs", "aliasName=canary", "traffic=0.5")


def invoke(cloud: Cloud, project: Path, qualifier: str) -> str:
    run = cloud.scf("invoke", "--target", str(project), "--json", "--qualifier", qualifier)
    assert run.exit_code == 0, run.stderr
    return str(run.json()["functionRequestId"])


def logs(cloud: Cloud, project: Path, *args: str) -> list[dict[str, Any]]:
    run = cloud.scf("logs", "--target", str(project), "--json", *args)
    assert run.exit_code == 0, run.stderr
    entries: list[dict[str, Any]] = run.json()
    return entries


def test_logs_filter_by_version_alias_and_request_newest_last(cloud: Cloud, project: Path) -> None:
    canary(cloud, project)
    first = invoke(cloud, project, "1")
    second = invoke(cloud, project, "2")
    third = invoke(cloud, project, "canary")
    served = logs(cloud, project, "--request-id", third)[0]["version"]  # the alias's weighted draw
    table = [
        ((), {first, second, third}),
        (("--version", "1"), {first} | ({third} if served == "1" else set())),
        (("--qualifier", "2"), {second} | ({third} if served == "2" else set())),
        (("--qualifier", "canary"), {third}),
        (("--request-id", second), {second}),
    ]
    for args, expected in table:
        entries = logs(cloud, project, *args)
        assert {e["requestId"] for e in entries} == expected, args
        stamps = [e["timestamp"] for e in entries]
        assert stamps == sorted(stamps), args
    one = logs(cloud, project, "--request-id", first)
    assert [e["message"].split(" ")[0] for e in one] == ["START", "Event", "received", "END", "Report"]
    assert {(e["version"], e["level"]) for e in one} == {("1", "INFO")}


def test_text_lines_carry_time_request_id_version_and_level(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    invoke(cloud, project, "$LATEST")
    run = cloud.scf("logs", "--target", str(project))
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 5
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert {m.group(1) for m in parsed if m} == {"$LATEST"}


def test_a_failed_invocation_has_an_error_line(cloud: Cloud, project: Path) -> None:
    (project / "src" / "index.py").write_text("def main_handler(event, context):\n    raise ValueError('boom')\n")
    deploy(cloud, project)
    run = cloud.scf("invoke", "--target", str(project), "--qualifier", "$LATEST")
    assert run.exit_code == 4
    errors = [(e["type"], e["message"]) for e in logs(cloud, project) if e["level"] == "ERROR"]
    assert errors[0] == ("Custom", "Traceback (most recent call last):")
    assert ("Custom", "ValueError: boom") in errors
    assert errors[-1][0] == "Platform" and errors[-1][1].startswith("ERROR RequestId:") and "boom" in errors[-1][1]


def test_the_errors_of_the_canary_only(cloud: Cloud, project: Path) -> None:
    canary(cloud, project)
    (project / "src" / "index.py").write_text("def main_handler(event, context):\n    raise ValueError('boom')\n")
    deploy(cloud, project, "--inputs", "aliasName=canary", "traffic=0.5")  # version 3 raises, 50 %
    for qualifier in ("1", "3", "3"):
        cloud.scf("invoke", "--target", str(project), "--qualifier", qualifier)
    errors = logs(cloud, project, "--version", "3", "--level", "error")
    assert errors and {(e["version"], e["level"]) for e in errors} == {("3", "ERROR")}
    assert len({e["requestId"] for e in errors}) == 2
    assert logs(cloud, project, "--version", "1", "--level", "ERROR") == []


def test_since_limits_the_window(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    invoke(cloud, project, "$LATEST")
    assert len(logs(cloud, project, "--since", "1h")) == 5
    searches = [e for e in cloud.server.request_log() if e["action"] == "SearchLog"]
    window = searches[-1]["params"]
    assert window["To"] - window["From"] == 3600 * 1000
    assert window["Query"] == 'SCF_FunctionName:"hello-dev-demo" AND SCF_Namespace:"default"'


def test_follow_prints_new_entries_until_interrupted(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    invoke(cloud, project, "$LATEST")
    polls: list[float] = []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        if len(polls) == 1:
            invoke(cloud, project, "$LATEST")
            return
        raise KeyboardInterrupt

    out, err = io.StringIO(), io.StringIO()
    tools = Tools(reporter=Reporter(out=out, err=err), sleep=sleep, clock=cloud.clock.now)
    code = main(["logs", "--target", str(project), "--follow", "--json", "--endpoint", cloud.endpoint], tools)
    assert code == 130
    entries = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(entries) == 10 and len({e["requestId"] for e in entries}) == 2  # each entry once


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "ten minutes"], "--since: expected a duration such as 30s, 10m, 1h or 2d"),
        (["--version", "canary"], "--version: expected a version number or $LATEST"),
        (["--version", "1", "--qualifier", "2"], "not allowed with argument"),
        (["--inputs", "function=x"], "--inputs is not accepted by logs"),
    ],
)
def test_bad_arguments_exit_2_before_any_call(cloud: Cloud, project: Path, args: list[str], message: str) -> None:
    run = cloud.scf("logs", "--target", str(project), *args)
    assert run.exit_code == 2 and message in run.stderr
    assert cloud.calls() == []


def test_logs_outside_a_project_say_where_to_point(cloud: Cloud, tmp_path: Path) -> None:
    run = cloud.scf("logs", "--target", str(tmp_path))
    assert run.exit_code == 2 and f"--target: no serverless.yml in {tmp_path}" in run.stderr
    assert cloud.calls() == []


def test_logs_of_a_missing_function_exit_3(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("logs", "--target", str(project))
    assert run.exit_code == 3 and "does not exist" in run.stderr
