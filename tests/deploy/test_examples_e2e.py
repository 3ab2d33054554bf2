"""Every serverless.yml shape our users write (shared/examples, copied as fixtures) loads, validates,
deploys, and converges: the second deploy of the same project makes no write call."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_deploys_and_a_redeploy_changes_nothing(cloud: Cloud, tmp_path: Path, example: str) -> None:
    project = copy_fixture(example, tmp_path)
    first = cloud.scf("deploy", "--target", str(project), "--json")
    assert first.exit_code == 0, first.stderr
    before = len(cloud.calls())
    second = cloud.scf("deploy", "--target", str(project), "--json")
    assert second.exit_code == 0, second.stderr
    assert writes(cloud.calls()[before:]) == []
    assert second.json()["functionName"] == first.json()["functionName"]
