"""Helpers for the tests of the inputs applied through dedicated APIs (#13): deploy, read back, count writes.

The cloud is read back through the official SDK (typed ``ScfClient`` models where they exist), never
through the emulator's internals.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.scf.v20180416.scf_client import ScfClient

from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from tests.conftest import Cloud
from tests.deploy.test_deploy_e2e import deploy

READS = ("Get", "List", "Describe")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"


def fixture(name: str, tmp_path: Path) -> Path:
    """A copy of ``tests/fixtures/inputs/<name>``."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns(".serverless"))
    return target


def writes(cloud: Cloud, since: int = 0) -> list[str]:
    return [call for call in cloud.calls()[since:] if not call.startswith(READS)]


def sdk(cloud: Cloud, region: str = "ap-guangzhou") -> ScfClient:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=cloud.endpoint, protocol="http"))
    return ScfClient(Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), region, profile)


def call(cloud: Cloud, action: str, region: str = "ap-guangzhou", **params: Any) -> dict[str, Any]:
    body: dict[str, Any] = sdk(cloud, region).call_json(action, params)["Response"]
    return body


def redeploy_writes(cloud: Cloud, project: Path, *extra: str) -> list[str]:
    """Deploy again and return the write calls that made."""
    before = len(cloud.calls())
    deploy(cloud, project, *extra)
    return writes(cloud, before)


def remove(cloud: Cloud, project: Path) -> None:
    run = cloud.scf("remove", "--target", str(project))
    assert run.exit_code == 0, run.stderr
