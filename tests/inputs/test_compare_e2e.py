"""#13 item 8 end to end: GetFunction's filled objects (CfsInsInfo IpAddress/MountVpcId/MountSubnetId,
DeadLetterConfig.FilterType, layer AddTime/Status/CompatibleRuntimes, EipConfig.EipAddress…) never make
a redeploy write: only what the user set is compared.
"""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes, writes

NAME = "allconfig-dev-demo"


def publish_layer(cloud: Cloud) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("python/dep.py", "X = 1\n")
    zipped = base64.b64encode(buffer.getvalue()).decode()
    call(cloud, "PublishLayerVersion", LayerName="deps", CompatibleRuntimes=["Python3.9"], Content={"ZipFile": zipped})


def test_a_function_with_every_configuration_object_redeploys_with_no_write(cloud: Cloud, tmp_path: Path) -> None:
    publish_layer(cloud)
    project = fixture("all-config", tmp_path)
    deploy(cloud, project)
    assert writes(cloud) == ["PublishLayerVersion", "CreateFunction"]
    remote = call(cloud, "GetFunction", FunctionName=NAME)
    sent = {"CfsId": "cfs-123", "MountInsId": "cfs-123", "LocalMountDir": "/mnt/", "RemoteMountDir": "/"}
    assert remote["CfsConfig"]["CfsInsList"][0].items() >= sent.items()  # and whatever the cloud adds

    assert redeploy_writes(cloud, project) == []
    assert redeploy_writes(cloud, project, "--inputs.deadLetter.filterType=") == []


def test_a_real_change_in_one_object_writes_that_object_only(cloud: Cloud, tmp_path: Path) -> None:
    publish_layer(cloud)
    project = fixture("all-config", tmp_path)
    deploy(cloud, project)
    before = len(cloud.calls())
    cfs = '[{"cfsId":"cfs-123","mountInsId":"cfs-123","localMountDir":"/data/","remoteMountDir":"/"}]'
    run = cloud.scf("deploy", "--target", str(project), "--inputs.cfs", cfs)
    assert run.exit_code == 0, run.stderr
    assert writes(cloud, before) == ["UpdateFunctionConfiguration"]
    update = [e for e in cloud.server.request_log() if e["action"] == "UpdateFunctionConfiguration"][-1]["params"]
    assert set(update) - {"FunctionName", "Namespace"} == {"CfsConfig"}
