"""``tags`` on update (#13): reconciled through the Tag API like the Node toolkit, read from GetFunction.

At creation the tags go in ``CreateFunction.Tags``; afterwards removed keys are detached, new ones
attached, changed values modified, each pair created first when the Tag service does not know it.
``tags`` absent leaves the function's tags alone; ``tags: {}`` removes them all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.tag.v20180813 import models
from tencentcloud.tag.v20180813.tag_client import TagClient

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.conftest import Cloud
from tests.inputs.inputs_cloud import call, deploy, fixture, redeploy_writes, remove, writes

NAME = "tagged-dev-demo"


def function_tags(cloud: Cloud) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in call(cloud, "GetFunction", FunctionName=NAME)["Tags"]}


def tag_service_view(cloud: Cloud) -> dict[str, str]:
    """The same tags as the Tag service lists them for the resource (typed SDK models)."""
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=cloud.endpoint, protocol="http"))
    client = TagClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou", profile)
    request = models.DescribeResourceTagsByResourceIdsRequest()
    request.ServiceType, request.ResourcePrefix, request.ResourceRegion = "scf", "namespace", "ap-guangzhou"
    request.ResourceIds, request.Limit = [f"default/function/{NAME}"], 100
    return {t.TagKey: t.TagValue for t in client.DescribeResourceTagsByResourceIds(request).Tags}


def test_tags_are_set_at_creation_then_left_alone(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("tagged", tmp_path)
    deploy(cloud, project)
    assert writes(cloud) == ["CreateFunction"]
    assert function_tags(cloud) == tag_service_view(cloud) == {"key1": "value1", "key2": "value2"}
    assert redeploy_writes(cloud, project) == []
    remove(cloud, project)
    assert writes(cloud)[-1] == "DeleteFunction"


TAGS = "  tags:\n    key1: value1\n    key2: value2\n"
CHANGES = [
    ("  tags:\n    key1: value1\n    key2: other\n    key3: 3\n", {"key1": "value1", "key2": "other", "key3": "3"},
     {"ModifyResourcesTagValue", "AttachResourcesTag", "CreateTag"}),
    ("  tags:\n    key1: value1\n", {"key1": "value1"}, {"DetachResourcesTag"}),
    ("  tags: {}\n", {}, {"DetachResourcesTag"}),
    ("", {"key1": "value1", "key2": "value2"}, set()),  # absent: the tags are left as they are
]


@pytest.mark.parametrize(("block", "expected", "actions"), CHANGES, ids=["change-add", "remove-one", "empty", "absent"])
def test_changed_tags_are_reconciled_through_the_tag_api(
    cloud: Cloud, tmp_path: Path, block: str, expected: dict[str, str], actions: set[str]
) -> None:
    project = fixture("tagged", tmp_path)
    deploy(cloud, project)
    config = project / "serverless.yml"
    config.write_text(config.read_text().replace(TAGS, block))
    assert set(redeploy_writes(cloud, project)) == actions
    assert function_tags(cloud) == tag_service_view(cloud) == expected
    assert redeploy_writes(cloud, project) == []


def test_the_dry_run_shows_the_tag_change(cloud: Cloud, tmp_path: Path) -> None:
    project = fixture("tagged", tmp_path)
    deploy(cloud, project)
    run = cloud.scf("deploy", "--target", str(project), "--dry-run", "--inputs.tags.key1=x")
    assert run.exit_code == 0, run.stderr
    assert "UpdateTags tagged-dev-demo ({key1: value1, key2: value2} → {key1: x, key2: value2})" in run.stdout
