"""``scf deploy`` end to end: the CLI against the emulator, through the official SDK, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from component.emulator import EmulatorConfig, EmulatorServer
from tests.conftest import Cloud, FakeClock

WRITES = {
    "CreateFunction",
    "UpdateFunctionCode",
    "UpdateFunctionConfiguration",
    "DeleteFunction",
    "PublishVersion",
    "CreateAlias",
    "UpdateAlias",
    "DeleteAlias",
    "DeleteFunctionVersion",
    "CreateTrigger",
    "DeleteTrigger",
}


def writes(calls: list[str]) -> list[str]:
    return [c for c in calls if c in WRITES]


def deploy(cloud: Cloud, project: Path, *extra: str) -> dict[str, object]:
    run = cloud.scf("deploy", "--target", str(project), "--json", *extra)
    assert run.exit_code == 0, run.stderr
    outputs: dict[str, object] = run.json()
    return outputs


def change_code(project: Path, text: str = "changed") -> None:
    handler = project / "src" / "index.py"
    handler.write_text(handler.read_text() + f"\n# {text}\n")


def test_first_deploy_creates_the_function_and_prints_node_outputs(cloud: Cloud, project: Path) -> None:
    outputs = deploy(cloud, project)
    assert writes(cloud.calls()) == ["CreateFunction"]
    assert outputs["functionName"] == "hello-dev-demo"  # the Node default: instance-stage-app
    assert {
        k: outputs[k] for k in ("type", "namespace", "runtime", "handler", "memorySize", "lastVersion", "traffic")
    } == {
        "type": "event",
        "namespace": "default",
        "runtime": "Python3.9",
        "handler": "index.main_handler",
        "memorySize": 128,
        "lastVersion": "$LATEST",
        "traffic": 1,
    }
    assert "configTrafficVersion" not in outputs
    saved = json.loads((project / ".serverless" / "hello.dev.outputs.json").read_text())
    assert saved == outputs


def test_human_output_uses_the_node_layout(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("deploy", "--target", str(project))
    assert run.exit_code == 0, run.stderr
    assert "functionName: hello-dev-demo" in run.stdout.replace("  ", " ").replace("  ", " ")
    assert "lastVersion:" in run.stdout and "$LATEST" in run.stdout
    assert "creating function hello-dev-demo" in run.stderr


def test_unchanged_redeploy_makes_no_write_call(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    before = len(cloud.calls())
    deploy(cloud, project)
    second = cloud.calls()[before:]
    assert writes(second) == []
    assert len(second) <= 4, second


def test_code_change_updates_code_only(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    change_code(project)
    before = len(cloud.calls())
    deploy(cloud, project)
    assert writes(cloud.calls()[before:]) == ["UpdateFunctionCode"]


def test_config_only_change_updates_configuration_only(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project)
    before = len(cloud.calls())
    outputs = deploy(cloud, project, "--inputs.memorySize=256")
    assert writes(cloud.calls()[before:]) == ["UpdateFunctionConfiguration"]
    assert outputs["memorySize"] == 256


# The Node component's scenario table (tencent-scf-component.md §3), run in order on one function.
SCENARIOS = [
    ("plain deploy, never published", [], {"lastVersion": "$LATEST", "traffic": 1}, ["CreateFunction"]),
    ("traffic without a version", ["--inputs.traffic=0.1"], {"lastVersion": "$LATEST", "traffic": 1}, []),
    ("publish", ["--inputs", "publish=true"], {"lastVersion": "1", "traffic": 1}, ["PublishVersion"]),
    (
        "traffic=0.1 with L=1",
        ["--inputs.traffic=0.1"],
        {"lastVersion": "1", "traffic": 0.1, "configTrafficVersion": "1"},
        ["UpdateAlias"],
    ),
    ("traffic=1.0 with L=1", ["--inputs.traffic=1.0"], {"lastVersion": "1", "traffic": 1}, ["UpdateAlias"]),
]


def test_default_alias_scenario_table(cloud: Cloud, project: Path) -> None:
    for case, args, expected, expected_writes in SCENARIOS:
        before = len(cloud.calls())
        outputs = deploy(cloud, project, *args)
        got = {k: outputs[k] for k in ("lastVersion", "traffic", "configTrafficVersion") if k in outputs}
        assert got == expected, case
        assert writes(cloud.calls()[before:]) == expected_writes, case


def test_publish_with_traffic_zero_freezes_new_code_as_a_version(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "publish=true")
    change_code(project)
    outputs = deploy(cloud, project, "--inputs", "publish=true", "traffic=0")
    assert (outputs["lastVersion"], outputs["traffic"], outputs["configTrafficVersion"]) == ("2", 0, "2")
    warning = cloud.scf("deploy", "--target", str(project), "--inputs.traffic=0.1")
    assert warning.exit_code == 0


def test_traffic_without_a_version_warns(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("deploy", "--target", str(project), "--inputs.traffic=0.1")
    assert run.exit_code == 0
    assert "warning: traffic is ignored: the function has no published version yet" in run.stderr


def alias_routing(cloud: Cloud, project: Path, alias: str) -> list[dict[str, object]]:
    run = cloud.scf("info", "--target", str(project), "--json")
    assert run.exit_code == 0, run.stderr
    (found,) = [a for a in run.json()["aliases"] if a["name"] == alias]
    routing: list[dict[str, object]] = found["routing"]
    return routing


def test_named_alias_shifts_new_version_step_by_step(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "aliasName=release")
    assert alias_routing(cloud, project, "release") == [{"version": "1", "weight": 1.0}]
    change_code(project)
    steps = [("0.1", [("1", 0.9), ("2", 0.1)]), ("0.5", [("1", 0.5), ("2", 0.5)]), ("1", [("2", 1.0)])]
    for traffic, expected in steps:
        outputs = deploy(cloud, project, "--inputs", "aliasName=release", f"traffic={traffic}")
        assert outputs["lastVersion"] == "2"
        got = [(r["version"], r["weight"]) for r in alias_routing(cloud, project, "release")]
        assert got == expected, traffic
    publishes = [c for c in cloud.calls() if c == "PublishVersion"]
    assert len(publishes) == 2


def test_dry_run_makes_no_write_call_and_prints_the_plan(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "aliasName=release")
    change_code(project)
    before = len(cloud.calls())
    run = cloud.scf("deploy", "--target", str(project), "--dry-run", "--inputs", "aliasName=release", "traffic=0.1")
    assert run.exit_code == 0, run.stderr
    assert writes(cloud.calls()[before:]) == []
    assert "UpdateFunctionCode hello-dev-demo" in run.stdout
    assert "PublishVersion hello-dev-demo → version 2 (expected)" in run.stdout
    assert "Alias release: {1: 100%} → {1: 90%, new version: 10%}" in run.stdout


def test_missing_credentials_is_one_clear_line(project: Path) -> None:
    import io

    from component.cli import main
    from component.render import Reporter
    from component.tools import Tools
    from tests.conftest import FakeClock

    out, err = io.StringIO(), io.StringIO()
    clock = FakeClock()
    code = main(["deploy", "--target", str(project)], Tools(Reporter(out=out, err=err), clock.sleep, clock.now))
    assert code == 2
    assert err.getvalue().startswith("error: no Tencent Cloud credentials found: set TENCENT_SECRET_ID")
    assert err.getvalue().count("\n") == 1
    assert not (project / ".serverless").exists()


@pytest.mark.parametrize("alias", ["$DEFAULT", "release"])
def test_re_running_after_a_failed_alias_update_converges_without_a_new_version(
    cloud: Cloud, project: Path, alias: str
) -> None:
    args = ["--inputs", f"aliasName={alias}", "publish=true", "traffic=0.5"]
    deploy(cloud, project, "--inputs", f"aliasName={alias}", "publish=true")
    change_code(project)
    action = "UpdateAlias"
    cloud.server.add_fault(action, "internal_error", count=1)
    failed = cloud.scf("deploy", "--target", str(project), *args)
    assert failed.exit_code == 3
    assert f"{action} failed: InternalError" in failed.stderr
    outputs = deploy(cloud, project, *args)
    assert outputs["lastVersion"] == "2"
    assert cloud.calls().count("PublishVersion") == 2


def test_create_failed_function_reports_the_cloud_reason_then_is_recreated(cloud: Cloud, project: Path) -> None:
    cloud.server.add_fault("CreateFunction", "status_failure", error_code="ResourceNotFound.Role", message="role X")
    failed = cloud.scf("deploy", "--target", str(project))
    assert failed.exit_code == 3
    assert "error: function hello-dev-demo is CreateFailed: ResourceNotFound.Role: role X" in failed.stderr
    before = len(cloud.calls())
    deploy(cloud, project)
    assert writes(cloud.calls()[before:]) == ["DeleteFunction", "CreateFunction"]


@pytest.fixture
def slow_cloud(clock: FakeClock) -> Iterator[Cloud]:
    """Every Create/Update/Publish takes 2 s (of fake time) before the function is Active again."""
    with EmulatorServer(EmulatorConfig(clock=clock.now, status_delay=2.0, seed=7)) as server:
        yield Cloud(server, clock)


def test_a_busy_function_is_waited_for_not_failed_on(slow_cloud: Cloud, project: Path) -> None:
    deploy(slow_cloud, project)
    # another client (the official SDK, directly) starts an update: the function is Updating for 2 s
    other = sdk_client(slow_cloud)
    other.call_json("UpdateFunctionConfiguration", {"FunctionName": "hello-dev-demo", "Description": "by hand"})
    assert other.call_json("GetFunction", {"FunctionName": "hello-dev-demo"})["Response"]["Status"] == "Updating"
    change_code(project)
    started, before = slow_cloud.clock.now(), len(slow_cloud.calls())
    deploy(slow_cloud, project, "--inputs", "publish=true")
    waited = slow_cloud.clock.now() - started
    # the hand-made description is put back, so: their update, our code, our config, the publish
    assert writes(slow_cloud.calls()[before:]) == [
        "UpdateFunctionCode",
        "UpdateFunctionConfiguration",
        "PublishVersion",
    ]
    assert 8.0 <= waited <= 8.0 * 1.2, waited  # 4 transitions of 2 s each, polled tightly


def sdk_client(cloud: Cloud) -> CommonClient:
    from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=cloud.endpoint, protocol="http"))
    return CommonClient("scf", "2018-04-16", Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou", profile)


def test_remove_deletes_the_function_and_confirms_it_is_gone(slow_cloud: Cloud, project: Path) -> None:
    deploy(slow_cloud, project)
    run = slow_cloud.scf("remove", "--target", str(project))
    assert run.exit_code == 0, run.stderr
    assert "removed hello-dev-demo" in run.stderr
    assert writes(slow_cloud.calls()).count("DeleteFunction") == 1
    assert slow_cloud.scf("info", "--target", str(project), "--json").json() == {
        "functionName": "hello-dev-demo",
        "exists": False,
    }


@pytest.mark.parametrize(
    ("action", "kind", "count", "exit_code"),
    [
        ("GetFunction", "throttle", 2, 0),
        ("UpdateFunctionCode", "throttle", 2, 0),
        ("ListVersionByFunction", "drop", 2, 0),
        ("GetAlias", "http_500", 2, 0),
        ("UpdateFunctionCode", "drop", 1, 3),  # a write whose fate is unknown is not repeated blindly
    ],
)
def test_throttling_is_retried_everywhere_network_errors_only_on_reads(
    cloud: Cloud, project: Path, action: str, kind: str, count: int, exit_code: int
) -> None:
    deploy(cloud, project)
    change_code(project)
    cloud.server.add_fault(action, kind, count=count)
    run = cloud.scf("deploy", "--target", str(project))
    assert run.exit_code == exit_code, run.stderr
    deploy(cloud, project)  # and a re-run converges either way


def test_every_output_key_is_known_to_output_references(cloud: Cloud, project: Path) -> None:
    from component.deploy.outputs import OUTPUT_KEYS

    outputs = deploy(cloud, project, "--inputs", "aliasName=release", "traffic=0.5", "publish=true")
    assert set(outputs) <= OUTPUT_KEYS


def test_markdown_summary_is_appended_for_github_actions(
    cloud: Cloud, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    deploy(cloud, project, "--inputs", "publish=true")
    text = summary.read_text()
    assert text.startswith("earlier step\n### scf deploy: `hello-dev-demo` (dev)")
    assert "| lastVersion | 1 |" in text
    assert "- PublishVersion hello-dev-demo → version 1 (expected)" in text


@pytest.mark.parametrize("traffic", ["0", "0.3", "1"])
def test_first_deploy_with_publish_and_traffic_on_default(cloud: Cloud, project: Path, traffic: str) -> None:
    outputs = deploy(cloud, project, "--inputs", "publish=true", f"traffic={traffic}")
    assert (outputs["lastVersion"], outputs["traffic"]) == ("1", float(traffic) if traffic == "0.3" else int(traffic))
    assert "CreateAlias" not in cloud.calls()
