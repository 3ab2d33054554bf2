"""``provisionedNum`` (+ ``qualifier``): provisioned concurrency on a published version (#13).

As the Node component: on the version this deploy publishes (``provisionedNum`` implies publishing),
or on the version ``qualifier`` names; PutProvisionedConcurrencyConfig after the version is Active.
Unlike the Node component a version is published only when ``$LATEST`` changed, so an unchanged
redeploy publishes nothing and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes, remove, writes

NAME = "warm-dev-demo"


def provisioned(cloud: Cloud) -> dict[str, int]:
    body = call(cloud, "GetProvisionedConcurrencyConfig", FunctionName=NAME)
    return {row["Qualifier"]: row["AllocatedProvisionedConcurrencyNum"] for row in body["Allocated"]}


def change_code(project: Path) -> None:
    handler = project / "src" / "index.py"
    handler.write_text(handler.read_text() + "\n# changed\n")


def test_provisioned_concurrency_on_the_published_version(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("provisioned", tmp_path)
    outputs = deploy(cloud, project)
    assert writes(cloud) == ["CreateFunction", "PublishVersion", "UpdateAlias", "PutProvisionedConcurrencyConfig"]
    assert provisioned(cloud) == {"1": 2}
    assert (outputs["lastVersion"], outputs["traffic"]) == ("1", 0.1)

    assert redeploy_writes(cloud, project) == []

    assert redeploy_writes(cloud, project, "--inputs.provisionedNum=3") == ["PutProvisionedConcurrencyConfig"]
    assert provisioned(cloud) == {"1": 3}

    change_code(project)
    assert redeploy_writes(cloud, project, "--inputs.provisionedNum=3") == [
        "UpdateFunctionCode",
        "PublishVersion",
        "UpdateAlias",
        "PutProvisionedConcurrencyConfig",
    ]
    assert provisioned(cloud) == {"1": 3, "2": 3}

    remove(cloud, project)
    assert writes(cloud)[-1] == "DeleteFunction"


def test_qualifier_names_the_version_and_nothing_is_published(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("provisioned", tmp_path)
    deploy(cloud, project)
    change_code(project)
    assert redeploy_writes(cloud, project, "--inputs", 'qualifier="1"', "provisionedNum=5") == [
        "UpdateFunctionCode",
        "PutProvisionedConcurrencyConfig",
    ]
    assert provisioned(cloud) == {"1": 5}


def test_the_dry_run_shows_the_provisioned_step(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("provisioned", tmp_path)
    run = cloud.scf("deploy", "--target", str(project), "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "PutProvisionedConcurrencyConfig warm-dev-demo new version: 0 → 2" in run.stdout
