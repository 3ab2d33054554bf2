"""Issue 5 as a specification: the seed's playbook with named aliases, rules, invoke, rollback, promote."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import alias_routing, change_code, deploy

BOB = ["--inputs", "aliasName=prepub", 'rules=[{"key":"invoke.headers.User","method":"exact","expression":"Bob"}]']


def invoke(cloud: Cloud, project: Path, *args: str) -> dict[str, object]:
    run = cloud.scf("invoke", "--target", str(project), "--json", *args)
    assert run.exit_code == 0, run.stderr
    result: dict[str, object] = run.json()
    return result


def test_rule_routes_bob_to_the_candidate_and_everyone_else_to_the_stable_version(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "aliasName=prepub")
    change_code(project)
    deploy(cloud, project, *BOB)
    assert alias_routing(cloud, project, "prepub") == [
        {"version": "1", "weight": 1.0},
        {"version": "2", "rule": "invoke.headers.User exact Bob"},
    ]
    table = [('{"User":"Bob"}', "2"), ('{"User":"Alice"}', "1"), (None, "1")]
    for key, version in table:
        args = ["--qualifier", "prepub"] + (["--routing-key", key] if key else [])
        assert invoke(cloud, project, *args)["version"] == version, key


def test_invoke_names_the_version_only_from_documented_sources(cloud: Cloud, project: Path) -> None:
    """The cloud's Invoke answer does not say which version ran (#14 item 2): a version qualifier or an
    alias without a weighted split tells; behind a split the version is reported as unknown."""
    deploy(cloud, project, "--inputs", "aliasName=release")
    change_code(project)
    deploy(cloud, project, "--inputs", "aliasName=release", "traffic=0.5")
    table = [(["--qualifier", "1"], "1"), (["--qualifier", "$LATEST"], "$LATEST"), (["--qualifier", "release"], None)]
    for args, version in table:
        assert invoke(cloud, project, *args)["version"] == version, args
    human = cloud.scf("invoke", "--target", str(project), "--qualifier", "release")
    assert "version:   not reported by the cloud (the alias splits traffic by weight)" in human.stdout


def test_invoke_reports_user_code_errors_with_exit_4(cloud: Cloud, project: Path) -> None:
    (project / "src" / "index.py").write_text("def main_handler(event, context):\n    raise ValueError('boom')\n")
    deploy(cloud, project)
    run = cloud.scf("invoke", "--target", str(project), "--qualifier", "$LATEST")
    assert run.exit_code == 4
    assert "raised an error in user code" in run.stderr and "boom" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "{not json"], "--event: must be JSON"),
        (["--routing-key", "[1]"], '--routing-key: must be a JSON object of strings, e.g. {"User":"Bob"}'),
    ],
)
def test_invoke_rejects_bad_arguments_before_calling(
    cloud: Cloud, project: Path, args: list[str], message: str
) -> None:
    deploy(cloud, project)
    before = len(cloud.calls())
    run = cloud.scf("invoke", "--target", str(project), *args)
    assert run.exit_code == 2 and message in run.stderr
    assert cloud.calls()[before:] == []


def release(cloud: Cloud, project: Path, traffic: str) -> dict[str, object]:
    return deploy(cloud, project, "--inputs", "aliasName=release", f"traffic={traffic}")


def test_rollback_during_a_canary_sends_everything_back_to_the_stable_version(cloud: Cloud, project: Path) -> None:
    release(cloud, project, "1")
    change_code(project)
    release(cloud, project, "0.1")
    before = len(cloud.calls())
    run = cloud.scf("rollback", "--target", str(project), "--alias", "release")
    assert run.exit_code == 0, run.stderr
    assert [c for c in cloud.calls()[before:] if c == "UpdateAlias"] == ["UpdateAlias"]
    assert alias_routing(cloud, project, "release") == [{"version": "1", "weight": 1.0}]
    info = cloud.scf("info", "--target", str(project), "--json").json()
    (alias,) = [a for a in info["aliases"] if a["name"] == "release"]
    assert (alias["promoted"], alias["rolledBack"]) == (["1"], ["2"])


def test_rollback_never_returns_to_a_version_that_was_itself_rolled_back(cloud: Cloud, project: Path) -> None:
    release(cloud, project, "1")  # v1 promoted
    for text in ("two", "three"):
        change_code(project, text)
        release(cloud, project, "1")  # v2, then v3 promoted
    assert cloud.scf("rollback", "--target", str(project), "--alias", "release").exit_code == 0
    assert alias_routing(cloud, project, "release") == [{"version": "2", "weight": 1.0}]
    assert cloud.scf("rollback", "--target", str(project), "--alias", "release").exit_code == 0
    assert alias_routing(cloud, project, "release") == [{"version": "1", "weight": 1.0}]
    last = cloud.scf("rollback", "--target", str(project), "--alias", "release")
    assert last.exit_code == 2  # not "the cloud refused" (#16 item 9)
    assert "no earlier fully promoted version is recorded" in last.stderr


def test_rollback_record_lives_in_the_cloud_not_on_this_machine(cloud: Cloud, project: Path, tmp_path: Path) -> None:
    release(cloud, project, "1")
    change_code(project)
    release(cloud, project, "1")
    other_machine = tmp_path / "runner-2"
    other_machine.mkdir()
    (other_machine / "serverless.yml").write_text((project / "serverless.yml").read_text())
    (other_machine / "src").mkdir()
    run = cloud.scf("rollback", "--target", str(other_machine), "--alias", "release")
    assert run.exit_code == 0, run.stderr
    assert alias_routing(cloud, project, "release") == [{"version": "1", "weight": 1.0}]


def test_promote_moves_prepubs_candidate_to_release(cloud: Cloud, project: Path) -> None:
    release(cloud, project, "1")
    deploy(cloud, project, "--inputs", "aliasName=prepub")
    change_code(project)
    deploy(cloud, project, *BOB)
    run = cloud.scf("promote", "--target", str(project), "--alias", "release", "--from", "prepub")
    assert run.exit_code == 0, run.stderr
    assert alias_routing(cloud, project, "release") == [{"version": "2", "weight": 1.0}]


def test_promote_to_a_missing_version_is_a_clear_error(cloud: Cloud, project: Path) -> None:
    release(cloud, project, "1")
    run = cloud.scf("promote", "--target", str(project), "--alias", "release", "--to", "9")
    assert run.exit_code == 2
    assert "version 9 does not exist (published versions: 1)" in run.stderr


def test_rollback_dry_run_changes_nothing(cloud: Cloud, project: Path) -> None:
    release(cloud, project, "1")
    change_code(project)
    release(cloud, project, "0.5")
    before = len(cloud.calls())
    run = cloud.scf("rollback", "--target", str(project), "--alias", "release", "--dry-run")
    assert run.exit_code == 0
    assert "UpdateAlias release: {1: 50%, 2: 50%} → {1: 100%}" in run.stdout
    assert [c for c in cloud.calls()[before:] if c.startswith(("Update", "Create", "Delete", "Publish"))] == []


def test_keep_versions_prunes_old_versions_no_alias_uses(cloud: Cloud, project: Path) -> None:
    release(cloud, project, "1")
    for text in ("2", "3", "4"):
        change_code(project, text)
        release(cloud, project, "1")
    change_code(project, "5")
    deploy(cloud, project, "--inputs", "aliasName=release", "traffic=0.5", "keepVersions=1")
    info = cloud.scf("info", "--target", str(project), "--json").json()
    # 5 is newest (kept), 4 serves 50 % (in use), 3 is 4's rollback target; 1 and 2 go
    assert [v["version"] for v in info["versions"]] == ["3", "4", "5"]
