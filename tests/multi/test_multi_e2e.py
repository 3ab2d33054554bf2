"""``scf deploy | remove | info`` at a folder of instances, end to end against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cloud, copy_fixture

CHAIN = "multi-chain"


def creates(cloud: Cloud) -> list[dict[str, Any]]:
    return [e for e in cloud.server.request_log() if e["action"] == "CreateFunction"]


def env_of(entry: dict[str, Any]) -> dict[str, str]:
    variables = entry["params"].get("Environment", {}).get("Variables", [])
    return {v["Key"]: v["Value"] for v in variables}


def rows(run_stdout: str) -> dict[str, dict[str, Any]]:
    return {row["instance"]: row for row in json.loads(run_stdout)["instances"]}


def test_dependents_deploy_after_their_dependencies_and_receive_resolved_outputs(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    run = cloud.scf("deploy", "--target", str(root), "--json")
    assert run.exit_code == 0, run.stderr
    assert {name: row["status"] for name, row in rows(run.stdout).items()} == dict.fromkeys(
        ("base", "api", "solo", "web"), "deployed"
    )
    order = [e["params"]["FunctionName"] for e in creates(cloud)]
    assert order.index("base-dev-demo") < order.index("api-dev-demo") < order.index("web-dev-demo")
    by_name = {e["params"]["FunctionName"]: env_of(e) for e in creates(cloud)}
    assert by_name["api-dev-demo"] == {"BASE_FUNCTION": "base-dev-demo", "BASE_RUNTIME": "runtime Python3.9"}
    assert by_name["web-dev-demo"] == {"API_FUNCTION": "api-dev-demo"}
    assert json.loads((root / "web" / ".serverless" / "web.dev.outputs.json").read_text())["functionName"] == (
        "web-dev-demo"
    )


@pytest.mark.parametrize(("parallel", "overlap"), [("4", True), ("1", False)])
def test_independent_instances_run_concurrently_up_to_parallel(
    cloud: Cloud, tmp_path: Path, parallel: str, overlap: bool
) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    cloud.server.add_fault("*", "latency", count=1000, latency_ms=40)
    run = cloud.scf("deploy", "--target", str(root), "--parallel", parallel)
    assert run.exit_code == 0, run.stderr
    spans: dict[str, tuple[float, float]] = {}
    for entry in cloud.server.request_log():
        name = str(entry["params"].get("FunctionName", ""))
        start, end = spans.get(name, (entry["timestamp"], entry["timestamp"]))
        spans[name] = (min(start, entry["timestamp"]), max(end, entry["timestamp"]))
    (base_start, base_end), (solo_start, solo_end) = spans["base-dev-demo"], spans["solo-dev-demo"]
    assert (base_start < solo_end and solo_start < base_end) is overlap


@pytest.mark.parametrize(
    ("fixture", "edit", "expected"),
    [
        ("multi-cycle", None, ["cycle", "first/serverless.yml:10", "second/serverless.yml:9"]),
        ("multi-missing", None, ["reader/serverless.yml:10", "instance 'ghost'", "instances: present, reader"]),
        (
            CHAIN,
            ("api", "base.functionName}", "base.functionNam}"),
            ["api/serverless.yml:13", "base/serverless.yml", "no output 'functionNam'"],
        ),
        (CHAIN, ("web", "name: web", "name: api"), ["instance name 'api' is also used by", "api/serverless.yml"]),
        (CHAIN, ("solo", "runtime: Python3.9", "runtime: Python2"), ["solo/serverless.yml:9", "inputs.runtime"]),
    ],
    ids=["cycle", "missing-instance", "unknown-key", "duplicate-name", "invalid-input"],
)
def test_bad_graphs_are_refused_before_any_cloud_call(
    cloud: Cloud, tmp_path: Path, fixture: str, edit: tuple[str, str, str] | None, expected: list[str]
) -> None:
    root = copy_fixture(fixture, tmp_path)
    if edit:
        folder, old, new = edit
        file = root / folder / "serverless.yml"
        file.write_text(file.read_text().replace(old, new))
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 2
    for text in expected:
        assert text in run.stderr
    assert cloud.calls() == []


def test_a_failure_skips_only_its_dependents_and_sets_the_exit_code(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    cloud.server.add_fault("CreateFunction", "internal_error", function="base-dev-demo")
    run = cloud.scf("deploy", "--target", str(root), "--json")
    assert run.exit_code == 3
    result = rows(run.stdout)
    assert {n: (r["status"], r["detail"].split(":")[0]) for n, r in result.items()} == {
        "base": ("failed", "CreateFunction failed"),
        "api": ("skipped", "depends on base"),
        "solo": ("deployed", ""),
        "web": ("skipped", "depends on api"),
    }
    assert {e["params"]["FunctionName"] for e in creates(cloud) if e["error"] is None} == {"solo-dev-demo"}


def test_human_summary_table(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    cloud.server.add_fault("CreateFunction", "internal_error", function="base-dev-demo")
    run = cloud.scf("deploy", "--target", str(root))
    table = run.stdout[run.stdout.index("instance  result") :].splitlines()
    assert [line.split()[:2] for line in table[1:5]] == [
        ["base", "failed"],
        ["api", "skipped:"],
        ["solo", "deployed"],
        ["web", "skipped:"],
    ]
    assert "skipped: depends on base" in table[2]
    assert table[-1].startswith("1 deployed, 1 failed, 2 skipped in ")
    assert "error: base: CreateFunction failed: InternalError" in run.stderr
    assert "solo: [" in run.stderr  # progress lines carry the instance name


def test_throttled_calls_are_retried_not_failed(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    cloud.server.add_fault("GetFunction", "throttle", count=12)
    run = cloud.scf("deploy", "--target", str(root), "--json")
    assert run.exit_code == 0, run.stderr
    assert sum(1 for e in cloud.server.request_log() if e["error"] == "InjectedFault") == 12


def test_target_deploys_one_instance_with_outputs_recorded_earlier(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    early = cloud.scf("deploy", "--target", str(root / "api"))
    assert early.exit_code == 2
    assert "instance 'base'" in early.stderr and "deploy it first" in early.stderr
    assert cloud.calls() == []
    assert cloud.scf("deploy", "--target", str(root / "base")).exit_code == 0
    before = len(cloud.server.request_log())
    run = cloud.scf("deploy", "--target", str(root / "api"), "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["functionName"] == "api-dev-demo"
    later = cloud.server.request_log()[before:]
    assert {e["params"].get("FunctionName") for e in later} == {"api-dev-demo"}
    assert env_of(next(e for e in later if e["action"] == "CreateFunction"))["BASE_FUNCTION"] == "base-dev-demo"


def test_remove_goes_in_reverse_dependency_order(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    run = cloud.scf("remove", "--target", str(root), "--json")
    assert run.exit_code == 0, run.stderr
    deleted = [e["params"]["FunctionName"] for e in cloud.server.request_log() if e["action"] == "DeleteFunction"]
    assert sorted(deleted) == ["api-dev-demo", "base-dev-demo", "solo-dev-demo", "web-dev-demo"]
    assert deleted.index("web-dev-demo") < deleted.index("api-dev-demo") < deleted.index("base-dev-demo")
    assert not (root / "base" / ".serverless" / "base.dev.outputs.json").exists()


def test_info_at_the_root_reports_every_instance(cloud: Cloud, tmp_path: Path) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    run = cloud.scf("info", "--target", str(root), "--json")
    assert run.exit_code == 0, run.stderr
    assert sorted(rows(run.stdout)) == ["api", "base", "solo", "web"]
    assert all(row["status"] == "shown" and row["result"] for row in rows(run.stdout).values())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("invoke",), "invoke works on one instance"),
        (("deploy", "--inputs", "traffic=0.5"), "--inputs applies to one instance"),
    ],
)
def test_single_instance_only_usage_is_refused_at_a_root(
    cloud: Cloud, tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    root = copy_fixture(CHAIN, tmp_path)
    run = cloud.scf(*argv, "--target", str(root))
    assert run.exit_code == 2
    assert message in run.stderr
    assert cloud.calls() == []
