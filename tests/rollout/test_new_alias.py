"""#16 items 1 and 3: a new alias with a rule or a share starts on the stable version; ``traffic=0``
after 100 % says it changes nothing and points to ``scf rollback``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import alias_routing, change_code, deploy
from tests.rollout.cloud import RolloutCloud
from tests.rollout.test_rollout_e2e import HEALTHY


def test_a_first_use_of_release_with_a_share_starts_on_the_stable_version(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "publish=true")  # version 1 exists, no named alias yet
    change_code(project)
    run = cloud.scf("deploy", "--target", str(project), "--inputs", "aliasName=release", "traffic=0.1")
    assert run.exit_code == 0, run.stderr
    assert "alias release did not exist: it is created on version 1" in run.stderr
    assert "the new version gets 10% of the traffic" in run.stderr
    assert alias_routing(cloud, project, "release") == [
        {"version": "1", "weight": 0.9},
        {"version": "2", "weight": 0.1},
    ]
    info = cloud.scf("info", "--target", str(project), "--json").json()
    (release,) = [a for a in info["aliases"] if a["name"] == "release"]
    assert release["promoted"] == []  # nothing was promoted


def test_the_guides_order_from_an_empty_account_rolls_back_to_the_stable_version(cloud: Cloud, project: Path) -> None:
    """release created at 10 % on version 1, then 50 %, then 100 % on version 2: rollback goes back to 1."""
    deploy(cloud, project, "--inputs", "publish=true", "traffic=0")  # version 1 on $DEFAULT
    change_code(project)
    for traffic in ("0.1", "0.5", "1"):
        deploy(cloud, project, "--inputs", "aliasName=release", f"traffic={traffic}")
    assert alias_routing(cloud, project, "release") == [{"version": "2", "weight": 1.0}]
    run = cloud.scf("rollback", "--target", str(project), "--alias", "release")
    assert run.exit_code == 0, run.stderr
    assert alias_routing(cloud, project, "release") == [{"version": "1", "weight": 1.0}]


def test_the_very_first_version_gets_the_alias_and_says_so(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("deploy", "--target", str(project), "--inputs", "aliasName=prepub", "traffic=0.1")
    assert run.exit_code == 0, run.stderr
    assert "no earlier version to start it on: it is created on the new version with all traffic" in run.stderr
    assert alias_routing(cloud, project, "prepub") == [{"version": "1", "weight": 1.0}]


def test_traffic_zero_after_full_traffic_points_to_rollback(cloud: Cloud, project: Path) -> None:
    deploy(cloud, project, "--inputs", "aliasName=release")
    change_code(project)
    deploy(cloud, project, "--inputs", "aliasName=release", "traffic=1.0")
    before = len(cloud.calls())
    run = cloud.scf("deploy", "--target", str(project), "--inputs", "aliasName=release", "traffic=0")
    assert run.exit_code == 0, run.stderr
    assert "traffic 0 changes nothing: version 2 already has all of alias release's traffic" in run.stderr
    assert "`scf rollback --alias release`" in run.stderr
    assert not [c for c in cloud.calls()[before:] if c in ("UpdateAlias", "CreateAlias")]
    example = (Path(__file__).parents[2] / "serverless.yml.example").read_text()
    assert "scf rollback --alias release                # ROLLBACK" in example


def test_a_rollout_on_a_new_alias_starts_from_the_stable_version(rcloud: RolloutCloud, canary: Path) -> None:
    assert rcloud.scf("deploy", "--target", str(canary), "--inputs", "aliasName=other").exit_code == 0  # version 1
    (canary / "src" / "index.py").write_text(HEALTHY)
    rcloud.per_minute = 12
    run = rcloud.scf("deploy", "--target", str(canary))  # alias release does not exist yet
    assert run.exit_code == 0, run.stderr
    writes = rcloud.alias_writes()[1:]  # after alias "other" was created
    assert [(w["main"], w["weights"], w["rollout"]["ph"]) for w in writes][:2] == [
        ("1", {"2": 0.25}, "Progressing"),
        ("1", {"2": 0.5}, "Progressing"),
    ]
    assert rcloud.rollout()["ph"] == "Promoted" and rcloud.alias().main_version == "2"
