"""``enableRoleAuth: true`` makes sure the SCF service role exists, as the Node component did (#13 item 3).

Toolkit ≤ 2.0.6: CAM ``CreateRole SCF_QcsRole`` (trusted by ``scf.qcloud.com``) + ``AttachRolePolicy
28341895`` before the deploy. Here the role is read first and created only when missing: the first
deploy in an account creates it, every later deploy (of any function) only reads it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.compat.test_compat_applied import make, writes
from tests.conftest import Cloud


def cam_calls(cloud: Cloud, since: int = 0) -> list[str]:
    return [str(e["action"]) for e in cloud.server.request_log()[since:] if e["service"] == "cam"]


def test_the_first_deploy_creates_the_role_and_a_redeploy_only_reads_it(cloud: Cloud, tmp_path: Path) -> None:
    root = make(tmp_path, "enableRoleAuth: true\n")
    plan = cloud.scf("deploy", "--target", str(root), "--dry-run")
    assert plan.exit_code == 0, plan.stderr
    assert "CreateRole SCF_QcsRole (trusted by scf.qcloud.com) + AttachRolePolicy 28341895" in plan.stdout
    assert cam_calls(cloud) == ["GetRole"]
    deployed = cloud.scf("deploy", "--target", str(root))
    assert deployed.exit_code == 0, deployed.stderr
    created = [e["params"] for e in writes(cloud) if e["action"] == "CreateRole"]
    assert [c["RoleName"] for c in created] == ["SCF_QcsRole"]
    trust = json.loads(created[0]["PolicyDocument"])
    assert trust["statement"][0]["principal"] == {"service": "scf.qcloud.com"}
    attached = [e["params"] for e in writes(cloud) if e["action"] == "AttachRolePolicy"]
    assert attached == [{"PolicyId": 28341895, "AttachRoleName": "SCF_QcsRole"}]
    before = len(cloud.server.request_log())
    again = cloud.scf("deploy", "--target", str(root))
    assert again.exit_code == 0, again.stderr
    assert [e["action"] for e in writes(cloud, before)] == []
    assert cam_calls(cloud, before) == ["GetRole"]
    other = make(tmp_path / "other", "name: other-fn\nenableRoleAuth: true\n")
    before = len(cloud.server.request_log())
    assert cloud.scf("deploy", "--target", str(other)).exit_code == 0
    assert cam_calls(cloud, before) == ["GetRole"]  # account-wide: already there


@pytest.mark.parametrize("setting", ["enableRoleAuth: false\n", ""])
def test_without_enable_role_auth_cam_is_not_called(cloud: Cloud, tmp_path: Path, setting: str) -> None:
    root = make(tmp_path, setting)
    assert cloud.scf("deploy", "--target", str(root)).exit_code == 0
    assert cam_calls(cloud) == []


def test_a_cam_failure_is_a_warning_as_in_the_node_component(cloud: Cloud, tmp_path: Path) -> None:
    cloud.server.add_fault("CreateRole", "internal_error")
    root = make(tmp_path, "enableRoleAuth: true\n")
    run = cloud.scf("deploy", "--target", str(root))
    assert run.exit_code == 0, run.stderr
    assert "warning: enableRoleAuth: the SCF_QcsRole role could not be set up: InternalError" in run.stderr
    assert "CreateFunction" in [e["action"] for e in writes(cloud)]
