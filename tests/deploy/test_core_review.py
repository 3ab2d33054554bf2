"""Deploy core and CLI edge cases found in review, each driven through the real CLI against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from component.cloud.api import ScfApi
from tests.conftest import Cloud

SECRET = "pa55-w0rd-from-dotenv"
NEW_SECRET = "n3w-pa55-w0rd-from-dotenv"


def _deploy_ok(cloud: Cloud, *argv: str) -> None:
    run = cloud.scf("deploy", *argv)
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize(
    ("case", "extra"),
    [
        ("dry run, human", ["--dry-run"]),
        ("dry run, json", ["--dry-run", "--json"]),
        ("deploy, human", []),
        ("deploy, json", ["--json"]),
    ],
)
def test_environment_values_never_appear_in_plans_progress_or_the_step_summary(
    cloud: Cloud, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, extra: list[str]
) -> None:
    """Function environment variables hold secrets (here from .env): name what changed, never the value."""
    yml = project / "serverless.yml"
    yml.write_text(yml.read_text() + "      DB_PASSWORD: ${env:DB_PASSWORD}\n", encoding="utf-8")
    (project / ".env").write_text(f"DB_PASSWORD={SECRET}\n", encoding="utf-8")
    _deploy_ok(cloud, "--target", str(project))
    (project / ".env").write_text(f"DB_PASSWORD={NEW_SECRET}\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = cloud.scf("deploy", "--target", str(project), "--inputs.environment.variables.LEVEL=debug", *extra)
    assert run.exit_code == 0, run.stderr
    shown = run.stdout + run.stderr + (summary.read_text() if summary.exists() else "")
    assert "DB_PASSWORD" in shown and "LEVEL" in shown, case  # the change is still described
    for value in (SECRET, NEW_SECRET, "debug"):
        assert value not in shown, (case, value)


@pytest.mark.parametrize(
    ("case", "event", "expected"),
    [
        ("missing file", "@{tmp}/nope.json", "--event: cannot read {tmp}/nope.json"),
        ("a folder", "@{tmp}", "--event: cannot read {tmp}"),
        ("not JSON", "{{nope", "--event: must be JSON"),
        ("file not JSON", "@{tmp}/bad.json", "--event: must be JSON"),
    ],
)
def test_a_bad_invoke_event_is_a_usage_error_not_a_crash(
    cloud: Cloud, project: Path, tmp_path: Path, case: str, event: str, expected: str
) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    _deploy_ok(cloud, "--target", str(project))
    before = len(cloud.calls())
    run = cloud.scf("invoke", "--target", str(project), "--event", event.format(tmp=tmp_path))
    assert run.exit_code == 2, (case, run.stderr)
    assert expected.format(tmp=tmp_path) in run.stderr, case
    assert "Traceback" not in run.stderr and "bug" not in run.stderr, case
    assert "Invoke" not in cloud.calls()[before:], case


JSON_COMMANDS = [
    # case                          argv after the command name (the project is on release {1: 70%, 2: 30%})
    ("deploy --dry-run", ["deploy", "--dry-run", "--inputs", "aliasName=release", "traffic=0.5"]),
    ("rollback --dry-run", ["rollback", "--alias", "release", "--dry-run"]),
    ("rollback", ["rollback", "--alias", "release"]),
    ("promote --dry-run", ["promote", "--alias", "release", "--to", "2", "--dry-run"]),
    ("promote", ["promote", "--alias", "release", "--to", "2"]),
    ("prune --dry-run", ["prune", "--keep", "1", "--dry-run"]),
    ("prune", ["prune", "--keep", "0"]),
    ("info", ["info"]),
    ("remove", ["remove"]),
]


@pytest.mark.parametrize(("case", "argv"), JSON_COMMANDS, ids=[c[0] for c in JSON_COMMANDS])
def test_with_json_stdout_is_exactly_one_json_document(cloud: Cloud, project: Path, case: str, argv: list[str]) -> None:
    from tests.deploy.test_deploy_e2e import change_code

    _deploy_ok(cloud, "--target", str(project), "--inputs", "aliasName=release")
    change_code(project)
    _deploy_ok(cloud, "--target", str(project), "--inputs", "aliasName=release", "traffic=0.3")
    run = cloud.scf(*argv, "--target", str(project), "--json")
    assert run.exit_code == 0, (case, run.stderr)
    document = json.loads(run.stdout)  # one document, nothing before or after it
    assert isinstance(document, dict), case
    for line in run.stderr.splitlines():
        json.loads(line)  # and stderr is NDJSON


def _scf_api(cloud: Cloud) -> ScfApi:
    from component.cloud.sdk import SdkTransport
    from component.connect import _emulator_credentials

    transport = SdkTransport(_emulator_credentials(), "ap-guangzhou", endpoint=cloud.endpoint, sleep=cloud.clock.sleep)
    return ScfApi(transport)


@pytest.mark.parametrize(
    ("case", "deleted", "exit_code", "expected"),
    [
        # release promoted 1, 2, then 3 (serving); versions deleted in the console before `scf rollback`
        ("nothing deleted", [], 0, "all traffic to version 2"),
        ("last good deleted", ["2"], 0, "all traffic to version 1"),
        ("every good one deleted", ["1", "2"], 2, "no earlier fully promoted version"),  # not a cloud failure
    ],
)
def test_rollback_skips_promoted_versions_deleted_out_of_band(
    cloud: Cloud, project: Path, case: str, deleted: list[str], exit_code: int, expected: str
) -> None:
    from tests.deploy.test_deploy_e2e import change_code

    for text in ("v1", "v2", "v3"):
        change_code(project, text)
        _deploy_ok(cloud, "--target", str(project), "--inputs", "aliasName=release")
    api = _scf_api(cloud)
    for version in deleted:
        api.delete_version("hello-dev-demo", version)
    run = cloud.scf("rollback", "--target", str(project), "--alias", "release")
    assert run.exit_code == exit_code, (case, run.stderr)
    assert expected in run.stderr, case
    assert "UpdateAlias failed" not in run.stderr, case


@pytest.mark.parametrize(
    ("case", "argv", "bad_name"),
    [
        ("dot in the stage", ["--stage", "feature.1"], "hello-feature.1-demo"),
        ("slash in the stage", ["--stage", "feat/x"], "hello-feat/x-demo"),
        ("longer than 60", ["--app", "a" * 60], "hello-dev-" + "a" * 60),
    ],
)
def test_an_invalid_default_function_name_is_refused_before_any_call(
    cloud: Cloud, project: Path, case: str, argv: list[str], bad_name: str
) -> None:
    run = cloud.scf("deploy", "--target", str(project), *argv)
    assert run.exit_code == 2, (case, run.stderr)
    assert "inputs.name" in run.stderr and repr(bad_name) in run.stderr, case
    assert "${name}-${stage}-${app}" in run.stderr, case
    assert cloud.calls() == [], case
    assert cloud.scf("deploy", "--target", str(project), *argv, "--inputs.name=hello-fixed").exit_code == 0, case


@pytest.mark.parametrize(
    "command",
    [("abort", "--dry-run"), ("promote", "--full", "--dry-run"), ("abort", "--dry-run", "--json")],
)
def test_a_dry_run_abort_or_promote_of_a_running_rollout_prints_its_plan(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """These plans carry only the function name: the plan template must not need region/namespace."""
    from component.deploy.release_record import parse_record
    from tests.conftest import copy_fixture
    from tests.rollout.cloud import RolloutCloud, open_cloud
    from tests.rollout.test_rollout_e2e import deploy, first_release

    canary = copy_fixture("rollout-canary", tmp_path)
    with open_cloud(RolloutCloud) as rcloud:
        first_release(rcloud, canary)
        rcloud.per_minute = 12
        seen: dict[str, Any] = {}

        def second_process(_: int) -> None:
            started = parse_record(rcloud.alias().description).rollout is not None  # the deploy's waits sleep too
            if started and "run" not in seen:
                seen["run"] = rcloud.scf(*command, "--target", str(canary))

        rcloud.on_sleep.append(second_process)
        assert deploy(rcloud, canary).exit_code == 0  # type: ignore[attr-defined]
    dry = seen["run"]
    assert dry.exit_code == 0, dry.stderr
    assert "Traceback" not in dry.stderr
    if "--json" in command:
        assert json.loads(dry.stdout)["lines"][0].startswith("UpdateAlias release")
    else:
        assert dry.stdout.startswith("Plan for canary-prod-shop") and "UpdateAlias release" in dry.stdout
