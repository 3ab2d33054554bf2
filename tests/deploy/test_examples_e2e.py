"""Every serverless.yml shape our users write (shared/examples, copied as fixtures) loads, validates,
deploys, and converges: the second deploy of the same project makes no write call."""

from __future__ import annotations

from pathlib import Path

import pytest
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.conftest import Cloud, copy_fixture
from tests.deploy.test_deploy_e2e import writes

EXAMPLES = [
    "01-event-basic",
    "02-full-config",
    "03-web-function",
    "04-triggers",
    "05-grayscale-default",
    "06-release-alias",
]


# Layers a function binds must exist in its region (the cloud answers ResourceNotFound.Layer otherwise).
LAYERS = {"02-full-config": ("ap-shanghai", "common-deps", 2)}
EMPTY_ZIP = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="


def publish_layer(cloud: Cloud, region: str, name: str, versions: int) -> None:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=cloud.endpoint, protocol="http"))
    client = CommonClient("scf", "2018-04-16", Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), region, profile)
    for _ in range(versions):
        client.call_json("PublishLayerVersion", {"LayerName": name, "CompatibleRuntimes": ["Python3.9"],
                                                 "Content": {"ZipFile": EMPTY_ZIP}})


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_deploys_and_a_redeploy_changes_nothing(cloud: Cloud, tmp_path: Path, example: str) -> None:
    project = copy_fixture(example, tmp_path)
    if example in LAYERS:
        publish_layer(cloud, *LAYERS[example])
    first = cloud.scf("deploy", "--target", str(project), "--json")
    assert first.exit_code == 0, first.stderr
    before = len(cloud.calls())
    second = cloud.scf("deploy", "--target", str(project), "--json")
    assert second.exit_code == 0, second.stderr
    assert writes(cloud.calls()[before:]) == []
    assert second.json()["functionName"] == first.json()["functionName"]
