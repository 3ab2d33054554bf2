"""The runtime fixture projects deploy, redeploy with zero writes and remove, like every fixture of #13."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cloud, copy_fixture

WRITE_PREFIXES = ("Create", "Update", "Delete", "Publish", "Release", "Modify", "Put", "Bind", "Unbind")
FIXTURES = ["node-event", "handler-env", "go-event", "custom-runtime", "web-python", "web-php", "web-broken"]


def _writes(calls: list[str]) -> list[str]:
    return [call for call in calls if call.startswith(WRITE_PREFIXES)]


@pytest.mark.parametrize("fixture", FIXTURES)
def test_deploy_redeploy_without_writes_remove(cloud: Cloud, tmp_path: Path, fixture: str) -> None:
    root = str(copy_fixture(fixture, tmp_path))
    assert cloud.scf("deploy", "--target", root).exit_code == 0, cloud.runs[-1].stderr
    before = len(cloud.calls())
    assert cloud.scf("deploy", "--target", root).exit_code == 0, cloud.runs[-1].stderr
    assert _writes(cloud.calls()[before:]) == []
    assert cloud.scf("remove", "--target", root).exit_code == 0, cloud.runs[-1].stderr
    assert "DeleteFunction" in cloud.calls()
