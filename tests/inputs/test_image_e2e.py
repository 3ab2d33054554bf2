"""``image``: container-image functions, deployed the way the Node component does (#13).

``Code.ImageConfig`` in CreateFunction/UpdateFunctionCode; a ``registryId`` makes the image
``enterprise`` whatever ``imageType`` says; no runtime/handler defaults are sent; when both ``src`` and
``image`` are given the image is deployed and ``src`` is never packaged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes, remove, writes

CASES = [
    (
        "image-event",
        "ap-chengdu",
        "event-function-image",
        {"ImageType": "enterprise", "ImageUri": "demo.tencentcloudcr.com/ns/app:v1", "RegistryId": "tcr-abc123",
         "Command": "node index.js", "Args": "--port 9000"},
    ),
    (
        "image-web",
        "ap-guangzhou",
        "web-function-image",
        {"ImageType": "personal", "ImageUri": "ccr.ccs.tencentyun.com/sls-scf/nodejs_test:latest", "RegistryId": "",
         "Command": "", "Args": ""},
    ),
]


@pytest.mark.parametrize(("case", "region", "name", "image"), CASES, ids=[c[0] for c in CASES])
def test_an_image_function_deploys_redeploys_with_no_write_and_is_removed(
    cloud: Cloud, tmp_path: Path, case: str, region: str, name: str, image: dict[str, str]
) -> None:
    project = fixture(case, tmp_path)
    outputs = deploy(cloud, project)
    assert writes(cloud) == ["CreateFunction"]
    created = next(e for e in cloud.server.request_log() if e["action"] == "CreateFunction")
    assert "Runtime" not in created["params"] and "Handler" not in created["params"]
    assert created["params"]["Code"] == {"ImageConfig": {k: v for k, v in image.items() if v}}
    remote = call(cloud, "GetFunction", region, FunctionName=name)
    assert {k: remote["ImageConfig"][k] for k in image} == image
    assert outputs["code"] == {"image": image["ImageUri"]}

    assert redeploy_writes(cloud, project) == []

    remove(cloud, project)
    assert writes(cloud)[-1] == "DeleteFunction"


def test_a_new_image_tag_updates_the_code_with_the_image(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("image-event", tmp_path)
    deploy(cloud, project)
    uri = "demo.tencentcloudcr.com/ns/app:v2"
    assert redeploy_writes(cloud, project, f"--inputs.image.imageUrl={uri}") == ["UpdateFunctionCode"]
    remote = call(cloud, "GetFunction", "ap-chengdu", FunctionName="event-function-image")
    assert remote["ImageConfig"]["ImageUri"] == uri


def test_an_image_dry_run_names_the_image(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("image-web", tmp_path)
    run = cloud.scf("deploy", "--target", str(project), "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "image ccr.ccs.tencentyun.com/sls-scf/nodejs_test:latest" in run.stdout + run.stderr
